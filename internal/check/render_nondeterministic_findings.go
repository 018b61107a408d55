package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// ndGroup is the changed fields of one object that come from one call
// (or from calls the templates do not tell apart).
type ndGroup struct {
	attr  ndAttribution
	paths []string
}

// nondeterministicFindings compares the first render with the second and
// reports, per object, one finding for each call the changed fields come
// from, with a rule for those fields only.
func nondeterministicFindings(ctx context.Context, in *Input, r *Rendered, again []*manifest.Object, shifted bool) []finding.Finding {
	app := r.Target.App
	opts := appDiffOptions(in, app)
	second := map[string]*manifest.Object{}
	for _, o := range again {
		second[o.Ref.String()] = o
	}
	calls := in.Memo(fmt.Sprintf("nd-calls:%p:%s", r.Chart, r.Target.Dir), func() any { return chartCalls(r.Chart, r.Target.Dir) }).(*ndCalls)
	var out []finding.Finding
	for _, a := range r.Objects {
		if ctx.Err() != nil {
			return out
		}
		b, ok := second[a.Ref.String()]
		if !ok || a.IsHook() {
			continue
		}
		paths := changedPaths("", a.Content, b.Content)
		if len(paths) == 0 {
			continue
		}
		reach := calls.reachable(a.File)
		var groups []*ndGroup
		byKey := map[string]*ndGroup{}
		for _, p := range paths {
			at := ndAttribute(reach, p)
			g := byKey[at.key()]
			if g == nil {
				g = &ndGroup{attr: at}
				byKey[at.key()] = g
				groups = append(groups, g)
			}
			g.paths = append(g.paths, p)
		}
		for _, g := range groups {
			// The first render with only this group's fields as in the second.
			desired := values.DeepCopy(a.Content)
			for _, p := range g.paths {
				copyPointer(desired, b.Content, p)
			}
			// Already hidden by the app's rules: not a loop.
			if res := diffsem.Compare(desired, a.Content, app.App.Spec.IgnoreDifferences, opts); res.Err == nil && !res.Modified {
				continue
			}
			f := ndFinding(r, a, g, shifted)
			if rule, ok := diffsem.MinimalRule(desired, a.Content, app.App.Spec.IgnoreDifferences, opts); ok && ruleCount(rule) > 0 {
				f.Fixes = respectOnSync(app, ignoreFixes(app, []v1alpha1.ResourceIgnoreDifferences{rule}, ""))
			}
			out = append(out, f)
		}
	}
	return out
}

// ndFinding words the finding for one group of fields of object a.
func ndFinding(r *Rendered, a *manifest.Object, g *ndGroup, shifted bool) finding.Finding {
	app := r.Target.App
	fields := strings.Join(g.paths, ", ")
	second := "a second render"
	if shifted {
		second = "a second render with the clock " + clockShiftText + " ahead"
	}
	ev := []finding.Evidence{{Label: "why", Value: fmt.Sprintf("the chart's render and %s, with the same values, differ in %s (values not shown)", second, fields)}}
	loc := finding.Location{File: a.File}
	msg := fmt.Sprintf("%s %s renders differently every time (%s), so ArgoCD sees it OutOfSync after each new render", a.Ref.Kind, a.Ref.Name, fields)
	switch {
	case g.attr.known:
		c := g.attr.call
		loc = c.at
		label := "random function"
		if !isRandom(c.fn) {
			label = "time function"
		}
		ev = append(ev, finding.Evidence{Label: label, Value: c.fn, At: c.at})
		msg = fmt.Sprintf("%s %s renders differently every time (%s, from %s), so ArgoCD sees it OutOfSync after each new render", a.Ref.Kind, a.Ref.Name, fields, c.fn)
	case len(g.attr.candidates) > 0:
		for _, c := range g.attr.candidates {
			ev = append(ev, finding.Evidence{Label: "candidate", Value: c.fn + " (the templates do not tell which call sets " + fields + ")", At: c.at})
		}
	default:
		ev = append(ev, finding.Evidence{Label: "source", Value: "no random or time function is called by the template or the named templates it includes; a value passed through tpl may call one"})
	}
	ev = append(ev, finding.Evidence{Label: "application", Value: "Application " + app.Name() + " renders this chart on every new commit, hard refresh or cache expiry", At: app.Declared})
	return finding.Finding{
		App: app.Name(), Env: r.Target.Env, Object: a.Ref, Location: loc,
		Message:  msg,
		Evidence: ev,
		Impact:   "each sync rotates the generated value (password, certificate, token, timestamp) under running workloads; with automated sync it happens on every commit to the repository",
	}
}

// clockShiftText is clockShift as people read it.
const clockShiftText = "400 days 7 h 13 min 17 s"

func isRandom(fn string) bool {
	for _, n := range randomNames {
		if n == fn && n != "now" {
			return true
		}
	}
	return false
}

// copyPointer makes the value at RFC 6901 pointer p in dst what it is in
// src: set, added to its map, or removed when src has none.
func copyPointer(dst, src map[string]any, p string) {
	v, ok := valueAt(src, p)
	if !ok {
		removePointer(dst, p)
		return
	}
	v = values.DeepCopyValue(v)
	if setPointer(dst, p, v) {
		return
	}
	if parent, last, ok := pointerParent(dst, p); ok {
		if m, isMap := parent.(map[string]any); isMap {
			m[last] = v
		}
	}
}
