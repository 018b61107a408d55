package values

import (
	"encoding/json"

	"github.com/mitchellh/copystructure"
)

// copyValue deep-copies a values tree as copystructure.Copy does, which
// is what Helm's coalescing copies with: new maps and slices, nil maps and
// nil slices staying nil (DeepCopy makes them empty, which coalescing
// tells apart: a nil table takes no defaults), scalars as they are. The
// types decoding produces (YAML, JSON, --set) are copied without
// reflection; anything else goes to copystructure itself, so the result
// is the same for every type.
func copyValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, int, int64, float64, json.Number:
		return v, nil
	case map[string]any:
		if x == nil {
			return x, nil
		}
		m := make(map[string]any, len(x))
		for k, e := range x {
			c, err := copyValue(e)
			if err != nil {
				return nil, err
			}
			m[k] = c
		}
		return m, nil
	case []any:
		if x == nil {
			return x, nil
		}
		s := make([]any, len(x))
		for i, e := range x {
			c, err := copyValue(e)
			if err != nil {
				return nil, err
			}
			s[i] = c
		}
		return s, nil
	}
	return copystructure.Copy(v)
}
