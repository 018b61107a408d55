package values

import (
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// FuzzCoalesce builds user values and a chart tree from fuzz input and
// checks CoalesceValues against chartutil.CoalesceValues (result, error,
// warnings, sharing, inputs untouched). docs holds up to five YAML
// documents split by "\n---\n": the user values, then the defaults of the
// parent, of the first subchart, of the second and of a subchart of the
// first. shape picks the subcharts' names (some collide with each other or
// with keys the documents use), how many there are, whether the second
// hangs under the first and whether the first is a library chart.
func FuzzCoalesce(f *testing.F) {
	seeds := []struct {
		shape uint8
		docs  string
	}{
		{shape: 0x11, docs: "a: 1\nsub:\n  x: null\n---\nsub:\n  x: 1\n  y: 2\nglobal:\n  g: 1\n---\nx: 0\nglobal:\n  g: 2\n  h: {i: 1}\n"},
		{shape: 0x24, docs: "global:\n  t:\n    u:\n      v: 1\n---\nglobal:\n  t:\n    u:\n      w: 2\n---\nglobal:\n  t:\n    u:\n      x: 3\n---\nglobal:\n  t:\n    u:\n      y: 4\n---\nglobal:\n  t: 5\n"},
		{shape: 0x61, docs: "other:\n  global: [1]\nsub: {a: null}\n---\nsub: 1\n---\na: {b: 1}\n---\nglobal: 3\n"},
		{shape: 0x92, docs: "global: null\na: {x: 1}\nb: 3\n---\na: 2\nb: {y: 1}\nglobal: {a: 1}\n---\nglobal: {a: {b: 1}}\n"},
		{shape: 0x07, docs: "a: [1, 2]\nglobal:\n  a: null\n---\na: [3]\nglobal:\n  a: {x: 1}\n"},
	}
	for _, s := range seeds {
		f.Add(s.shape, s.docs)
	}
	f.Fuzz(func(t *testing.T, shape uint8, docs string) {
		if len(docs) > 4<<10 {
			return
		}
		parts := strings.SplitN(docs, "\n---\n", 5)
		doc := func(i int) map[string]any {
			if i >= len(parts) {
				return nil
			}
			v, err := chartutil.ReadValues([]byte(parts[i]))
			if err != nil {
				return nil
			}
			return v
		}
		// No subchart is named "global": its values table is then the
		// parent's globals, and Helm's coalesceGlobals, reading that
		// table while writing into its "global" key, gives a result that
		// depends on map order (see the table test for the case that
		// does not).
		names := []string{"sub", "other", "leaf", "a"}
		mk := func(name, typ string, values map[string]any) *chart.Chart {
			return &chart.Chart{Metadata: &chart.Metadata{APIVersion: "v2", Name: name, Version: "1.0.0", Type: typ}, Values: values}
		}
		parent := mk("top", "", doc(1))
		n := int(shape>>4) % 3
		if n > 0 {
			typ := ""
			if shape&0x80 != 0 {
				typ = "library"
			}
			first := mk(names[shape&3], typ, doc(2))
			first.AddDependency(mk("leaf", "", doc(4)))
			parent.AddDependency(first)
			if n > 1 {
				second := mk(names[(shape>>2)&3], "", doc(3))
				if shape&0x40 != 0 {
					first.AddDependency(second)
				} else {
					parent.AddDependency(second)
				}
			}
		}
		checkAgainstHelm(t, parent, doc(0))
	})
}
