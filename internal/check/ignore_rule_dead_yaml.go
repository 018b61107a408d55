package check

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// Reading YAML source for the text edits of ignore_rule_dead_text.go.

// decodeYAMLDocs decodes every document of a YAML stream.
func decodeYAMLDocs(src []byte) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// yamlDocument returns the root node of document doc.
func yamlDocument(src []byte, doc int) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for i := 0; ; i++ {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			return nil, false
		}
		if i == doc {
			if len(n.Content) == 0 {
				return nil, false
			}
			return n.Content[0], true
		}
	}
}

// mappingValue returns the value node of key in mapping m, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// scalarEnd returns the offset after the source token of scalar n that
// starts at from: plain scalars are their value, quoted ones run to the
// closing quote. Block scalars are not handled.
func scalarEnd(src []byte, from int, n *yaml.Node) (int, bool) {
	switch n.Style {
	case 0:
		end := from + len(n.Value)
		return end, end <= len(src) && string(src[from:end]) == n.Value
	case yaml.SingleQuotedStyle:
		for i := from + 1; i < len(src) && src[i] != '\n'; i++ {
			if src[i] == '\'' {
				if i+1 < len(src) && src[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, true
			}
		}
	case yaml.DoubleQuotedStyle:
		for i := from + 1; i < len(src) && src[i] != '\n'; i++ {
			switch src[i] {
			case '\\':
				i++
			case '"':
				return i + 1, true
			}
		}
	}
	return 0, false
}

// lineStarts returns the byte offset of the start of every line.
func lineStarts(src []byte) []int {
	out := []int{0}
	for i, c := range src {
		if c == '\n' && i+1 < len(src) {
			out = append(out, i+1)
		}
	}
	return out
}

// lineText returns 1-based line l without its newline.
func lineText(src []byte, starts []int, l int) string {
	end := len(src)
	if l < len(starts) {
		end = starts[l] - 1
	}
	return string(src[starts[l-1]:end])
}

func leadingSpaces(s string) int {
	return len(s) - len(strings.TrimLeft(s, " "))
}
