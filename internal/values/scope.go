package values

import (
	"path"

	"helm.sh/helm/v3/pkg/chart"
)

// scope is one chart of a chart tree as its templates see it: the values
// key it lives under in the root chart's values (its alias or name), where
// its files are, and Helm's template-name prefix.
type scope struct {
	chart    *chart.Chart
	prefix   Path   // where .Values of this chart sits in the root values
	dir      string // directory relative to the root chart ("" for the root)
	tplBase  string // Helm's template name prefix: "web", "web/charts/db"
	parent   *scope
	children map[string]*scope // by values key
}

// buildScopes mirrors how Helm places subcharts (helm v3.22.0
// pkg/chartutil/dependencies.go processDependencyEnabled, getAliasDependency):
// a dependency listed in Chart.yaml takes its alias as name; a chart in
// charts/ that Chart.yaml does not list keeps its own name. Every dependency
// counts as enabled: conditions depend on the environment's values, and an
// index must cover every environment. With aliases false the chart's
// Dependencies() are taken as they are, which is what chartutil's coalescing
// sees (callers pass it the chart after ProcessDependencies).
func buildScopes(c *chart.Chart, aliases bool) *scope {
	root := &scope{chart: c, tplBase: c.Name(), children: map[string]*scope{}}
	root.addChildren(aliases, 0)
	return root
}

func (s *scope) addChildren(aliases bool, depth int) {
	if depth > 20 {
		return
	}
	add := func(sub *chart.Chart, name string) {
		if _, dup := s.children[name]; dup {
			return
		}
		child := &scope{
			chart:    sub,
			prefix:   s.prefix.Child(name),
			dir:      path.Join(s.dir, "charts", sub.Name()),
			tplBase:  s.tplBase + "/charts/" + name,
			parent:   s,
			children: map[string]*scope{},
		}
		s.children[name] = child
		child.addChildren(aliases, depth+1)
	}
	deps := s.chart.Dependencies()
	if !aliases || s.chart.Metadata == nil {
		for _, d := range deps {
			add(d, d.Name())
		}
		return
	}
	listed := func(d *chart.Chart) bool {
		for _, r := range s.chart.Metadata.Dependencies {
			if r != nil && (r.Name == d.Name() || r.Alias == d.Name()) {
				return true
			}
		}
		return false
	}
	for _, d := range deps {
		if !listed(d) {
			add(d, d.Name())
		}
	}
	for _, r := range s.chart.Metadata.Dependencies {
		if r == nil {
			continue
		}
		for _, d := range deps {
			if d.Name() == r.Name || (r.Alias != "" && d.Name() == r.Alias) {
				name := r.Name
				if r.Alias != "" {
					name = r.Alias
				}
				add(d, name)
				break
			}
		}
	}
}

// all lists s and its descendants, parents first.
func (s *scope) all() []*scope {
	out := []*scope{s}
	for _, k := range sortedKeys(s.children) {
		out = append(out, s.children[k].all()...)
	}
	return out
}

// along returns the scopes whose prefix is a prefix of p, root first.
func (s *scope) along(p Path) []*scope {
	out := []*scope{s}
	cur := s
	for len(p) > len(cur.prefix) {
		next, ok := cur.children[p[len(cur.prefix)]]
		if !ok {
			break
		}
		out = append(out, next)
		cur = next
	}
	return out
}
