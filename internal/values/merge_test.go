package values

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustLayer(t *testing.T, name, data string) *Layer {
	t.Helper()
	l, err := ParseBytes(name, []byte(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return l
}

func TestMerge(t *testing.T) {
	cases := []struct {
		name    string
		layers  [][2]string // name, yaml
		want    map[string]any
		origins map[string]string
	}{
		{
			name: "later wins, maps merge",
			layers: [][2]string{
				{"base.yaml", "a:\n  x: 1\n  w: 2\nlist: [1, 2]\n"},
				{"prod.yaml", "a:\n  w: 3\nlist: [9]\n"},
			},
			want:    map[string]any{"a": map[string]any{"x": 1.0, "w": 3.0}, "list": []any{9.0}},
			origins: map[string]string{"a.x": "base.yaml:2:3", "a.w": "prod.yaml:2:3", "list": "prod.yaml:3:1"},
		},
		{
			name: "null replaces and stays (MergeValues does not delete)",
			layers: [][2]string{
				{"base.yaml", "a:\n  x: 1\nb: 2\n"},
				{"prod.yaml", "a: null\n"},
			},
			want:    map[string]any{"a": nil, "b": 2.0},
			origins: map[string]string{"a": "prod.yaml:1:1", "b": "base.yaml:3:1"},
		},
		{
			name: "scalar over map, then map over scalar",
			layers: [][2]string{
				{"1.yaml", "a:\n  b: 1\n"},
				{"2.yaml", "a: 5\n"},
				{"3.yaml", "a:\n  c: 2\n"},
			},
			want:    map[string]any{"a": map[string]any{"c": 2.0}},
			origins: map[string]string{"a.c": "3.yaml:2:3"},
		},
		{
			name: "inline values over files",
			layers: [][2]string{
				{"values-prod.yaml", "replicas: 2\nempty: {}\n"},
				{"<values>", "replicas: 3\n"},
			},
			want:    map[string]any{"replicas": 3.0, "empty": map[string]any{}},
			origins: map[string]string{"replicas": "<values>:1:1", "empty": "values-prod.yaml:2:1"},
		},
	}
	for _, c := range cases {
		var ls []*Layer
		for _, l := range c.layers {
			ls = append(ls, mustLayer(t, l[0], l[1]))
		}
		got, origins := Merge(ls...)
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s: values (-want +got):\n%s", c.name, diff)
		}
		gotO := map[string]string{}
		for k, v := range origins {
			gotO[k] = v.String()
		}
		if diff := cmp.Diff(c.origins, gotO); diff != "" {
			t.Errorf("%s: origins (-want +got):\n%s", c.name, diff)
		}
	}
}

func TestLeavesAndLookup(t *testing.T) {
	vals := map[string]any{"b": 1, "a": map[string]any{"z": nil, "c": map[string]any{}}, "a-b": 2}
	var got []string
	for _, p := range Leaves(vals) {
		got = append(got, p.String())
	}
	if diff := cmp.Diff([]string{"a.c", "a.z", "a-b", "b"}, got); diff != "" {
		t.Errorf("Leaves (-want +got):\n%s", diff)
	}
	if v, ok := Lookup(vals, Path{"a", "z"}); !ok || v != nil {
		t.Errorf("Lookup a.z = %v, %v; want nil, true", v, ok)
	}
	if _, ok := Lookup(vals, Path{"b", "x"}); ok {
		t.Error("Lookup below a scalar: want not found")
	}
}

func TestCoalesce(t *testing.T) {
	dir, c := writeChart(t, map[string]string{
		"Chart.yaml": chartYAML + "dependencies:\n  - name: db\n    version: 1.0.0\n",
		"values.yaml": "replicas: 1\ndatabase:\n  host: db.local\n  port: 5432\n" +
			"global:\n  region: eu\nkeepNull: ~\ndb:\n  size: 5Gi\n",
		"charts/db/Chart.yaml":  "apiVersion: v2\nname: db\nversion: 1.0.0\n",
		"charts/db/values.yaml": "size: 1Gi\nuser: admin\nglobal:\n  tier: low\n",
	})
	_ = dir
	prod := mustLayer(t, "env/prod.yaml", "database:\n  host: null\nextra: null\nglobal:\n  region: us\n")
	params := mustLayer(t, "<parameters>", "replicas: 3\n")
	e, err := Coalesce(c, "charts/web", prod, params)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path   string
		value  any
		found  bool
		origin string
	}{
		{path: "replicas", value: 3.0, found: true, origin: "<parameters>:1:1"},
		{path: "database.host", found: false}, // null over a default deletes
		{path: "database.port", value: 5432.0, found: true, origin: "charts/web/values.yaml:4:3"},
		{path: "extra", value: nil, found: true, origin: "env/prod.yaml:3:1"}, // null without a default stays
		{path: "keepNull", value: nil, found: true, origin: "charts/web/values.yaml:7:1"},
		{path: "db.size", value: "5Gi", found: true, origin: "charts/web/values.yaml:9:3"},
		{path: "db.user", value: "admin", found: true, origin: "charts/web/charts/db/values.yaml:2:1"},
		{path: "db.global.region", value: "us", found: true, origin: "env/prod.yaml:5:3"},
		{path: "db.global.tier", value: "low", found: true, origin: "charts/web/charts/db/values.yaml:4:3"},
		{path: "global.region", value: "us", found: true, origin: "env/prod.yaml:5:3"},
	}
	for _, tc := range cases {
		p, err := ParsePath(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		v, at, ok := e.Get(p)
		if ok != tc.found {
			t.Errorf("%s: found = %v, want %v (value %v)", tc.path, ok, tc.found, v)
			continue
		}
		if !ok {
			continue
		}
		if diff := cmp.Diff(tc.value, v); diff != "" {
			t.Errorf("%s: value (-want +got):\n%s", tc.path, diff)
		}
		if at.String() != tc.origin {
			t.Errorf("%s: origin = %s, want %s", tc.path, at, tc.origin)
		}
		if o, ok := e.Origins[tc.path]; ok && o != at {
			t.Errorf("%s: Origins = %s, Get = %s", tc.path, o, at)
		}
	}
	if _, ok := Lookup(e.User, Path{"database", "host"}); !ok {
		t.Error("User keeps the null that coalescing deletes")
	}
}
