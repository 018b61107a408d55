package check

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// stalePodConfig finds pods running with config older than their
// ConfigMaps and Secrets.
var stalePodConfig = &Check{
	ID:       "stale-pod-config",
	Summary:  "pods started before their ConfigMap or Secret changed",
	Severity: finding.Warning,
	Modes:    Live,
	Doc: `A pod reads a ConfigMap or Secret when it starts: environment variables
(` + "`env[].valueFrom`, `envFrom`" + `) and ` + "`subPath`" + ` mounts never change afterwards,
and mounted volumes change on disk but most programs read them once. Changing
the ConfigMap does not change the pod template, so the Deployment does not
roll and the pods keep the old configuration: GitOps reports Synced while the
running config is stale.

syncdoctor compares each pod's start (` + "`status.startTime`" + `, else
` + "`creationTimestamp`" + `) with the last change of every ConfigMap and Secret it
consumes (the newest ` + "`managedFields`" + ` timestamp of an entry that owns
` + "`data`" + ` or ` + "`binaryData`" + `; Secret data is never read) and groups the pods by
workload (ownerReferences: ReplicaSet → Deployment).

**Fix.** Now: ` + "`kubectl rollout restart deployment/NAME -n NS`" + `. Durably: roll
the pods whenever the config changes, with a checksum annotation on the pod
template (` + "`checksum/config: {{ include (print $.Template.BasePath \"/configmap.yaml\") . | sha256sum }}`" + `)
or a reloader (Stakater Reloader's ` + "`reloader.stakater.com/auto: \"true\"`" + `).
Volume mounts without subPath are reported at info severity: the files do
update, so only programs that read them once are affected.`,
	Run: runStalePodConfig,
}

func init() { register(stalePodConfig) }

// podUse is one way a pod consumes a config object.
type podUse struct {
	kind, name string
	how        string // "env", "envFrom", "volume", "subPath volume"
}

// staleGroup collects the stale pods of one workload and config object.
type staleGroup struct {
	workload   finding.ObjectRef
	config     finding.ObjectRef
	changed    time.Time
	changedBy  string
	pods       []string
	oldest     time.Time
	hows       map[string]bool
	volumeOnly bool
}

func runStalePodConfig(ctx context.Context, in *Input) []finding.Finding {
	st := in.Live
	if st == nil {
		return nil
	}
	configs := map[string]*manifest.Object{}
	for _, c := range st.ConfigSources {
		configs[c.Ref.Kind+"/"+c.Ref.Namespace+"/"+c.Ref.Name] = c
	}
	groups := map[string]*staleGroup{}
	var order []string
	for _, pod := range st.Pods {
		if ctx.Err() != nil {
			return nil
		}
		if phase := manifest.GetString(pod.Content, "status", "phase"); phase == "Succeeded" || phase == "Failed" {
			continue
		}
		started := parseTime(manifest.Get(pod.Content, "status", "startTime"))
		if started.IsZero() {
			started = parseTime(manifest.Get(pod.Content, "metadata", "creationTimestamp"))
		}
		if started.IsZero() {
			continue
		}
		for _, use := range podUses(pod.Content) {
			cfg := configs[use.kind+"/"+pod.Ref.Namespace+"/"+use.name]
			if cfg == nil {
				continue
			}
			changed, by := lastDataChange(cfg.Content)
			if !changed.After(started) {
				continue
			}
			wl := workloadOf(st, pod)
			key := wl.String() + "\x00" + cfg.Ref.String()
			g := groups[key]
			if g == nil {
				g = &staleGroup{workload: wl, config: cfg.Ref, changed: changed, changedBy: by, hows: map[string]bool{}, volumeOnly: true}
				groups[key] = g
				order = append(order, key)
			}
			if !slices.Contains(g.pods, pod.Ref.Name) {
				g.pods = append(g.pods, pod.Ref.Name)
				if g.oldest.IsZero() || started.Before(g.oldest) {
					g.oldest = started
				}
			}
			g.hows[use.how] = true
			if use.how != "volume" {
				g.volumeOnly = false
			}
		}
	}
	var out []finding.Finding
	for _, key := range order {
		out = append(out, staleFinding(st, groups[key]))
	}
	return out
}

func staleFinding(st *manifest.LiveState, g *staleGroup) finding.Finding {
	slices.Sort(g.pods)
	wl := g.workload
	f := finding.Finding{
		Object: wl,
		App:    appOf(st, wl),
		Message: fmt.Sprintf("%s %s runs %d pod(s) started before %s %s last changed",
			wl.Kind, wl.Name, len(g.pods), g.config.Kind, g.config.Name),
		Evidence: []finding.Evidence{
			{Label: g.config.Kind + " " + g.config.Name + " changed", Value: g.changed.UTC().Format(time.RFC3339) + " by field manager " + g.changedBy},
			{Label: "oldest pod started", Value: g.oldest.UTC().Format(time.RFC3339)},
			{Label: "pods", Value: strings.Join(g.pods, ", ")},
			{Label: "consumed as", Value: strings.Join(sortedKeys(g.hows), ", ")},
		},
		Impact: "the pods run with the previous configuration while ArgoCD shows the app Synced; the new config takes effect at some unrelated restart",
	}
	if g.volumeOnly {
		f.Severity = finding.Info
		f.Impact = "the mounted files are refreshed by the kubelet, but a program that reads them only at start still runs the old configuration"
	}
	restart := fmt.Sprintf("kubectl rollout restart %s/%s -n %s", strings.ToLower(wl.Kind), wl.Name, wl.Namespace)
	if wl.Kind == "Pod" || wl.Kind == "ReplicaSet" {
		restart = fmt.Sprintf("kubectl delete pod -n %s %s", wl.Namespace, strings.Join(g.pods, " "))
	}
	f.Fixes = []finding.Fix{
		{Title: "Restart the pods now", Kind: finding.FixKubectl, Patch: restart},
		{Title: "Roll the pods whenever the config changes: a checksum annotation on the pod template, or Reloader", Kind: finding.FixYAML,
			Patch: "spec:\n  template:\n    metadata:\n      annotations:\n        checksum/config: '{{ include (print $.Template.BasePath \"/configmap.yaml\") . | sha256sum }}'\n" +
				"# or, with Stakater Reloader installed, on the workload's metadata:\n# metadata:\n#   annotations:\n#     reloader.stakater.com/auto: \"true\"\n"},
	}
	return f
}

// appOf names the Application whose status lists ref, "" when none does.
func appOf(st *manifest.LiveState, ref finding.ObjectRef) string {
	for _, la := range st.Apps {
		for _, rs := range la.App.Status.Resources {
			if manifest.SameObject(ref, finding.ObjectRef{Group: rs.Group, Kind: rs.Kind, Namespace: rs.Namespace, Name: rs.Name}) {
				return la.App.Name
			}
		}
	}
	return ""
}
