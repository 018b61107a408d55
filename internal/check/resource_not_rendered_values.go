package check

import (
	"path"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// rnrIndex is the values read index of a rendered chart, shared through
// Memo under the key other checks use for the same index.
func rnrIndex(in *Input, r *Rendered) *values.Index {
	if r.Chart == nil {
		return nil
	}
	v := in.Memo("values.Index:"+r.Target.Dir, func() any {
		ix, _ := values.IndexChartDir(r.Chart, r.Target.Dir) // incomplete: still usable
		return ix
	})
	ix, _ := v.(*values.Index)
	return ix
}

// rnrLayers are the target's value files with key positions, lowest
// precedence first; unreadable files are left out (the render reported
// them).
func rnrLayers(in *Input, r *Rendered) []*values.Layer {
	v := in.Memo("rnr-layers:"+r.Target.ID(), func() any {
		var out []*values.Layer
		for _, vf := range r.Target.ValueFiles {
			if in.Files == nil {
				break
			}
			data, err := in.Files.ReadFile(vf)
			if err != nil {
				continue
			}
			if l, _ := values.ParseBytes(vf, data); l != nil {
				out = append(out, l)
			}
		}
		return out
	})
	ls, _ := v.([]*values.Layer)
	return ls
}

// rnrOrigin says where the value at p (root-chart coordinates) comes
// from: user is true when the Application's own values set it (a value
// file, or inline helm values/parameters, located at the declaration);
// otherwise loc is the chart's values.yaml key, or zero when unset.
func rnrOrigin(in *Input, r *Rendered, p values.Path) (loc finding.Location, user bool) {
	if _, ok := values.Lookup(r.Values, p); ok {
		ls := rnrLayers(in, r)
		for i := len(ls) - 1; i >= 0; i-- {
			if _, ok := values.Lookup(ls[i].Values, p); ok {
				return ls[i].At(p), true
			}
		}
		return r.Target.App.Declared, true // inline values or parameters
	}
	if r.Chart == nil || in.Files == nil {
		return finding.Location{}, false
	}
	if _, ok := values.Lookup(r.Chart.Values, p); !ok {
		return finding.Location{}, false
	}
	file := path.Join(r.Target.Dir, "values.yaml")
	data, err := in.Files.ReadFile(file)
	if err != nil {
		return finding.Location{File: file}, false
	}
	l, _ := values.ParseBytes(file, data)
	if l == nil {
		return finding.Location{File: file}, false
	}
	return l.At(p), false
}

// rnrValue is the value the chart sees at p: the user's if set, else the
// root chart's default.
func rnrValue(r *Rendered, p values.Path) (any, bool) {
	if v, ok := values.Lookup(r.Values, p); ok {
		return v, true
	}
	if r.Chart != nil {
		return values.Lookup(r.Chart.Values, p)
	}
	return nil, false
}
