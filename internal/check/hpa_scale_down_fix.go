package check

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/hpa"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// behaviorMarker is a behavior no chart ships; a values path is the one
// rendered into spec.behavior when setting it there makes the marker appear.
const behaviorMarker = 1777

// behaviorPath finds the values key a chart renders into the HPA's
// spec.behavior, by perturbation: each key the template reads whose name
// mentions behavior is set to a marker behavior and the chart re-rendered.
// nil when no such key exists or re-rendering is unavailable.
func behaviorPath(ctx context.Context, in *Input, r *Rendered, o *manifest.Object) values.Path {
	ix := chartIndex(in, r)
	if ix == nil || in.Renderer == nil {
		return nil
	}
	v := in.Memo("hpa-behavior-path:"+r.Target.ID()+"|"+o.Ref.String(), func() any {
		var cands []values.Path
		for _, rd := range ix.Reads(templateName(o)) {
			if len(rd.Path) == 0 || !strings.Contains(strings.ToLower(rd.Path[len(rd.Path)-1]), "behavior") {
				continue
			}
			if !slices.ContainsFunc(cands, rd.Path.Equal) {
				cands = append(cands, rd.Path)
			}
		}
		marker := map[string]any{"scaleDown": map[string]any{"stabilizationWindowSeconds": int64(behaviorMarker)}}
		for _, p := range cands[:min(len(cands), 4)] {
			vals := deepCopyValues(r.Values)
			setPath(vals, p, marker)
			objs, err := in.Renderer.RenderValues(ctx, r.Target, vals)
			if err != nil {
				continue
			}
			if h := objectByRef(objs, o.Ref); h != nil {
				if w, _ := intField(h.Content, "spec", "behavior", "scaleDown", "stabilizationWindowSeconds"); w == behaviorMarker {
					return p
				}
			}
		}
		return values.Path(nil)
	})
	p, _ := v.(values.Path)
	return p
}

// behaviorProposals are the behaviors a fix tries, most conservative first:
// a scale-down window that rides out short dips, then a rate limit, and a
// scale-up that doubles every 15 s (the API's own scale-up default).
var behaviorProposals = []struct{ window, percent, period int64 }{
	{300, 50, 60}, {180, 100, 60}, {120, 100, 15}, {60, 100, 15},
}

func proposalMap(window, percent, period int64) map[string]any {
	return map[string]any{
		"scaleDown": map[string]any{
			"stabilizationWindowSeconds": window,
			"selectPolicy":               "Max",
			"policies":                   []any{map[string]any{"type": "Percent", "value": percent, "periodSeconds": period}},
		},
		"scaleUp": map[string]any{
			"stabilizationWindowSeconds": int64(0),
			"selectPolicy":               "Max",
			"policies": []any{
				map[string]any{"type": "Percent", "value": int64(100), "periodSeconds": int64(15)},
				map[string]any{"type": "Pods", "value": int64(4), "periodSeconds": int64(15)},
			},
		},
	}
}

// hpaBehaviorFix proposes a behavior block at bpath that the simulator
// finds within budget and checks it by re-rendering with the edit applied.
func hpaBehaviorFix(ctx context.Context, in *Input, r *Rendered, o *manifest.Object, spec hpa.Spec, bpath values.Path, b hpaBudgets) (finding.Fix, bool) {
	if bpath == nil || in.Renderer == nil {
		return finding.Fix{}, false
	}
	file, editPath, doc, layerIdx, ok := behaviorFixTarget(in, r, bpath)
	if !ok {
		return finding.Fix{}, false
	}
	for _, p := range behaviorProposals {
		prop := proposalMap(p.window, p.percent, p.period)
		trial := spec
		trial.Behavior = parseBehavior(prop)
		if judge(trial, b).reported() {
			continue
		}
		vals := valuesWithEdit(in, r, bpath, layerIdx, prop)
		objs, err := in.Renderer.RenderValues(ctx, r.Target, vals)
		if err != nil {
			continue
		}
		h := objectByRef(objs, o.Ref)
		if h == nil {
			continue
		}
		got, ok := hpaSpecOf(h)
		if !ok {
			continue
		}
		v := judge(got, b)
		if v.reported() {
			continue
		}
		body, err := yaml.Marshal(prop)
		if err != nil {
			continue
		}
		nested := any(prop)
		for i := len(bpath) - 1; i >= 0; i-- {
			nested = map[string]any{bpath[i]: nested}
		}
		frag, _ := yaml.Marshal(nested)
		fix := finding.Fix{
			Title: fmt.Sprintf("Set %s in %s", bpath, file),
			Kind:  finding.FixYAML,
			File:  file,
			Patch: fmt.Sprintf("# scale-down %d → %d in %s; a 10× spike absorbed in %s\n# scale-down: %s\n%s",
				got.MaxReplicas, got.MinReplicas, dur(v.down), dur(v.up), hpa.Timeline(v.downSteps), frag),
			Edits: []finding.Edit{{File: file, Document: doc, Path: editPath, Op: finding.OpSet, Value: string(body)}},
		}
		if r.Target.App.Origin == target.OriginTerraform && file == r.Target.App.Declared.File {
			fix.Kind, fix.Edits = finding.FixTerraform, nil
		}
		return fix, true
	}
	return finding.Fix{}, false
}

