package render

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	yamlv2 "go.yaml.in/yaml/v2"
)

// decodeFast is decodeDoc without the JSON round trip. decodeDoc goes
// YAML → yaml.v2 tree → JSON text → json.Number tree → unstructured, as
// sigs.k8s.io/yaml v1.6.0 YAMLToJSON (yaml.go yamlToJSONTarget,
// convertToJSONableObject with no target) and apimachinery do; here the
// yaml.v2 tree (the same library and call YAMLToJSON makes) is converted
// directly, giving each scalar the value the round trip would give it.
// Whenever the round trip could do something other than a plain copy (a
// non-string map key, invalid UTF-8, NaN or ±Inf, an integer above int64,
// a type yaml.v2 only makes for tagged scalars), ok is false and the
// caller takes the exact slow path; parse errors also go there, so error
// messages stay the slow path's. render/fastyaml_test.go proves both paths
// equal on every fixture and on the edge cases.
//
// The hand-written block YAML decoder (blockyaml.go) answers first; what
// it does not accept goes through yaml.v2 as before.
func decodeFast(text string) (v any, ok bool) {
	if v, ok := decodeBlockYAML(text); ok {
		return v, true
	}
	var y any
	if err := yamlv2.Unmarshal([]byte(text), &y); err != nil {
		return nil, false
	}
	return fromYAMLv2(y)
}

func fromYAMLv2(y any) (any, bool) {
	switch x := y.(type) {
	case nil:
		return nil, true
	case string:
		// encoding/json replaces each invalid byte with U+FFFD.
		return x, utf8.ValidString(x)
	case bool:
		return x, true
	case int:
		return int64(x), true
	case int64:
		return x, true
	case uint64:
		if x > math.MaxInt64 {
			return nil, false
		}
		return int64(x), true
	case float64:
		return jsonFloat(x)
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			ks, isString := k.(string)
			if !isString || !utf8.ValidString(ks) {
				// Non-string keys are renamed by convertToJSONableObject
				// and may collide; leave that to the slow path.
				return nil, false
			}
			v, ok := fromYAMLv2(e)
			if !ok {
				return nil, false
			}
			m[ks] = v
		}
		return m, true
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			v, ok := fromYAMLv2(e)
			if !ok {
				return nil, false
			}
			s[i] = v
		}
		return s, true
	}
	return nil, false
}

// jsonFloat is the value a float64 has after json.Marshal and a decode
// with UseNumber into unstructure: an integer when its JSON text parses as
// an int64 ("2" for 2.0), else the float itself (json.Marshal writes the
// shortest text that parses back to the same float).
func jsonFloat(f float64) (any, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, false // json.Marshal fails: the slow path reports it
	}
	b, err := json.Marshal(f)
	if err != nil {
		return nil, false
	}
	if i, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		return i, true
	}
	return f, true
}
