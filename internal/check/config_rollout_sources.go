package check

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// crSource is one ConfigMap, Secret or SecretProviderClass a pod template
// reads.
type crSource struct {
	Kind     string // ConfigMap, Secret or SecretProviderClass
	Name     string
	Via      string // how the pod reads it, for evidence
	Optional bool
	// Keys are the data keys the pod reads when every reference names
	// keys (env valueFrom, volume items); nil when it reads them all.
	Keys map[string]bool
}

func (s crSource) String() string { return s.Kind + " `" + s.Name + "`" }

// crWorkload is a rendered object with a pod template that rolls when the
// template changes.
type crWorkload struct {
	Obj     *manifest.Object
	Sources []crSource
}

// rollingKinds are the workloads whose controllers replace pods when
// spec.template changes. Jobs and CronJobs start new pods anyway.
var rollingKinds = map[string]bool{
	"apps/Deployment": true, "apps/StatefulSet": true, "apps/DaemonSet": true,
	"argoproj.io/Rollout": true,
}

// workloadsOf lists the rolling workloads among objs with the config
// sources of their pod templates, containers and init containers alike
// (k8s.io/api core/v1 types.go: EnvFromSource, EnvVarSource, VolumeSource,
// ProjectedVolumeSource).
func workloadsOf(objs []*manifest.Object) []*crWorkload {
	var out []*crWorkload
	for _, o := range objs {
		if !rollingKinds[o.Ref.Group+"/"+o.Ref.Kind] {
			continue
		}
		spec, ok := manifest.Get(o.Content, "spec", "template", "spec").(map[string]any)
		if !ok {
			continue // e.g. a Rollout with workloadRef
		}
		w := &crWorkload{Obj: o}
		seen := map[string]int{}
		add := func(s crSource) {
			if s.Name == "" {
				return
			}
			i, dup := seen[s.Kind+"/"+s.Name]
			if !dup {
				seen[s.Kind+"/"+s.Name] = len(w.Sources)
				w.Sources = append(w.Sources, s)
				return
			}
			// A second reference: the pod reads the union, or all.
			if w.Sources[i].Keys == nil || s.Keys == nil {
				w.Sources[i].Keys = nil
				return
			}
			for k := range s.Keys {
				w.Sources[i].Keys[k] = true
			}
		}
		for _, list := range []string{"initContainers", "containers"} {
			for _, c := range objList(spec[list]) {
				cname := manifest.GetString(c, "name")
				where := "container " + cname
				if list == "initContainers" {
					where = "init container " + cname
				}
				for _, ef := range objList(c["envFrom"]) {
					add(refSource("ConfigMap", ef["configMapRef"], "envFrom in "+where))
					add(refSource("Secret", ef["secretRef"], "envFrom in "+where))
				}
				for _, ev := range objList(c["env"]) {
					vf, _ := ev["valueFrom"].(map[string]any)
					via := fmt.Sprintf("env %s in %s", manifest.GetString(ev, "name"), where)
					add(keyRefSource("ConfigMap", vf["configMapKeyRef"], via))
					add(keyRefSource("Secret", vf["secretKeyRef"], via))
				}
			}
		}
		for _, v := range objList(spec["volumes"]) {
			via := "volume " + manifest.GetString(v, "name")
			add(withItems(refSource("ConfigMap", v["configMap"], via), v["configMap"]))
			if sec, ok := v["secret"].(map[string]any); ok {
				add(withItems(crSource{Kind: "Secret", Name: manifest.GetString(sec, "secretName"), Via: via, Optional: sec["optional"] == true}, sec))
			}
			for _, ps := range objList(manifest.Get(v, "projected", "sources")) {
				add(withItems(refSource("ConfigMap", ps["configMap"], "projected "+via), ps["configMap"]))
				add(withItems(refSource("Secret", ps["secret"], "projected "+via), ps["secret"]))
			}
			if csi, ok := v["csi"].(map[string]any); ok && manifest.GetString(csi, "driver") == "secrets-store.csi.k8s.io" {
				add(crSource{Kind: "SecretProviderClass", Name: manifest.GetString(csi, "volumeAttributes", "secretProviderClass"), Via: "CSI " + via})
			}
		}
		out = append(out, w)
	}
	return out
}