// behaviorFixTarget picks the file for the behavior block: the user layer
// that already sets bpath, else the chart default that does, else the
// environment's own value file (the last one no other chart loads), else
// the chart's values.yaml. layerIdx is the user layer edited, -1 for the
// chart's values.yaml.
func behaviorFixTarget(in *Input, r *Rendered, bpath values.Path) (file, editPath string, doc, layerIdx int, ok bool) {
	layers := targetLayers(in, r)
	for i := len(layers) - 1; i >= 0; i-- {
		if _, set := values.Lookup(layers[i].Values, bpath); !set {
			continue
		}
		switch layers[i].Kind {
		case "file":
			return layers[i].File, bpath.String(), 0, i, true
		case "valuesObject":
			return r.Target.App.Declared.File, layers[i].Field + "." + bpath.String(), r.Target.App.DocIndex, i, true
		}
		return "", "", 0, 0, false // a values string or a parameter cannot carry a map edit
	}
	if _, loc := valueOrigin(in, r, bpath); !loc.IsZero() {
		return loc.File, bpath.String(), 0, -1, true
	}
	for i := len(layers) - 1; i >= 0; i-- {
		if layers[i].Kind == "file" && !sharedFile(in, layers[i].File, r.Target.Dir) {
			return layers[i].File, bpath.String(), 0, i, true
		}
	}
	if r.Target.Dir == "" {
		return "", "", 0, 0, false
	}
	return path.Join(r.Target.Dir, "values.yaml"), bpath.String(), 0, -1, true
}

// sharedFile reports whether a chart other than dir loads file.
func sharedFile(in *Input, file, dir string) bool {
	for _, t := range in.Targets {
		if t.Target.Dir != dir && slices.Contains(t.Target.ValueFiles, file) {
			return true
		}
	}
	return false
}

// valuesWithEdit returns the user values the chart would get after setting
// bpath to prop in user layer layerIdx (-1: in the chart's values.yaml):
// the layers below and above still merge around the edited one, as helm's
// value-file merge does.
func valuesWithEdit(in *Input, r *Rendered, bpath values.Path, layerIdx int, prop map[string]any) map[string]any {
	layers := targetLayers(in, r)
	var sub any
	if layerIdx < 0 {
		// The chart default is replaced: keys of the old default that the
		// proposal lacks are nulled so coalescing drops them.
		old, _ := values.Lookup(chartValues(r), bpath)
		sub = withNulls(deepCopyValue(prop), old)
	}
	for i, l := range layers {
		if i == layerIdx {
			sub = deepCopyValue(prop)
			continue
		}
		if v, ok := values.Lookup(l.Values, bpath); ok {
			sub = mergeValue(sub, deepCopyValue(v))
		}
	}
	vals := deepCopyValues(r.Values)
	setPath(vals, bpath, sub)
	return vals
}

func chartValues(r *Rendered) map[string]any {
	if r.Chart == nil {
		return nil
	}
	return r.Chart.Values
}

// withNulls adds a null for each key of old that v lacks, recursively.
func withNulls(v, old any) any {
	vm, ok1 := v.(map[string]any)
	om, ok2 := old.(map[string]any)
	if !ok1 || !ok2 {
		return v
	}
	for k, ov := range om {
		if nv, ok := vm[k]; ok {
			vm[k] = withNulls(nv, ov)
		} else {
			vm[k] = nil
		}
	}
	return vm
}

// objectByRef returns the object with ref among objs.
func objectByRef(objs []*manifest.Object, ref finding.ObjectRef) *manifest.Object {
	for _, o := range objs {
		if o.Ref.Group == ref.Group && o.Ref.Kind == ref.Kind && o.Ref.Namespace == ref.Namespace && o.Ref.Name == ref.Name {
			return o
		}
	}
	return nil
}
