package render

import "fmt"

// tree is an unstructured value (objects' Content, user values) in a form
// JSON carries exactly. Plain JSON would not: user values mix float64
// (from YAML) with int64 (from --set style parameters), and Helm's
// templates tell them apart (`kindOf`, printf %v of 1e6), so the worker's
// values and objects must come back with their Go types.
type tree struct {
	K string           `json:"k,omitempty"` // "" (null), "s", "b", "i" (int64), "n" (int), "f", "m", "l"
	S string           `json:"s,omitempty"`
	B bool             `json:"b,omitempty"`
	I int64            `json:"i,omitempty"`
	F float64          `json:"f,omitempty"`
	M map[string]*tree `json:"m,omitempty"`
	L []*tree          `json:"l,omitempty"`
}

// toTree converts an unstructured value; a Go type outside the
// unstructured form is an error rather than a silent change.
func toTree(v any) (*tree, error) {
	switch x := v.(type) {
	case nil:
		return &tree{}, nil
	case string:
		return &tree{K: "s", S: x}, nil
	case bool:
		return &tree{K: "b", B: x}, nil
	case int64:
		return &tree{K: "i", I: x}, nil
	case int:
		return &tree{K: "n", I: int64(x)}, nil
	case float64:
		return &tree{K: "f", F: x}, nil
	case map[string]any:
		m := make(map[string]*tree, len(x))
		for k, e := range x {
			t, err := toTree(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			m[k] = t
		}
		return &tree{K: "m", M: m}, nil
	case []any:
		l := make([]*tree, len(x))
		for i, e := range x {
			t, err := toTree(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			l[i] = t
		}
		return &tree{K: "l", L: l}, nil
	}
	return nil, fmt.Errorf("value of type %T cannot cross the worker boundary", v)
}

// fromTree is the inverse of toTree.
func fromTree(t *tree) any {
	if t == nil {
		return nil
	}
	switch t.K {
	case "s":
		return t.S
	case "b":
		return t.B
	case "i":
		return t.I
	case "n":
		return int(t.I)
	case "f":
		return t.F
	case "m":
		m := make(map[string]any, len(t.M))
		for k, e := range t.M {
			m[k] = fromTree(e)
		}
		return m
	case "l":
		l := make([]any, len(t.L))
		for i, e := range t.L {
			l[i] = fromTree(e)
		}
		return l
	}
	return nil
}