func refSource(kind string, v any, via string) crSource {
	m, ok := v.(map[string]any)
	if !ok {
		return crSource{}
	}
	return crSource{Kind: kind, Name: manifest.GetString(m, "name"), Via: via, Optional: m["optional"] == true}
}

// keyRefSource is refSource for a configMapKeyRef/secretKeyRef: the pod
// reads the one key it names.
func keyRefSource(kind string, v any, via string) crSource {
	s := refSource(kind, v, via)
	if m, ok := v.(map[string]any); ok && s.Name != "" {
		s.Keys = map[string]bool{manifest.GetString(m, "key"): true}
	}
	return s
}

// withItems narrows a volume source to the keys of its `items` list, when
// it has one: the kubelet then projects only those keys.
func withItems(s crSource, v any) crSource {
	m, ok := v.(map[string]any)
	if !ok {
		return s
	}
	items := objList(m["items"])
	if len(items) == 0 {
		return s
	}
	s.Keys = map[string]bool{}
	for _, it := range items {
		s.Keys[manifest.GetString(it, "key")] = true
	}
	return s
}

func objList(v any) []map[string]any {
	l, _ := v.([]any)
	var out []map[string]any
	for _, x := range l {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Reloader's annotations (stakater/Reloader internal/pkg/options/flags.go).
const (
	rlAuto    = "reloader.stakater.com/auto"
	rlSearch  = "reloader.stakater.com/search"
	rlMatch   = "reloader.stakater.com/match"
	rlIgnore  = "reloader.stakater.com/ignore"
	rlDomain  = ".reloader.stakater.com/"
	rlExclude = "s.exclude.reloader.stakater.com/reload"
)

// reloaderCovers reports whether Reloader, when installed, restarts the
// workload w when src changes, and the annotation that makes it so. It
// follows stakater/Reloader pkg/common/common.go ShouldReload: the
// workload's metadata annotations are read, and the pod template's only
// when the workload carries none of the reload, search, auto and typed
// auto annotations; `<kind>s.exclude...` (workload) and
// `reloader.stakater.com/ignore` (source) veto; the reload lists hold
// anchored regular expressions; search needs `match: "true"` on the source.
// srcAnn is nil when the source is not rendered here: a search annotation
// then counts, since the match may be on the source.
func reloaderCovers(w *manifest.Object, src crSource, srcAnn map[string]string) (bool, string) {
	if srcAnn[rlIgnore] == "true" {
		return false, ""
	}
	typ := strings.ToLower(src.Kind)
	reloadKey, typedAuto := typ+rlDomain+"reload", typ+rlDomain+"auto"
	meta := w.Annotations()
	if !hasAny(meta, reloadKey, rlSearch, rlAuto, typedAuto) {
		pod, _ := manifest.Get(w.Content, "spec", "template", "metadata", "annotations").(map[string]any)
		ann2 := map[string]string{}
		for k, v := range pod {
			if s, ok := v.(string); ok {
				ann2[k] = s
			}
		}
		return decide(meta, ann2, src, srcAnn, reloadKey, typedAuto, "pod template annotation ")
	}
	return decide(meta, meta, src, srcAnn, reloadKey, typedAuto, "annotation ")
}

func decide(meta, ann map[string]string, src crSource, srcAnn map[string]string, reloadKey, typedAuto, label string) (bool, string) {
	if ex, ok := meta[strings.ToLower(src.Kind)+rlExclude]; ok {
		for _, n := range strings.Split(ex, ",") {
			if strings.TrimSpace(n) == src.Name {
				return false, ""
			}
		}
	}
	if v, ok := ann[reloadKey]; ok {
		for _, pat := range strings.Split(v, ",") {
			re, err := regexp.Compile("^" + strings.TrimSpace(pat) + "$")
			if err == nil && re.MatchString(src.Name) {
				return true, label + reloadKey + ": " + v
			}
		}
	}
	if ann[rlSearch] == "true" && (srcAnn == nil || srcAnn[rlMatch] == "true") {
		return true, label + rlSearch + ": \"true\""
	}
	for _, k := range []string{rlAuto, typedAuto} {
		if b, err := strconv.ParseBool(ann[k]); err == nil && b {
			return true, label + k + ": " + ann[k]
		}
	}
	return false, ""
}

func hasAny(m map[string]string, keys ...string) bool {
	for _, k := range keys {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}
