package check

import (
	"strings"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// podUses lists the ConfigMaps and Secrets a pod spec consumes
// (k8s.io/api core/v1 PodSpec: volumes with configMap, secret or projected
// sources; containers' env valueFrom and envFrom).
func podUses(pod map[string]any) []podUse {
	var out []podUse
	spec, _ := pod["spec"].(map[string]any)
	subPath := map[string]bool{} // volumes mounted with subPath somewhere
	var containers []any
	for _, key := range []string{"initContainers", "containers"} {
		cs, _ := spec[key].([]any)
		containers = append(containers, cs...)
	}
	for _, c := range containers {
		cm, _ := c.(map[string]any)
		mounts, _ := cm["volumeMounts"].([]any)
		for _, m := range mounts {
			mm, _ := m.(map[string]any)
			if str(mm["subPath"]) != "" || str(mm["subPathExpr"]) != "" {
				subPath[str(mm["name"])] = true
			}
		}
		envs, _ := cm["env"].([]any)
		for _, e := range envs {
			em, _ := e.(map[string]any)
			if n := manifest.GetString(em, "valueFrom", "configMapKeyRef", "name"); n != "" {
				out = append(out, podUse{kind: "ConfigMap", name: n, how: "env"})
			}
			if n := manifest.GetString(em, "valueFrom", "secretKeyRef", "name"); n != "" {
				out = append(out, podUse{kind: "Secret", name: n, how: "env"})
			}
		}
		froms, _ := cm["envFrom"].([]any)
		for _, e := range froms {
			em, _ := e.(map[string]any)
			if n := manifest.GetString(em, "configMapRef", "name"); n != "" {
				out = append(out, podUse{kind: "ConfigMap", name: n, how: "envFrom"})
			}
			if n := manifest.GetString(em, "secretRef", "name"); n != "" {
				out = append(out, podUse{kind: "Secret", name: n, how: "envFrom"})
			}
		}
	}
	vols, _ := spec["volumes"].([]any)
	for _, v := range vols {
		vm, _ := v.(map[string]any)
		how := "volume"
		if subPath[str(vm["name"])] {
			how = "subPath volume"
		}
		if n := manifest.GetString(vm, "configMap", "name"); n != "" {
			out = append(out, podUse{kind: "ConfigMap", name: n, how: how})
		}
		if n := manifest.GetString(vm, "secret", "secretName"); n != "" {
			out = append(out, podUse{kind: "Secret", name: n, how: how})
		}
		srcs, _ := manifest.Get(vm, "projected", "sources").([]any)
		for _, s := range srcs {
			sm, _ := s.(map[string]any)
			if n := manifest.GetString(sm, "configMap", "name"); n != "" {
				out = append(out, podUse{kind: "ConfigMap", name: n, how: how})
			}
			if n := manifest.GetString(sm, "secret", "name"); n != "" {
				out = append(out, podUse{kind: "Secret", name: n, how: how})
			}
		}
	}
	return out
}

// lastDataChange is the newest managedFields time among entries owning
// data or binaryData (Secret stringData is stored as data), with its
// manager; creationTimestamp when no entry says.
func lastDataChange(obj map[string]any) (time.Time, string) {
	var last time.Time
	var by string
	entries, _ := manifest.Get(obj, "metadata", "managedFields").([]any)
	for _, e := range entries {
		em, _ := e.(map[string]any)
		fields, _ := em["fieldsV1"].(map[string]any)
		_, d := fields["f:data"]
		_, b := fields["f:binaryData"]
		if !d && !b {
			continue
		}
		if t := parseTime(em["time"]); t.After(last) {
			last, by = t, str(em["manager"])
		}
	}
	if last.IsZero() {
		return parseTime(manifest.Get(obj, "metadata", "creationTimestamp")), "(creation)"
	}
	return last, by
}

// workloadOf follows controller ownerReferences from a pod up to the
// top-level workload the cluster read holds (Pod → ReplicaSet →
// Deployment); the pod itself when it has no known owner.
func workloadOf(st *manifest.LiveState, pod *manifest.Object) finding.ObjectRef {
	cur := pod
	for range 4 {
		owner := controllerOwner(cur.Content)
		if owner == nil {
			break
		}
		next := findWorkload(st, owner["kind"], cur.Ref.Namespace, owner["name"])
		if next == nil {
			// Name the owner even when it was not read.
			g, _, _ := strings.Cut(owner["apiVersion"], "/")
			if !strings.Contains(owner["apiVersion"], "/") {
				g = ""
			}
			return finding.ObjectRef{Group: g, Kind: owner["kind"], Namespace: cur.Ref.Namespace, Name: owner["name"]}
		}
		cur = next
	}
	return cur.Ref
}

func controllerOwner(obj map[string]any) map[string]string {
	owners, _ := manifest.Get(obj, "metadata", "ownerReferences").([]any)
	for _, o := range owners {
		om, _ := o.(map[string]any)
		if c, _ := om["controller"].(bool); c {
			return map[string]string{"apiVersion": str(om["apiVersion"]), "kind": str(om["kind"]), "name": str(om["name"])}
		}
	}
	return nil
}

func findWorkload(st *manifest.LiveState, kind, ns, name string) *manifest.Object {
	for _, w := range st.Workloads {
		if w.Ref.Kind == kind && w.Ref.Namespace == ns && w.Ref.Name == name {
			return w
		}
	}
	return nil
}
