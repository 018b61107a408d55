package diffsem

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/values"
)

// jsonCopy deep-copies a JSON-like map, normalising numbers to int64 when
// integral and float64 otherwise (the types unstructured.Unstructured uses).
func jsonCopy(obj map[string]any) (map[string]any, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return values.Unstructure(out).(map[string]any), nil
}

// escapeToken escapes one RFC 6901 reference token.
func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// unescapeToken reverses escapeToken.
func unescapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// splitPointer splits an RFC 6901 pointer into unescaped tokens ("" → none).
func splitPointer(p string) []string {
	if p == "" {
		return nil
	}
	raw := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range raw {
		raw[i] = unescapeToken(t)
	}
	return raw
}
