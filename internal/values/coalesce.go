package values

import (
	"fmt"
	"path"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Effective is the values a chart's templates see for one Target: the user
// layers merged (Merge) and then coalesced with the chart's defaults and its
// subcharts' defaults, with where each value was set.
type Effective struct {
	Values  map[string]any
	Origins Origins
	// User is the merged user values before coalescing (nulls still there).
	User     map[string]any
	layers   []*Layer
	root     *scope
	defaults map[*scope]*Layer
}

// Coalesce is the second step of Helm's values pipeline: the merged user
// layers are coalesced with the chart's values.yaml and every subchart's
// (helm v3.22.0 pkg/chartutil/coalesce.go CoalesceValues, called by
// ToRenderValues). Here a user null deletes the key when the chart has a
// default for it, and stays as null when it does not; user maps merge into
// default maps; globals flow from parents to subcharts. The values come from
// CoalesceValues, which gives chartutil.CoalesceValues's result; the origins
// are recomputed by precedence (user layers, last first; then chart defaults
// top-down; for a subchart's globals, the parent's globals first).
//
// c should be the chart as the renderer uses it, after
// chartutil.ProcessDependencies (aliases applied, disabled subcharts gone).
// dir is the checkout-relative chart directory, used for the positions of
// values.yaml keys. Import-values are not traced: their keys get the
// position of the chart's values.yaml.
func Coalesce(c *chart.Chart, dir string, layers ...*Layer) (*Effective, error) {
	user, _ := Merge(layers...)
	vals, err := CoalesceValues(c, user)
	if err != nil {
		return nil, fmt.Errorf("coalesce values of chart %s: %w", c.Name(), err)
	}
	e := &Effective{Values: vals, User: user, layers: layers, root: buildScopes(c, false), defaults: map[*scope]*Layer{}}
	for _, s := range e.root.all() {
		e.defaults[s] = defaultsLayer(s, dir)
	}
	e.Origins = Origins{}
	for _, p := range Leaves(vals) {
		e.Origins[p.String()] = e.Origin(p)
	}
	return e, nil
}

// defaultsLayer is a chart's default values (as loaded, so import-values are
// included) with the positions of its values.yaml.
func defaultsLayer(s *scope, dir string) *Layer {
	file := path.Join(dir, s.dir, "values.yaml")
	l := &Layer{Name: file, File: file, Values: s.chart.Values, Pos: map[string]finding.Location{}}
	for _, f := range s.chart.Raw {
		if f != nil && f.Name == "values.yaml" {
			// Errors (duplicates) do not matter here: the loader accepted
			// the file, and positions are all we take.
			if parsed, _ := ParseBytes(file, f.Data); parsed != nil {
				l.Pos = parsed.Pos
			}
		}
	}
	return l
}

// Get returns the effective value at p and where it was set.
func (e *Effective) Get(p Path) (any, finding.Location, bool) {
	v, ok := Lookup(e.Values, p)
	if !ok {
		return nil, finding.Location{}, false
	}
	return v, e.Origin(p), true
}

// Origin returns where the effective value at p (a leaf or a map) was set:
// the highest-precedence source that holds p. It is the zero Location when
// no source holds p.
func (e *Effective) Origin(p Path) finding.Location {
	loc, _ := e.origin(p, 0)
	return loc
}

func (e *Effective) origin(p Path, depth int) (finding.Location, bool) {
	scopes := e.root.along(p)
	s := scopes[len(scopes)-1]
	// A subchart's global.x is first the parent's global.x
	// (coalesceGlobals copies the parent's globals over the child's).
	if s.parent != nil && len(p) > len(s.prefix) && p[len(s.prefix)] == chartutil.GlobalKey && depth < 50 {
		up := s.parent.prefix.Child(p[len(s.prefix):]...)
		if loc, ok := e.origin(up, depth+1); ok {
			return loc, true
		}
	}
	for i := len(e.layers) - 1; i >= 0; i-- {
		if l := e.layers[i]; l != nil {
			if _, ok := Lookup(l.Values, p); ok {
				return l.At(p), true
			}
		}
	}
	for _, sc := range scopes {
		d := e.defaults[sc]
		rel := p[len(sc.prefix):]
		if _, ok := Lookup(d.Values, rel); ok {
			return d.At(rel), true
		}
	}
	return finding.Location{}, false
}
