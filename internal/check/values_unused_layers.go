package check

import (
	"fmt"
	"path"
	"strings"

	"helm.sh/helm/v3/pkg/strvals"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// userLayer is one source of a Helm target's user values, lowest
// precedence first (value files, then values/valuesObject, then
// parameters: argo-cd util/helm/cmd.go template hands them to helm in
// that order), with where each key is written.
type userLayer struct {
	*values.Layer
	// Kind is "file", "values", "valuesObject" or "parameters".
	Kind string
	// Field is the Application field holding an inline layer
	// ("spec.source.helm.valuesObject"), "" for files.
	Field string
	app   func(string) finding.Location
}

// at returns where the layer sets p: the key line of a file or of
// valuesObject, the parameter entry, or the inline field itself.
func (l *userLayer) at(p values.Path) finding.Location {
	if loc, ok := l.Pos[p.String()]; ok && loc.Line > 0 {
		return loc
	}
	if l.Field != "" && l.app != nil {
		return l.app(l.Field)
	}
	return finding.Location{File: l.File}
}

// targetLayers returns the user layers of a rendered Helm target, memoised
// per target. Files that cannot be read or parsed are left out: the render
// already reported them.
func targetLayers(in *Input, r *Rendered) []*userLayer {
	v := in.Memo("layers:"+r.Target.ID(), func() any { return buildLayers(in, r) })
	ls, _ := v.([]*userLayer)
	return ls
}

// fileLayer parses a values file (or a chart's values.yaml) once per run: every environment of
// every app layering base.yaml reads the same file, and nothing changes
// a file's layer afterwards. nil when the file cannot be read or parsed.
func fileLayer(in *Input, file string) *values.Layer {
	l, _ := in.Memo("values-layer:"+file, func() any {
		data, err := in.Files.ReadFile(file)
		if err != nil {
			return (*values.Layer)(nil)
		}
		l, _ := values.ParseBytes(file, data) // duplicate keys: Helm's value is kept, positions too
		return l
	}).(*values.Layer)
	return l
}

func buildLayers(in *Input, r *Rendered) []*userLayer {
	t := r.Target
	var out []*userLayer
	for _, vf := range t.ValueFiles {
		if in.Files == nil {
			break
		}
		if l := fileLayer(in, vf); l != nil {
			out = append(out, &userLayer{Layer: l, Kind: "file"})
		}
	}
	h := t.Source.Helm
	if h == nil || t.App == nil {
		return out
	}
	prefix := "spec.source.helm."
	if len(t.App.App.Spec.Sources) > 0 {
		prefix = fmt.Sprintf("spec.sources[%d].helm.", t.SourceIndex)
	}
	app := t.App.FieldLocation
	if !h.ValuesIsEmpty() {
		kind := "values"
		if h.ValuesObject != nil && h.ValuesObject.Raw != nil {
			kind = "valuesObject"
		}
		l, _ := values.ParseBytes(t.App.Declared.File, h.ValuesYAML())
		if l != nil {
			// Positions inside the Application come from its field map;
			// those of a `values` block string are unknown.
			l.Pos = map[string]finding.Location{}
			if kind == "valuesObject" {
				for _, p := range values.Leaves(l.Values) {
					for q := p; len(q) > 0; q = q[:len(q)-1] {
						if loc, ok := t.App.Fields[prefix+kind+"."+strings.Join(q, ".")]; ok {
							l.Pos[q.String()] = loc
						}
					}
				}
			}
			out = append(out, &userLayer{Layer: l, Kind: kind, Field: prefix + kind, app: app})
		}
	}
	if len(h.Parameters) > 0 {
		l := &values.Layer{Name: "<parameters>", File: t.App.Declared.File, Values: map[string]any{}, Pos: map[string]finding.Location{}}
		for i, p := range h.Parameters {
			set := strvals.ParseInto
			if p.ForceString {
				set = strvals.ParseIntoString
			}
			if err := set(p.Name+"="+p.Value, l.Values); err != nil {
				continue
			}
			if key, err := values.ParsePath(p.Name); err == nil {
				l.Pos[key.String()] = app(fmt.Sprintf("%sparameters[%d]", prefix, i))
			}
		}
		out = append(out, &userLayer{Layer: l, Kind: "parameters", Field: prefix + "parameters", app: app})
	}
	return out
}

// valueOrigin says where the value a chart sees at p comes from: the
// highest-precedence user layer that holds p, else the chart's own
// values.yaml. layer is nil for a chart default; loc is zero when nothing
// sets p.
func valueOrigin(in *Input, r *Rendered, p values.Path) (layer *userLayer, loc finding.Location) {
	ls := targetLayers(in, r)
	for i := len(ls) - 1; i >= 0; i-- {
		if _, ok := values.Lookup(ls[i].Values, p); ok {
			return ls[i], ls[i].at(p)
		}
	}
	if d := chartDefaults(in, r); d != nil {
		if _, ok := values.Lookup(d.Values, p); ok {
			return nil, d.At(p)
		}
	}
	return nil, finding.Location{}
}

// chartDefaults is the root chart's values.yaml with positions, or nil.
func chartDefaults(in *Input, r *Rendered) *values.Layer {
	if in.Files == nil || r.Target.Dir == "" {
		return nil
	}
	return fileLayer(in, path.Join(r.Target.Dir, "values.yaml"))
}

// effectiveValue is the value the chart sees at p: the user's if set,
// else the root chart's default.
func effectiveValue(r *Rendered, p values.Path) (any, bool) {
	if v, ok := values.Lookup(r.Values, p); ok {
		return v, true
	}
	if r.Chart != nil {
		return values.Lookup(r.Chart.Values, p)
	}
	return nil, false
}

// originLabel names a layer for evidence: "values file", "valuesObject",
// "parameters", or "chart default".
func originLabel(l *userLayer) string {
	if l == nil {
		return "chart default"
	}
	if l.Kind == "file" {
		return "values file"
	}
	return l.Kind
}
