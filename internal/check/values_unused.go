package check

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// valuesUnused reports value-file keys that no chart loading the file reads, proven by re-rendering.
var valuesUnused = &Check{
	ID:       "values-unused",
	Summary:  "a values key that no chart loading it reads",
	Severity: finding.Warning,
	Modes:    Offline,
	Doc: `A key in an environment's value file (or in an Application's
` + "`values`/`valuesObject`/`parameters`" + `) that no chart loading it reads. It
usually is an override that never took effect: a per-service block in a file
every service loads (` + "`auth-service.autoscaling.minReplicas`" + ` where the chart reads
` + "`autoscaling.minReplicas`" + `), a misspelt or renamed key (` + "`replicas`" + ` for
` + "`replicaCount`" + `), or a setting left behind after a chart change. The
environment silently runs the chart default.

Proof is by perturbation, so Helm's routing needs no modelling: keys under a
dependency's name or alias reach the subchart, ` + "`global`" + ` reaches every chart,
library templates read through ` + "`include`" + `, ` + "`tpl`" + ` and ` + "`toYaml`" + ` read what
they are given. For every chart that loads the file in that environment, the key
is given a distinct marker value of the same kind and, separately, deleted; the
chart is re-rendered from the same merged values each time. A key is unused only
when no perturbation changes any output of any of those charts. Keys that the
template read index (internal/values) says a template may read are taken as used
without rendering; only the rest are perturbed, in groups, bisecting a group
whose output changed. A chart whose output is not reproducible (rand, now) proves
nothing and keeps all its keys.

The finding is reported at the highest key whose whole subtree is unused, with
the charts that load the file and the nearest key that is read (with its
effective value and where it is set). The fix deletes the key; move it instead
when the nearest read key is what was meant.`,
	Run: runValuesUnused,
}

func init() { register(valuesUnused) }

// valuesUnit is one source of values in one environment with the Helm
// targets that load it.
type valuesUnit struct {
	key     string
	layer   *userLayer
	targets []*Rendered
}

func runValuesUnused(ctx context.Context, in *Input) []finding.Finding {
	if in.Renderer == nil {
		return nil
	}
	var units []*valuesUnit
	byKey := map[string]*valuesUnit{}
	for _, r := range in.Targets {
		if r.Err != nil || r.Chart == nil || r.Target.Kind != target.SourceHelm {
			continue
		}
		for _, l := range targetLayers(in, r) {
			key := r.Target.Env + "|" + l.File
			if l.Kind != "file" {
				key = r.Target.ID() + "|" + l.Kind
			}
			u := byKey[key]
			if u == nil {
				u = &valuesUnit{key: key, layer: l}
				byKey[key] = u
				units = append(units, u)
			}
			u.targets = append(u.targets, r)
		}
	}
	var out []finding.Finding
	for _, u := range units {
		if ctx.Err() != nil {
			return out
		}
		out = append(out, unusedInUnit(ctx, in, u)...)
	}
	return out
}

