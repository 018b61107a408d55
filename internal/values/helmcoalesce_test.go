package values

import (
	"encoding/json"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// mkChart builds a chart in memory: its values are parsed as Helm's
// loader parses values.yaml ("" leaves Values nil, as a chart without a
// values.yaml has them).
func mkChart(t testing.TB, name, typ, values string, deps ...*chart.Chart) *chart.Chart {
	t.Helper()
	c := &chart.Chart{Metadata: &chart.Metadata{APIVersion: "v2", Name: name, Version: "1.0.0", Type: typ}}
	if values != "" {
		v, err := chartutil.ReadValues([]byte(values))
		if err != nil {
			t.Fatalf("chart %s values: %v", name, err)
		}
		c.Values = v
	}
	for _, d := range deps {
		c.AddDependency(d)
		c.Metadata.Dependencies = append(c.Metadata.Dependencies, &chart.Dependency{Name: d.Name(), Version: "1.0.0"})
	}
	return c
}

func mustValues(t testing.TB, s string) map[string]any {
	t.Helper()
	if s == "" {
		return nil
	}
	v, err := chartutil.ReadValues([]byte(s))
	if err != nil {
		t.Fatalf("values: %v", err)
	}
	return v
}

func TestCoalesceMatchesHelm(t *testing.T) {
	lib := func() *chart.Chart {
		return mkChart(t, "lib", "library", "libDefault: 1\nglobal:\n  libGlobal: x\n  nested:\n    deep:\n      lib: true\n")
	}
	withAlias := func() *chart.Chart {
		c := mkChart(t, "db", "", "size: 1Gi\nuser: admin\n")
		c.Metadata.Name = "primary" // what ProcessDependencies does for alias: primary
		return c
	}
	cases := []struct {
		name  string
		chart func() *chart.Chart
		vals  string
		raw   map[string]any // used instead of vals when set
	}{
		{name: "empty chart, nil vals", chart: func() *chart.Chart { return mkChart(t, "a", "", "") }},
		{name: "empty chart, empty vals", chart: func() *chart.Chart { return mkChart(t, "a", "", "") }, raw: map[string]any{}},
		{name: "defaults only", chart: func() *chart.Chart { return mkChart(t, "a", "", "x: 1\ny:\n  z: [1, 2]\n") }},
		{
			name:  "user nulls delete defaults, top and nested",
			chart: func() *chart.Chart { return mkChart(t, "a", "", "x: 1\nt:\n  a: 1\n  b: {c: 2}\n  n: null\nn: null\n") },
			vals:  "x: null\nnoDefault: null\nn: null\nt:\n  a: null\n  b: null\n  n: null\n  fresh: null\n",
		},
		{
			name:  "nulls in defaults",
			chart: func() *chart.Chart { return mkChart(t, "a", "", "a: null\nb: null\nt:\n  c: null\n  d: null\n") },
			vals:  "b: {x: 1}\nt:\n  c: [1]\n  d: {y: 2}\n",
		},
		{
			name: "table against scalar both ways",
			chart: func() *chart.Chart {
				return mkChart(t, "a", "", "s: 1\nt: {a: 1}\nn:\n  s: str\n  t: {b: 2}\n  l: [1]\n")
			},
			vals: "s: {x: 1}\nt: 5\nn:\n  s: {y: 1}\n  t: [3]\n  l: {z: 1}\n",
		},
		{
			name:  "lists are replaced",
			chart: func() *chart.Chart { return mkChart(t, "a", "", "l: [1, 2, 3]\nm:\n  l: [{a: 1}]\n") },
			vals:  "l: [9]\nm:\n  l: []\n",
		},
		{
			name: "subchart scoping and parent defaults for it",
			chart: func() *chart.Chart {
				return mkChart(t, "web", "", "db:\n  size: 5Gi\n  fromParent: x\n  drop: 1\nother: 1\n",
					mkChart(t, "db", "", "size: 1Gi\nuser: admin\ndrop: 2\nkeep: {a: 1}\n"))
			},
			vals: "db:\n  drop: null\n  user: null\n  keep: {b: 2}\n",
		},
		{
			name: "alias and library subchart",
			chart: func() *chart.Chart {
				return mkChart(t, "web", "", "primary:\n  size: 2Gi\nglobal:\n  region: eu\n", withAlias(), lib())
			},
			vals: "primary:\n  user: null\nlib:\n  libDefault: 2\n",
		},
		{
			name: "globals at several levels",
			chart: func() *chart.Chart {
				sub2 := mkChart(t, "leaf", "", "global:\n  tier: leaf\n  nested:\n    deep:\n      leaf: 1\n  table: {l: 1}\n")
				sub := mkChart(t, "mid", "", "global:\n  tier: mid\n  midOnly: 1\n  nested:\n    deep:\n      mid: 1\n    midTop: 1\n", sub2)
				return mkChart(t, "top", "", "global:\n  region: eu\n  nested:\n    deep:\n      top: 1\n  list: [1, 2]\n", sub, lib())
			},
			vals: "global:\n  region: us\n  nested:\n    deep:\n      user: 1\nmid:\n  global:\n    midUser: 1\n  leaf:\n    global:\n      tier: user\n",
		},
		{
			name: "global conflicts",
			chart: func() *chart.Chart {
				sub := mkChart(t, "sub", "", "global:\n  a: scalar\n  b: {t: 1}\n  c: null\n")
				return mkChart(t, "top", "", "global:\n  a: {t: 1}\n  b: scalar\n  c: {t: 1}\n  d: null\n", sub)
			},
			vals: "sub:\n  global:\n    a: 5\n    b: {u: 1}\n    d: {u: 1}\n",
		},
		{
			name: "global not a table at the parent",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "global: 5\n", mkChart(t, "sub", "", "global:\n  a: 1\n"))
			},
		},
		{
			name: "global not a table at the child",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "global:\n  a: 1\n", mkChart(t, "sub", "", "x: 1\n"))
			},
			vals: "sub:\n  global: [1]\n",
		},
		{
			name: "user global null",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "x: 1\n", mkChart(t, "sub", "", "global:\n  a: 1\n"))
			},
			vals: "global: null\n",
		},
		{
			name: "global null over a default global",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "global:\n  a: 1\n", mkChart(t, "sub", "", "global:\n  a: 2\n"))
			},
			vals: "global: null\nsub:\n  global:\n    a: null\n",
		},
		{
			name: "nested subchart values from every level",
			chart: func() *chart.Chart {
				leaf := mkChart(t, "leaf", "", "a: leaf\nb: leaf\nc: leaf\nd: leaf\n")
				mid := mkChart(t, "mid", "", "leaf:\n  b: mid\n  c: mid\n  d: mid\n", leaf)
				return mkChart(t, "top", "", "mid:\n  leaf:\n    c: top\n    d: top\n", mid)
			},
			vals: "mid:\n  leaf:\n    d: user\n    a: null\n",
		},
		{
			name: "subchart key not a table",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "", mkChart(t, "sub", "", "a: 1\n"))
			},
			vals: "sub: 5\n",
		},
		{
			name: "subchart key null without a parent default",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "", mkChart(t, "sub", "", "a: 1\n"))
			},
			vals: "sub: null\n",
		},
		{
			name: "subchart key null over a parent default",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "sub:\n  a: 2\n", mkChart(t, "sub", "", "a: 1\n"))
			},
			vals: "sub: null\n",
		},
		{
			name: "parent default for a subchart is a scalar",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "sub: off\n", mkChart(t, "sub", "", "a: 1\n"))
			},
		},
		{
			name: "same subchart twice",
			chart: func() *chart.Chart {
				s := mkChart(t, "sub", "", "global:\n  g:\n    h:\n      sub: 1\n")
				return mkChart(t, "top", "", "global:\n  g:\n    h:\n      top: 1\n", s, s)
			},
		},
		{
			// Its values are the parent's globals; with no global.global
			// table, Helm's result does not depend on map order.
			name: "subchart named global",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "global:\n  a: 1\n  t: {x: 1}\n", mkChart(t, "global", "", "b: 2\nt: {y: 2}\n"))
			},
			vals: "global:\n  c: 3\n",
		},
		{
			name: "decoded types from code",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "n: 1\nt: {a: 1}\nl: [1]\n", mkChart(t, "sub", "", "x: 1\n"))
			},
			raw: map[string]any{
				"num": json.Number("12"), "i": int64(3), "f": 1.5, "b": true, "s": "x",
				"nilList": []any(nil), "emptyList": []any{}, "nilMap": map[string]any(nil),
				"t": map[string]any(nil), "l": []any{map[string]any{"a": []any{nil}}},
				"sub": map[string]any{"x": nil, "y": int(7)},
			},
		},
		{
			name: "other types go through copystructure",
			chart: func() *chart.Chart {
				c := mkChart(t, "top", "", "vt: {x: 1}\nss: {y: 1}\n")
				c.Values["typed"] = map[string]string{"a": "b"}
				c.Values["strs"] = []string{"x"}
				return c
			},
			raw: map[string]any{
				"ss": map[string]string{"a": "b"}, "strs": []string{"a"}, "i32": int32(1),
				"when": time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "vt": chartutil.Values{"a": 1.0},
				"deep": map[string]any{"x": []map[string]any{{"a": 1}}},
			},
		},
		{
			name: "type mismatch below a subchart",
			chart: func() *chart.Chart {
				return mkChart(t, "top", "", "x: 1\n", mkChart(t, "mid", "", "y: 1\n", mkChart(t, "leaf", "", "z: 1\n")), mkChart(t, "after", "", "w: 1\n"))
			},
			vals: "mid:\n  leaf: [1]\n",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vals := tc.raw
			if vals == nil {
				vals = mustValues(t, tc.vals)
			}
			checkAgainstHelm(t, tc.chart(), vals)
		})
	}
}
