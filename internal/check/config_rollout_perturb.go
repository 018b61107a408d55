package check

import (
	"context"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// maxPerturbed bounds the keys perturbed one by one per Target; a chart
// with more candidate keys is skipped (silence, not a guess).
const maxPerturbed = 256

// crAnalysis is what perturbing one Helm Target's values showed.
type crAnalysis struct {
	// feeds maps a config object (Ref.String) to the keys whose change
	// changes its data, sorted.
	feeds map[string][]values.Path
	// feedKeys maps a config object and a key feeding it to the data keys
	// (ConfigMap/Secret entries) the key's change changes; no entry when
	// more than data changes (a spec), so every consumer counts.
	feedKeys map[string]map[string]map[string]bool
	// rolls maps a workload (Ref.String) to the keys (Path.String) whose
	// change changes its pod template.
	rolls map[string]map[string]bool
	// bumps holds workloads whose pod template hashes a rendered manifest
	// carrying the chart's version label.
	bumps map[string]bool
	// overBroad holds workloads whose pod template changes when a key no
	// template names is added to the values.
	overBroad map[string]bool
	// unstable holds objects that differ between two identical renders.
	unstable map[string]bool
	// landings maps a workload to the values maps whose entries become its
	// annotations (for the Reloader fix).
	landings map[string][]crLanding
	// renders counts the renders made, for benchmarks.
	renders int
	// filled is set when the marker render gave empty maps a marker entry,
	// as the fixer's own marker render does: its landings then serve
	// findings on external sources too.
	filled bool
}

// crLanding is a values map whose entries land in a workload's metadata
// annotations (Meta) or pod template annotations.
type crLanding struct {
	Path values.Path
	Meta bool
}

type renderFn func(vals map[string]any) ([]*manifest.Object, error)

func indexObjs(objs []*manifest.Object) map[string]*manifest.Object {
	out := make(map[string]*manifest.Object, len(objs))
	for _, o := range objs {
		out[o.Ref.String()] = o
	}
	return out
}

// analyzeRollout perturbs the values of rd to learn which keys change the
// config objects srcs and which change the pod templates of ws. read tells
// whether a workload's template may read a key (the values index); keys it
// cannot read are perturbed together in one render. srcReads tells
// whether a config object's template names a key itself; random whether
// the chart calls a random function.
func analyzeRollout(ctx context.Context, rd *Rendered, ws []*crWorkload, srcs map[string]*manifest.Object, read func(w *crWorkload, p values.Path) bool, srcReads func(p values.Path) bool, random bool, render, mark renderFn) *crAnalysis {
	a := &crAnalysis{bumps: map[string]bool{}, feeds: map[string][]values.Path{}, feedKeys: map[string]map[string]map[string]bool{}, rolls: map[string]map[string]bool{}, overBroad: map[string]bool{}, unstable: map[string]bool{}, landings: map[string][]crLanding{}}
	eff := effectiveValues(rd.Chart, rd.Values)
	var tagged []*manifest.Object
	var tags []crTag
	var err error
	for _, fill := range []bool{true, false} {
		var tv map[string]any
		tv, tags = tagValues(eff, fill)
		a.renders++
		if tagged, err = mark(tv); err == nil {
			a.filled = fill
			break
		}
	}
	if err != nil {
		return nil // markers broke the chart (a schema, a strict format): stay silent
	}
	tIdx := indexObjs(tagged)
	strKeys := map[string]values.Path{}
	markerFeeds := map[string]map[string]bool{}           // source -> key
	markerKeys := map[string]map[string]map[string]bool{} // source -> key -> data keys
	for ref := range srcs {
		o := tIdx[ref]
		if o == nil {
			continue
		}
		markerFeeds[ref] = map[string]bool{}
		markerKeys[ref] = map[string]map[string]bool{}
		for dk, text := range sourceEntries(o) {
			for _, i := range markersIn(text, tags) {
				if tags[i].EmptyMap {
					continue
				}
				k := tags[i].Path.String()
				strKeys[k] = tags[i].Path
				markerFeeds[ref][k] = true
				if markerKeys[ref][k] == nil {
					markerKeys[ref][k] = map[string]bool{}
				}
				markerKeys[ref][k][dk] = true
			}
		}
	}
	for _, w := range ws {
		if o := tIdx[w.Obj.Ref.String()]; o != nil {
			a.landings[w.Obj.Ref.String()] = landingsOf(o, tags)
		}
	}
	// A string key whose marker shows in every workload's pod template
	// (used directly, or hashed: mark sees through the hash functions)
	// changes those templates whenever it changes: it needs no render.
	inTemplate := make([]map[string]bool, len(ws)) // per workload: keys whose marker it shows
	for n, w := range ws {
		inTemplate[n] = map[string]bool{}
		if o := tIdx[w.Obj.Ref.String()]; o != nil {
			canon := templateCanon(o)
			a.bumps[w.Obj.Ref.String()] = strings.Contains(canon, chartBumpToken)
			for _, i := range markersIn(canon, tags) {
				if !tags[i].EmptyMap {
					inTemplate[n][tags[i].Path.String()] = true
				}
			}
		}
	}
	shown := func(p values.Path) bool {
		for n := range ws {
			if !inTemplate[n][p.String()] {
				return false
			}
		}
		return true
	}
	// Non-string leaves are perturbed one by one when their map also holds
	// a string that reaches a config object, or when a config object's
	// template names them (a condition: `if .Values.debug`).
	var single, group []values.Path
	for _, p := range values.Leaves(eff) {
		v, _ := values.Lookup(eff, p)
		if _, isStr := v.(string); isStr {
			continue
		}
		if _, ok := perturb(v); !ok {
			continue
		}
		if srcReads(p) {
			single = append(single, p)
			continue
		}
		if len(p) < 2 {
			continue
		}
		parent := p[:len(p)-1]
		for _, sk := range strKeys {
			if sk.HasPrefix(parent) {
				single = append(single, p)
				break
			}
		}
	}
	var known []values.Path
	for _, p := range strKeys {
		if shown(p) {
			known = append(known, p)
			continue
		}
		readByAny := false
		for _, w := range ws {
			readByAny = readByAny || read(w, p)
		}
		if readByAny {
			single = append(single, p)
		} else {
			group = append(group, p)
		}
	}
	slices.SortFunc(single, comparePath)
	slices.SortFunc(group, comparePath)
	if len(single) > maxPerturbed {
		return nil
	}
	base := indexObjs(rd.Objects)
	probeKey := "syncdoctorProbe"
	for _, ok := rd.Values[probeKey]; ok; _, ok = rd.Values[probeKey] {
		probeKey += "X"
	}
	// The probe adds a key no template names: a pod template that changes
	// hashes all the values (over-broad), or the chart renders something
	// random. Neither can happen when the chart calls no random function
	// and no workload template may read the new key (the values index sees
	// no whole-values read): the probe would render the base again.
	probing := rd.Chart == nil || random
	for _, w := range ws {
		probing = probing || read(w, values.Path{probeKey})
	}
	var jobs []map[string]any
	if probing {
		jobs = append(jobs, withValue(rd.Values, values.Path{probeKey}, "probe"))
	}
	if len(group) > 0 {
		gv := rd.Values
		for _, p := range group {
			v, _ := values.Lookup(eff, p)
			pv, _ := perturb(v)
			gv = withValue(gv, p, pv)
		}
		jobs = append(jobs, gv)
	}
	for _, p := range single {
		v, _ := values.Lookup(eff, p)
		pv, _ := perturb(v)
		jobs = append(jobs, withValue(rd.Values, p, pv))
	}
	results := renderAll(ctx, render, jobs)
	a.renders += len(jobs)
	next := 0
	probe := rd.Objects
	if probing {
		if probe = results[0]; probe == nil {
			return nil
		}
		next = 1
	}
	// Anything the probe changed is either over-broad or random; one more
	// plain render tells which.
	suspicious := false
	for ref := range srcs {
		suspicious = suspicious || changedSource(base, probe, ref)
	}
	for _, w := range ws {
		suspicious = suspicious || changedTemplate(base, probe, w.Obj.Ref.String())
	}
	if suspicious {
		a.renders++
		again, err := render(rd.Values)
		if err != nil {
			return nil
		}
		ai := indexObjs(again)
		for ref, o := range base {
			if n := ai[ref]; n == nil || !sameSource(n, o) || !sameTemplate(n, o) {
				a.unstable[ref] = true
			}
		}
	}
	for _, w := range ws {
		ref := w.Obj.Ref.String()
		a.rolls[ref] = map[string]bool{}
		if !a.unstable[ref] && changedTemplate(base, probe, ref) {
			srcMoved := false
			for _, s := range w.Sources {
				srcMoved = srcMoved || changedSource(base, probe, s.Kind+"/"+w.Obj.Ref.Namespace+"/"+s.Name)
			}
			a.overBroad[ref] = !srcMoved
		}
	}
	feeds := map[string]map[string]values.Path{}
	addFeed := func(src string, p values.Path, dataKeys map[string]bool) {
		if feeds[src] == nil {
			feeds[src] = map[string]values.Path{}
			a.feedKeys[src] = map[string]map[string]bool{}
		}
		feeds[src][p.String()] = p
		if dataKeys != nil {
			a.feedKeys[src][p.String()] = dataKeys
		}
	}
	if len(group) > 0 {
		g := results[next]
		next++
		var regroup []values.Path
		rolled := false
		for _, w := range ws {
			rolled = rolled || g == nil || changedTemplate(base, g, w.Obj.Ref.String())
		}
		if rolled {
			regroup = group // the index was too optimistic: test one by one
		} else {
			for _, p := range group {
				for src, ks := range markerFeeds {
					if ks[p.String()] && changedSource(base, g, src) {
						addFeed(src, p, markerKeys[src][p.String()])
					}
				}
			}
		}
		if len(single)+len(regroup) > maxPerturbed {
			return nil
		}
		var more []map[string]any
		for _, p := range regroup {
			v, _ := values.Lookup(eff, p)
			pv, _ := perturb(v)
			more = append(more, withValue(rd.Values, p, pv))
		}
		extra := renderAll(ctx, render, more)
		a.renders += len(more)
		single = append(single, regroup...)
		results = append(results, extra...)
	}
	for _, p := range known {
		for src, ks := range markerFeeds {
			if ks[p.String()] {
				addFeed(src, p, markerKeys[src][p.String()])
			}
		}
		for _, w := range ws {
			a.rolls[w.Obj.Ref.String()][p.String()] = true
		}
	}
	for i, p := range single {
		objs := results[next+i]
		if objs == nil {
			continue // the perturbed value broke the render: no evidence
		}
		for src := range srcs {
			if changedSource(base, objs, src) {
				addFeed(src, p, changedEntries(base[src], objs, src))
			}
		}
		for _, w := range ws {
			if changedTemplate(base, objs, w.Obj.Ref.String()) {
				a.rolls[w.Obj.Ref.String()][p.String()] = true
			}
		}
	}
	for src, ks := range feeds {
		for _, p := range ks {
			a.feeds[src] = append(a.feeds[src], p)
		}
		slices.SortFunc(a.feeds[src], comparePath)
	}
	return a
}

func comparePath(a, b values.Path) int { return strings.Compare(a.String(), b.String()) }

// sameRef is a.String() == b.String() without building either: no part
// of a reference holds a '/'.
func sameRef(a, b finding.ObjectRef) bool {
	return a.Group == b.Group && a.Kind == b.Kind && a.Namespace == b.Namespace && a.Name == b.Name
}

// changedSource reports whether the config object ref has other data in
// objs than in base. An object that disappears is not counted: the key
// then renamed or removed it, which says nothing about its content.
func changedSource(base map[string]*manifest.Object, objs []*manifest.Object, ref string) bool {
	b := base[ref]
	if b == nil {
		return false
	}
	for _, o := range objs {
		if sameRef(o.Ref, b.Ref) {
			return !sameSource(o, b)
		}
	}
	return false
}

// changedTemplate reports whether the workload ref has another pod
// template in objs. A workload that disappears counts as changed (a
// renamed workload is a new rollout), which keeps the check quiet.
func changedTemplate(base map[string]*manifest.Object, objs []*manifest.Object, ref string) bool {
	b := base[ref]
	if b == nil {
		return true
	}
	for _, o := range objs {
		if sameRef(o.Ref, b.Ref) {
			return !sameTemplate(o, b)
		}
	}
	return true
}

// renderAll renders every job across the cores; a failed render leaves
// nil in its slot.
func renderAll(ctx context.Context, render renderFn, jobs []map[string]any) [][]*manifest.Object {
	out := make([][]*manifest.Object, len(jobs))
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, vals := range jobs {
		g.Go(func() error {
			if gctx.Err() != nil {
				return nil
			}
			objs, err := render(vals)
			if err == nil {
				mu.Lock()
				out[i] = objs
				mu.Unlock()
			}
			return nil
		})
	}
	_ = g.Wait()
	return out
}

// landingsOf finds the values maps whose entries became annotations of the
// tagged workload o: an annotation whose value is a string marker of a key
// named like the annotation, or the marker entry of an empty map.
func landingsOf(o *manifest.Object, tags []crTag) []crLanding {
	var out []crLanding
	seen := map[string]bool{}
	for _, meta := range []bool{true, false} {
		var ann map[string]any
		if meta {
			ann, _ = manifest.Get(o.Content, "metadata", "annotations").(map[string]any)
		} else {
			ann, _ = manifest.Get(o.Content, "spec", "template", "metadata", "annotations").(map[string]any)
		}
		for _, k := range slices.Sorted(maps.Keys(ann)) {
			v, _ := ann[k].(string)
			for _, i := range markersIn(k+"\n"+v, tags) {
				t := tags[i]
				p := t.Path
				if !t.EmptyMap {
					if len(p) < 2 || p[len(p)-1] != k {
						continue
					}
					p = p[:len(p)-1]
				}
				if key := p.String(); !seen[key] {
					seen[key] = true
					out = append(out, crLanding{Path: p, Meta: meta})
				}
			}
		}
	}
	return out
}

// changedEntries returns the data keys whose content differs between the
// config object b and the object ref in objs, or nil when anything besides
// the data entries differs.
func changedEntries(b *manifest.Object, objs []*manifest.Object, ref string) map[string]bool {
	var o *manifest.Object
	for _, x := range objs {
		if x.Ref.String() == ref {
			o = x
		}
	}
	if b == nil || o == nil || !reflect.DeepEqual(b.Content["spec"], o.Content["spec"]) {
		return nil
	}
	was, now := sourceEntries(b), sourceEntries(o)
	out := map[string]bool{}
	for k, v := range now {
		if was[k] != v {
			out[k] = true
		}
	}
	for k := range was {
		if _, ok := now[k]; !ok {
			out[k] = true
		}
	}
	return out
}

// consumedFeeds are the keys feeding source s of workload w whose change
// reaches what w reads of it: all of them unless w reads only some data
// keys (env valueFrom, volume items).
func consumedFeeds(a *crAnalysis, w *crWorkload, s crSource) []values.Path {
	ref := s.Kind + "/" + w.Obj.Ref.Namespace + "/" + s.Name
	if s.Keys == nil {
		return a.feeds[ref]
	}
	var out []values.Path
	for _, p := range a.feeds[ref] {
		dks, known := a.feedKeys[ref][p.String()]
		if !known {
			out = append(out, p)
			continue
		}
		for dk := range dks {
			if s.Keys[dk] {
				out = append(out, p)
				break
			}
		}
	}
	return out
}
