package values

// MergeMaps merges b over a the way Helm merges --values files
// (helm.sh/helm/v3 pkg/cli/values/options.go, mergeMaps): nested maps
// merge, anything else in b replaces. Neither input is modified; maps of a
// that b does not touch are shared with the result.
func MergeMaps(a, b map[string]any) map[string]any {
	return mergeMaps(a, b)
}

// DeepCopy copies nested maps and slices of decoded values, so a render
// (Helm's coalescing writes into the maps it is given) or a perturbation
// cannot change the caller's values. A nil map gives an empty one.
func DeepCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = DeepCopyValue(v)
	}
	return out
}

// DeepCopyValue is DeepCopy for any decoded value.
func DeepCopyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return DeepCopy(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = DeepCopyValue(e)
		}
		return out
	}
	return v
}
