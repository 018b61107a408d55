package check

import (
	"context"
	"maps"
	"strings"
	"sync"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// sourceRenderer re-renders only some templates of a Helm target
// (render.Renderer.RenderSources).
type sourceRenderer interface {
	RenderSources(ctx context.Context, t *target.Target, vals map[string]any, sources map[string]bool) ([]*manifest.Object, error)
	RenderSourcesFuncs(ctx context.Context, t *target.Target, vals map[string]any, sources map[string]bool, funcs map[string]any) ([]*manifest.Object, error)
}

// perturbRenderer returns the render the perturbation analysis runs, and
// confirm, which tells whether changing key p changes the config object
// src but not workload w's pod template in a full render.
//
// Only the templates of the workloads and config objects matter to the
// analysis, so when the Renderer can, it executes only those (about a
// fifth of a chart's templates, and none of the other documents is
// parsed). Such a render cannot see a failure of a template it skips, so
// every key about to be reported that a left-out template may read (by
// the chart's values index) is confirmed by a render that also runs the
// templates reading it (all of them when the index cannot tell): a key
// whose change breaks the chart, or that this render does not bear out,
// is not reported.
func perturbRenderer(ctx context.Context, in *Input, rd *Rendered, ws []*crWorkload, srcs map[string]*manifest.Object) (render, mark renderFn, confirm func(p values.Path, src, w string) bool) {
	t := rd.Target
	full := func(v map[string]any) ([]*manifest.Object, error) { return in.Renderer.RenderValues(ctx, t, v) }
	sr, ok := in.Renderer.(sourceRenderer)
	if !ok {
		return full, full, func(values.Path, string, string) bool { return true }
	}
	sources := map[string]bool{}
	for _, w := range ws {
		sources[w.Obj.Source] = true
	}
	for _, o := range srcs {
		sources[o.Source] = true
	}
	if sources[""] {
		return full, full, func(values.Path, string, string) bool { return true }
	}
	// A key no left-out template may read leaves their output, and their
	// success, as in the plain render: the partial result is the full one.
	var others []string
	ix := chartIndex(in, rd)
	if ix != nil && ix.Incomplete() == "" {
		for _, name := range ix.Templates() {
			if !sources[name] {
				others = append(others, name)
			}
		}
	}
	// readers are the left-out templates that may read p; all when the
	// index cannot tell.
	readers := func(p values.Path) (names []string, all bool) {
		if ix == nil || ix.Incomplete() != "" {
			return nil, true
		}
		for _, name := range others {
			reads := ix.Reads(name)
			if reads == nil {
				return nil, true
			}
			for _, r := range reads {
				if r.Path.HasPrefix(p) || p.HasPrefix(r.Path) {
					names = append(names, name)
					break
				}
			}
		}
		return names, false
	}
	base := indexObjs(rd.Objects)
	eff := effectiveValues(rd.Chart, rd.Values)
	var mu sync.Mutex
	renders := map[string][]*manifest.Object{}
	confirm = func(p values.Path, src, w string) bool {
		names, all := readers(p)
		if !all && len(names) == 0 {
			return true
		}
		mu.Lock()
		objs, seen := renders[p.String()]
		mu.Unlock()
		if !seen {
			v, _ := values.Lookup(eff, p)
			pv, _ := perturb(v)
			if all {
				objs, _ = full(withValue(rd.Values, p, pv))
			} else {
				// The templates that read p run too: their failure is
				// seen, and the others' output is the plain render's.
				more := maps.Clone(sources)
				for _, n := range names {
					more[n] = true
				}
				objs, _ = sr.RenderSources(ctx, t, withValue(rd.Values, p, pv), more)
			}
			mu.Lock()
			renders[p.String()] = objs
			mu.Unlock()
		}
		return objs != nil && changedSource(base, objs, src) && !changedTemplate(base, objs, w)
	}
	render = func(v map[string]any) ([]*manifest.Object, error) { return sr.RenderSources(ctx, t, v, sources) }
	hashes := markerHashes(chartLabel(rd))
	mark = func(v map[string]any) ([]*manifest.Object, error) {
		return sr.RenderSourcesFuncs(ctx, t, v, sources, hashes)
	}
	return render, mark, confirm
}

// chartBumpToken is what the marker render's hash functions add to their
// output when their input holds the chart's `helm.sh/chart` label value:
// the checksum then covers a rendered manifest that changes with every
// chart version.
const chartBumpToken = "sdxchartbump"

// chartLabel is the value of the standard `helm.sh/chart` label of rd's
// chart (`helm create`'s helper: name-version, '+' replaced by '_'); ""
// without a chart.
func chartLabel(rd *Rendered) string {
	if rd.Chart == nil || rd.Chart.Metadata == nil || rd.Chart.Metadata.Version == "" {
		return ""
	}
	return rd.Chart.Name() + "-" + strings.ReplaceAll(rd.Chart.Metadata.Version, "+", "_")
}

// markerHashes replace the template hash functions in the marker render:
// instead of a digest they return the markers in their input (never an
// empty string, so the annotation stays a string), and chartBumpToken when
// the input holds label, the chart's version label. A marker that reaches
// a checksum annotation this way is a key whose change changes the
// digest, and so the pod template.
func markerHashes(label string) map[string]any {
	seeThrough := func(s string) string {
		parts := append([]string{"sdxhash"}, markerRE.FindAllString(strings.ToLower(s), -1)...)
		if label != "" && strings.Contains(s, label) {
			parts = append(parts, chartBumpToken)
		}
		return strings.Join(parts, "-")
	}
	out := map[string]any{}
	// sprig's digests (crypto.go): the functions charts hash config with.
	for _, name := range []string{"sha1sum", "sha256sum", "sha512sum", "adler32sum"} {
		out[name] = seeThrough
	}
	return out
}
