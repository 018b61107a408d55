package check

import (
	"context"
	"fmt"
	"regexp"
	"slices"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// replicasHPAFight reports workloads whose spec.replicas in Git fights the HPA that scales them.
var replicasHPAFight = &Check{
	ID:       "replicas-hpa-fight",
	Summary:  "the replica count an HPA chose is reset by ArgoCD",
	Severity: finding.Warning,
	Modes:    Offline,
	Doc: `A Deployment or StatefulSet sets ` + "`spec.replicas`" + ` while a HorizontalPodAutoscaler in
the same namespace scales it (scaleTargetRef kind and name), and the Application
does not make ArgoCD leave the field alone.

The HPA writes the replica count through the scale subresource. ArgoCD compares
the live object with Git, sees a different ` + "`spec.replicas`" + `, marks the app
OutOfSync, and the next sync (immediately with ` + "`selfHeal`" + `) applies the Git
value: kubectl's three-way merge sends every field whose live value differs from
the desired one. Pods are removed under load, then the HPA adds them back.

Whether the Application hides the difference is decided with ArgoCD's own diff
code (internal/diffsem over argo-cd util/argo/diff): its ` + "`ignoreDifferences`" + `
(jsonPointers ` + "`/spec/replicas`" + `, jqPathExpressions ` + "`.spec.replicas`" + `, and
managedFieldsManagers ` + "`kube-controller-manager`" + `, modelled with the managed
fields entry the HPA's scale update leaves). An ignore rule only hides the diff;
without the ` + "`RespectIgnoreDifferences=true`" + ` sync option every sync still
writes the Git value (argo-cd docs, user-guide/sync-options.md), so that case is
reported too. System-level rules in argocd-cm are not visible offline.

Fixes: omit ` + "`replicas`" + ` when autoscaling is on (a template edit wrapping the
line in the condition that renders the HPA), or add an ignoreDifferences entry
for ` + "`/spec/replicas`" + ` together with ` + "`RespectIgnoreDifferences=true`" + `.
The location is the ` + "`replicas:`" + ` line of the workload's template or manifest.`,
	Run: runReplicasHPAFight,
}

func init() { register(replicasHPAFight) }

var replicasLine = regexp.MustCompile(`^\s*replicas:`)

func runReplicasHPAFight(ctx context.Context, in *Input) []finding.Finding {
	var out []finding.Finding
	for _, r := range in.Targets {
		if r.Err != nil || r.Target.App == nil {
			continue
		}
		for _, h := range objectsOfKind(r, "autoscaling", "HorizontalPodAutoscaler") {
			if ctx.Err() != nil {
				return out
			}
			w := hpaTarget(r, h)
			if w == nil || w.Ref.Group != "apps" || (w.Ref.Kind != "Deployment" && w.Ref.Kind != "StatefulSet") {
				continue
			}
			replicas, set := intField(w.Content, "spec", "replicas")
			if !set {
				continue
			}
			ignored, ok := replicasIgnored(r, w, replicas)
			if !ok {
				continue // ArgoCD itself could not compare (a broken rule): another check's finding
			}
			sp := r.Target.App.App.Spec.SyncPolicy
			respect := sp != nil && sp.SyncOptions.HasOption("RespectIgnoreDifferences=true")
			if ignored && respect {
				continue
			}
			out = append(out, fightFinding(in, r, h, w, replicas, ignored))
		}
	}
	return out
}

// replicasIgnored asks ArgoCD's diff whether a live object whose replica
// count the HPA changed still compares equal under the app's rules. The
// live copy carries the managedFields entry kube-controller-manager leaves
// when it updates the scale subresource, so managedFieldsManagers rules
// are judged as ArgoCD would judge them.
func replicasIgnored(r *Rendered, w *manifest.Object, replicas int64) (ignored, ok bool) {
	live := deepCopyValues(w.Content)
	setPath(live, []string{"spec", "replicas"}, replicas+7)
	meta, _ := live["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		live["metadata"] = meta
	}
	meta["managedFields"] = []any{map[string]any{
		"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
		"time": "2025-01-01T00:00:00Z", "fieldsType": "FieldsV1", "subresource": "scale",
		"fieldsV1": map[string]any{"f:spec": map[string]any{"f:replicas": map[string]any{}}},
	}}
	res := diffsem.Compare(w.Content, live, r.Target.App.App.Spec.IgnoreDifferences, diffsem.Options{})
	if res.Err != nil {
		return false, false
	}
	return !slices.Contains(res.Paths, "/spec/replicas"), true
}

func fightFinding(in *Input, r *Rendered, h, w *manifest.Object, replicas int64, ignored bool) finding.Finding {
	app := r.Target.App
	loc := sourceLine(in, r, w, replicasLine)
	if loc.IsZero() {
		loc = manifestLineOpt(in, r, w, replicasLine, true)
	}
	minR, _ := intField(h.Content, "spec", "minReplicas")
	maxR, _ := intField(h.Content, "spec", "maxReplicas")
	f := finding.Finding{
		App: app.Name(), Env: r.Target.Env, Object: w.Ref, Location: loc,
	}
	selfHeal := app.App.Spec.SyncPolicy != nil && app.App.Spec.SyncPolicy.Automated != nil &&
		app.App.Spec.SyncPolicy.Automated.SelfHeal != nil && *app.App.Spec.SyncPolicy.Automated.SelfHeal
	if ignored {
		f.Message = fmt.Sprintf("%s %s sets replicas: %d while HPA %s scales it, and every sync writes it back despite the ignore rule", w.Ref.Kind, w.Ref.Name, replicas, h.Ref.Name)
		f.Impact = fmt.Sprintf("each deploy drops the workload to %d replicas until the HPA scales it up again", replicas)
	} else {
		f.Message = fmt.Sprintf("%s %s sets replicas: %d while HPA %s scales it, and ArgoCD resets the HPA's count", w.Ref.Kind, w.Ref.Name, replicas, h.Ref.Name)
		f.Impact = "the app goes OutOfSync whenever the HPA scales, and each sync puts the count back to " + fmt.Sprint(replicas)
		if selfHeal {
			f.Impact = fmt.Sprintf("with selfHeal, ArgoCD puts the count back to %d moments after every HPA scale-up: pods churn under load", replicas)
		}
	}
	hpaLoc := sourceLine(in, r, h, kindHPALine)
	if hpaLoc.IsZero() {
		hpaLoc = manifestLine(in, r, h, kindHPALine)
	}
	f.Evidence = []finding.Evidence{
		{Label: "replicas in Git", Value: fmt.Sprint(replicas), At: loc},
		{Label: "HPA", Value: fmt.Sprintf("%s scales %s/%s between %d and %d replicas", h.Ref.Name, w.Ref.Kind, w.Ref.Name, max(minR, 1), maxR), At: hpaLoc},
	}
	if ignored {
		f.Evidence = append(f.Evidence,
			finding.Evidence{Label: "ignoreDifferences", Value: "hides /spec/replicas from the diff", At: app.FieldLocation(appSpecPrefix(r) + "ignoreDifferences")},
			finding.Evidence{Label: "syncOptions", Value: "no RespectIgnoreDifferences=true: a sync applies the whole manifest", At: app.FieldLocation(appSpecPrefix(r) + "syncPolicy")})
	} else {
		f.Evidence = append(f.Evidence, finding.Evidence{Label: "ignoreDifferences", Value: "no rule hides /spec/replicas of " + w.Ref.Kind + " " + w.Ref.Name, At: app.Declared})
	}
	f.Evidence = append(f.Evidence, finding.Evidence{Label: "selfHeal", Value: fmt.Sprint(selfHeal)})
	if fix, ok := omitReplicasFix(in, r, h, loc); ok {
		f.Fixes = append(f.Fixes, fix)
	}
	f.Fixes = append(f.Fixes, ignoreReplicasFix(r, w, ignored))
	return f
}
