package check

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// hpaPDBConflict reports PDBs that allow no disruption while the HPA sits at its minimum.
var hpaPDBConflict = &Check{
	ID:       "hpa-pdb-conflict",
	Summary:  "a PDB blocks node drains while the HPA is at its minimum",
	Severity: finding.Warning,
	Modes:    Offline,
	Doc: `A PodDisruptionBudget selects the pods of a workload that a
HorizontalPodAutoscaler scales, and at the HPA's minReplicas the budget allows no
voluntary disruption: ` + "`minAvailable`" + ` is at least minReplicas, or
` + "`maxUnavailable`" + ` resolves to 0.

The disruption controller computes disruptionsAllowed = healthy − desiredHealthy
(kubernetes pkg/controller/disruption/disruption.go getExpectedPodCount): an
integer minAvailable is desiredHealthy itself; a percentage minAvailable, and
maxUnavailable, are scaled against the workload's replica count with rounding
up (intstr.GetScaledValueFromIntOrPercent). Off-peak the HPA sits at
minReplicas, so desiredHealthy ≥ minReplicas means every eviction is refused:
` + "`kubectl drain`" + `, node upgrades and the cluster autoscaler's scale-down hang on
these pods.

Fix: keep minAvailable below minReplicas (or use maxUnavailable: 1), or raise
minReplicas above minAvailable. The location is the PDB template's
` + "`minAvailable:`/`maxUnavailable:`" + ` line; the fix edits the values key that
line reads, in the file that sets it, and is validated by re-rendering.`,
	Run: runHPAPDBConflict,
}

func init() { register(hpaPDBConflict) }

func runHPAPDBConflict(ctx context.Context, in *Input) []finding.Finding {
	var out []finding.Finding
	for _, r := range in.Targets {
		if r.Err != nil || r.Target.App == nil {
			continue
		}
		for _, c := range pdbConflicts(r.Objects) {
			if ctx.Err() != nil {
				return out
			}
			out = append(out, pdbFinding(ctx, in, r, c))
		}
	}
	return out
}

// pdbConflict is one PDB that allows no disruption at an HPA's minimum.
type pdbConflict struct {
	hpa, workload, pdb *manifest.Object
	minReplicas        int32
	field              string // "minAvailable" or "maxUnavailable"
	raw                any
	desiredHealthy     int32
}

func pdbConflicts(objs []*manifest.Object) []pdbConflict {
	var out []pdbConflict
	r := &Rendered{Objects: objs}
	for _, h := range objectsOfKind(r, "autoscaling", "HorizontalPodAutoscaler") {
		w := hpaTarget(r, h)
		if w == nil {
			continue
		}
		podLabels := labels.Set(stringMapOf(manifest.Get(w.Content, "spec", "template", "metadata", "labels")))
		minR := int32(1)
		if v, ok := intField(h.Content, "spec", "minReplicas"); ok {
			minR = int32(v)
		}
		for _, p := range objectsOfKind(r, "policy", "PodDisruptionBudget") {
			if p.Ref.Namespace != w.Ref.Namespace || !selects(p, podLabels) {
				continue
			}
			field, raw, desired, ok := desiredHealthy(p, minR)
			if ok && minR-desired <= 0 {
				out = append(out, pdbConflict{hpa: h, workload: w, pdb: p, minReplicas: minR, field: field, raw: raw, desiredHealthy: desired})
			}
		}
	}
	return out
}

// selects reports whether the PDB's selector matches the pod labels. A nil
// selector selects nothing; an empty one (policy/v1) every pod.
func selects(p *manifest.Object, podLabels labels.Set) bool {
	raw := manifest.Get(p.Content, "spec", "selector")
	if raw == nil {
		return false
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return false
	}
	var ls metav1.LabelSelector
	if json.Unmarshal(b, &ls) != nil {
		return false
	}
	sel, err := metav1.LabelSelectorAsSelector(&ls)
	return err == nil && sel.Matches(podLabels)
}

// desiredHealthy follows getExpectedPodCount with every pod healthy and the
// workload at minReplicas.
func desiredHealthy(p *manifest.Object, minR int32) (field string, raw any, desired int32, ok bool) {
	for _, field := range []string{"maxUnavailable", "minAvailable"} {
		raw := manifest.Get(p.Content, "spec", field)
		var v intstr.IntOrString
		switch x := raw.(type) {
		case int64:
			v = intstr.FromInt32(int32(x))
		case string:
			v = intstr.FromString(x)
		default:
			continue
		}
		n, err := intstr.GetScaledValueFromIntOrPercent(&v, int(minR), true)
		if err != nil {
			return "", nil, 0, false
		}
		if field == "maxUnavailable" {
			return field, raw, max(minR-int32(n), 0), true
		}
		return field, raw, int32(n), true
	}
	return "", nil, 0, false
}

func stringMapOf(v any) map[string]string {
	out := map[string]string{}
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			out[k] = fmt.Sprint(x)
		}
	}
	return out
}