// unusedInUnit finds the unused keys of one unit and reports each at its
// highest unused key.
func unusedInUnit(ctx context.Context, in *Input, u *valuesUnit) []finding.Finding {
	var cands []values.Path
	for _, p := range values.Leaves(u.layer.Values) {
		if len(p) > 0 && !readByAny(in, u.targets, p) {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	var perts []*perturber
	for _, r := range u.targets {
		pt, ok := newPerturber(ctx, in, r)
		if !ok {
			return nil
		}
		perts = append(perts, pt)
	}
	for _, pt := range perts {
		cands = pt.unused(cands)
		if len(cands) == 0 {
			return nil
		}
	}
	var out []finding.Finding
	for _, k := range topUnused(u.layer.Values, cands, perts) {
		out = append(out, unusedFinding(in, u, k, cands))
	}
	return out
}

// readByAny reports whether a template of any of the charts certainly
// reads p, by the read index. Only exact reads prune: the index's
// over-approximations (an include with a computed name, tpl of a computed
// text, a parse failure) read everything and prove nothing, so keys they
// cover go on to perturbation.
func readByAny(in *Input, rs []*Rendered, p values.Path) bool {
	for _, r := range rs {
		for _, rd := range exactReads(in, r) {
			if rd.Path.HasPrefix(p) || (rd.Whole && p.HasPrefix(rd.Path)) {
				return true
			}
		}
	}
	return false
}

// exactReads lists the reads of a chart's templates that the index made
// without a conservative rule, once per chart.
func exactReads(in *Input, r *Rendered) []values.Read {
	v := in.Memo("exact-reads:"+r.Target.Dir, func() any {
		ix := chartIndex(in, r)
		if ix == nil {
			return []values.Read(nil)
		}
		var out []values.Read
		for _, t := range ix.Templates() {
			for _, rd := range ix.Reads(t) {
				if rd.Why == "" && len(rd.Path) > 0 {
					out = append(out, rd)
				}
			}
		}
		return out
	})
	rs, _ := v.([]values.Read)
	return rs
}

// topUnused walks the layer's keys top-down and returns the highest keys
// whose every leaf is unused and whose removal as a whole changes nothing
// (a parent can be read as a condition even when its leaves are not).
func topUnused(vals map[string]any, unused []values.Path, perts []*perturber) []values.Path {
	var out []values.Path
	var walk func(p values.Path, v any)
	walk = func(p values.Path, v any) {
		if len(p) > 0 && allUnder(v, p, unused) && !changesAny(perts, p) {
			out = append(out, p)
			return
		}
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			walk(p.Child(k), m[k])
		}
	}
	walk(nil, vals)
	return out
}

// allUnder reports whether every leaf below p (p itself for a leaf) is in
// unused.
func allUnder(v any, p values.Path, unused []values.Path) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return slices.ContainsFunc(unused, p.Equal)
	}
	for k, x := range m {
		if !allUnder(x, p.Child(k), unused) {
			return false
		}
	}
	return true
}

func changesAny(perts []*perturber, p values.Path) bool {
	for _, pt := range perts {
		if pt.changes([]values.Path{p}) {
			return true
		}
	}
	return false
}

// appNames lists the distinct Applications of the unit's targets.
func appNames(u *valuesUnit) []string {
	var names []string
	for _, r := range u.targets {
		if n := r.Target.App.Name() + " (" + chartName(r) + ")"; !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

func chartName(r *Rendered) string {
	if r.Chart != nil && r.Chart.Metadata != nil {
		return r.Chart.Metadata.Name
	}
	return r.Target.Dir
}

func unusedFinding(in *Input, u *valuesUnit, k values.Path, unused []values.Path) finding.Finding {
	r0 := u.targets[0]
	loc := u.layer.at(k)
	f := finding.Finding{
		Env:      r0.Target.Env,
		Location: loc,
		Message:  fmt.Sprintf("values key %s is read by no chart that loads it", k),
		Impact:   "the setting never takes effect: the charts run with their defaults while the file suggests otherwise",
	}
	if len(appNames(u)) == 1 || u.layer.Kind != "file" {
		f.App = r0.Target.App.Name()
	}
	f.Evidence = append(f.Evidence,
		finding.Evidence{Label: "key", Value: k.String(), At: loc},
		finding.Evidence{Label: "loaded by", Value: strings.Join(appNames(u), ", ")},
	)
	// The chart the key is named after, if one loads the file, is the one
	// the key was meant for.
	order := slices.Clone(u.targets)
	slices.SortStableFunc(order, func(a, b *Rendered) int {
		return boolRank(chartName(a) != k[0]) - boolRank(chartName(b) != k[0])
	})
	for _, r := range order {
		if ev, ok := nearestRead(in, r, k, unused); ok {
			f.Evidence = append(f.Evidence, ev)
			break
		}
	}
	if fix, ok := deleteKeyFix(u, k); ok {
		f.Fixes = append(f.Fixes, fix)
	}
	return f
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
