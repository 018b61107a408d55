package values

import (
	"slices"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Origins maps a leaf path (Path.String()) to where its effective value was
// set. Leaves are non-map values and empty maps.
type Origins map[string]finding.Location

// Merge combines user-supplied layers, lowest precedence first, the way
// Helm's `helm template -f a -f b` does before the chart is involved
// (helm v3.22.0 pkg/cli/values/options.go, MergeValues/mergeMaps): a later
// layer wins, maps merge deeply, anything else (lists, scalars, a map over a
// scalar, a scalar over a map) replaces. This step does NOT delete on null:
// `key: null` replaces the earlier value with nil and the key stays. Nulls
// are removed in the second step, Coalesce, against the chart's defaults.
// ArgoCD passes value files, then values/valuesObject (as one more file),
// then parameters (--set), in that precedence, which is the order callers
// give the layers here.
func Merge(layers ...*Layer) (map[string]any, Origins) {
	out := map[string]any{}
	for _, l := range layers {
		if l != nil {
			out = mergeMaps(out, l.Values)
		}
	}
	origins := Origins{}
	for _, p := range Leaves(out) {
		origins[p.String()] = userOrigin(layers, p)
	}
	return out, origins
}

// mergeMaps mirrors helm's mergeMaps: it copies a at the top level and
// merges b into the copy; nested maps of a that b does not touch are shared,
// nested maps both hold are rebuilt.
func mergeMaps(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeMaps(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// userOrigin is where the merged value at p came from: the value at a path
// is decided by the highest-precedence layer that holds the path (a layer
// that replaced a parent with a scalar would have removed p).
func userOrigin(layers []*Layer, p Path) finding.Location {
	for i := len(layers) - 1; i >= 0; i-- {
		if layers[i] == nil {
			continue
		}
		if _, ok := Lookup(layers[i].Values, p); ok {
			return layers[i].At(p)
		}
	}
	return finding.Location{}
}

// Lookup returns the value at p. ok is false when a key is missing or a
// parent is not a map. An explicit null gives (nil, true).
func Lookup(vals map[string]any, p Path) (any, bool) {
	var cur any = vals
	for _, k := range p {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Leaves lists the paths of all non-map values and empty maps, sorted by
// their string form.
func Leaves(vals map[string]any) []Path {
	var out []Path
	var walk func(m map[string]any, p Path)
	walk = func(m map[string]any, p Path) {
		for k, v := range m {
			kp := p.Child(k)
			if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
				walk(sub, kp)
				continue
			}
			out = append(out, kp)
		}
	}
	walk(vals, nil)
	slices.SortFunc(out, func(a, b Path) int {
		return comparePaths(a, b)
	})
	return out
}

// comparePaths orders key by key, so "a.b" sorts before "a-c" and siblings stay together.
func comparePaths(a, b Path) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}