func pdbFinding(ctx context.Context, in *Input, r *Rendered, c pdbConflict) finding.Finding {
	re := regexp.MustCompile(`^\s*` + c.field + `:`)
	loc := sourceLine(in, r, c.pdb, re)
	if loc.IsZero() {
		loc = manifestLineOpt(in, r, c.pdb, re, true)
	}
	f := finding.Finding{
		App: r.Target.App.Name(), Env: r.Target.Env, Object: c.pdb.Ref, Location: loc,
		Message: fmt.Sprintf("PDB %s allows no disruption while HPA %s is at its minimum of %d replicas (%s %v)",
			c.pdb.Ref.Name, c.hpa.Ref.Name, c.minReplicas, c.field, c.raw),
		Impact: "node drains, cluster upgrades and autoscaler scale-downs hang on these pods whenever the HPA sits at its minimum",
	}
	pdbPath := readAt(in, r, c.pdb, loc)
	minLine := sourceLine(in, r, c.hpa, regexp.MustCompile(`^\s*minReplicas:`))
	minPath := readAt(in, r, c.hpa, minLine)
	f.Evidence = []finding.Evidence{
		{Label: "disruptions allowed at minimum", Value: fmt.Sprintf("%d healthy − %d desired = %d", c.minReplicas, c.desiredHealthy, c.minReplicas-c.desiredHealthy)},
		valueEvidence(in, r, "PDB "+c.field, fmt.Sprint(c.raw), pdbPath, loc),
		valueEvidence(in, r, "HPA minReplicas", fmt.Sprint(c.minReplicas), minPath, minLine),
		{Label: "selects", Value: fmt.Sprintf("the pods of %s %s", c.workload.Ref.Kind, c.workload.Ref.Name)},
	}
	if fix, ok := pdbFix(ctx, in, r, c, pdbPath); ok {
		f.Fixes = append(f.Fixes, fix)
	}
	return f
}

// readAt returns the values path a template line reads, when exactly one.
func readAt(in *Input, r *Rendered, o *manifest.Object, loc finding.Location) values.Path {
	ix := chartIndex(in, r)
	if ix == nil || loc.IsZero() {
		return nil
	}
	srcs := chartSources(r.Chart, r.Target.Dir)
	var found values.Path
	for _, rd := range ix.Reads(templateName(o)) {
		if srcs[rd.Template] == loc.File && rd.At.Line == loc.Line && len(rd.Path) > 0 {
			if found != nil && !found.Equal(rd.Path) {
				return nil
			}
			found = rd.Path
		}
	}
	return found
}

// valueEvidence names a value and where it is set.
func valueEvidence(in *Input, r *Rendered, label, value string, p values.Path, fallback finding.Location) finding.Evidence {
	ev := finding.Evidence{Label: label, Value: value, At: fallback}
	if p != nil {
		if layer, loc := valueOrigin(in, r, p); !loc.IsZero() {
			ev.Value = fmt.Sprintf("%s (%s %s)", value, originLabel(layer), p)
			ev.At = loc
		}
	}
	return ev
}

// pdbFix lowers an integer minAvailable to one below minReplicas in the
// file that sets it, and checks by re-rendering that the conflict is gone.
func pdbFix(ctx context.Context, in *Input, r *Rendered, c pdbConflict, p values.Path) (finding.Fix, bool) {
	n, isInt := c.raw.(int64)
	if c.field != "minAvailable" || !isInt || c.minReplicas < 2 || p == nil || in.Renderer == nil {
		return finding.Fix{}, false
	}
	if v, ok := effectiveValue(r, p); !ok || fmt.Sprint(v) != fmt.Sprint(n) {
		return finding.Fix{}, false // the line does not print the key as is
	}
	want := int64(c.minReplicas - 1)
	layer, loc := valueOrigin(in, r, p)
	if loc.IsZero() {
		return finding.Fix{}, false
	}
	file, editPath, doc := loc.File, p.String(), 0
	if layer != nil {
		switch layer.Kind {
		case "file":
		case "valuesObject":
			file, editPath, doc = r.Target.App.Declared.File, layer.Field+"."+p.String(), r.Target.App.DocIndex
		default:
			return finding.Fix{}, false
		}
	}
	vals := deepCopyValues(r.Values)
	setPath(vals, p, want)
	objs, err := in.Renderer.RenderValues(ctx, r.Target, vals)
	if err != nil {
		return finding.Fix{}, false
	}
	for _, again := range pdbConflicts(objs) {
		if again.pdb.Ref == c.pdb.Ref {
			return finding.Fix{}, false
		}
	}
	return finding.Fix{
		Title: fmt.Sprintf("Lower %s to %d in %s", p, want, file),
		Kind:  finding.FixYAML,
		File:  file,
		Patch: fmt.Sprintf("# %s: one pod of the %d at the HPA minimum may be evicted\n%s: %d\n", file, c.minReplicas, editPath, want),
		Edits: []finding.Edit{{File: file, Document: doc, Path: editPath, Op: finding.OpSet, Value: fmt.Sprint(want)}},
	}, true
}
