package values

import "encoding/json"

// Unstructure turns the json.Numbers of a value decoded with UseNumber
// into the unstructured form apimachinery uses (an int64 where the number
// is an integer, else a float64), in place, and returns it.
func Unstructure(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = Unstructure(e)
		}
	case []any:
		for i, e := range x {
			x[i] = Unstructure(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	}
	return v
}
