package check

import (
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// Tree helpers over decoded values (map[string]any, []any, scalars) for
// perturbation: the renderer gets copies, never the Input's maps.

func deepCopyValues(m map[string]any) map[string]any { return values.DeepCopy(m) }

func deepCopyValue(v any) any { return values.DeepCopyValue(v) }

// setPath sets p in m, creating (or replacing non-map) parents.
func setPath(m map[string]any, p values.Path, v any) {
	for i, k := range p {
		if i == len(p)-1 {
			m[k] = v
			return
		}
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
}

// deletePath removes p from m; it reports whether p was there.
func deletePath(m map[string]any, p values.Path) bool {
	for i, k := range p {
		if i == len(p)-1 {
			_, ok := m[k]
			delete(m, k)
			return ok
		}
		next, ok := m[k].(map[string]any)
		if !ok {
			return false
		}
		m = next
	}
	return false
}

// mergeValue merges b over a as helm's value-file merge does
// (pkg/cli/values/options.go mergeMaps): maps merge, anything else in b
// replaces.
func mergeValue(a, b any) any {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return b
	}
	for k, v := range bm {
		am[k] = mergeValue(am[k], v)
	}
	return am
}
