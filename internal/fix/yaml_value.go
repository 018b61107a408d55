package fix

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxNodes bounds the nodes visited when a YAML tree is turned into plain
// values with its aliases expanded, so an alias bomb costs an error, not
// the machine.
const maxNodes = 1_000_000

var errTooLarge = errors.New("YAML expands to too many nodes (alias bomb?)")

// nodeValue converts n to plain Go values with aliases expanded, spending
// at most *budget nodes. Merge keys are kept as ordinary keys: the value
// serves to compare trees, not to interpret them.
func nodeValue(n *yaml.Node, budget *int) (any, error) {
	if n == nil {
		return nil, nil
	}
	*budget--
	if *budget < 0 {
		return nil, errTooLarge
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return nodeValue(n.Content[0], budget)
	case yaml.AliasNode:
		return nodeValue(n.Alias, budget)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, err := nodeValue(n.Content[i], budget)
			if err != nil {
				return nil, err
			}
			v, err := nodeValue(n.Content[i+1], budget)
			if err != nil {
				return nil, err
			}
			m[fmt.Sprint(k)] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := nodeValue(c, budget)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	return scalarValue(n)
}

// scalarValue resolves a scalar's common tags directly (yaml.v3's Decode
// is slow enough to matter under an alias budget) and the rest by Decode.
func scalarValue(n *yaml.Node) (any, error) {
	switch n.Tag {
	case "!!str", "!!binary", "!!merge":
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		if b, err := strconv.ParseBool(strings.ToLower(n.Value)); err == nil {
			return b, nil
		}
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
			return i, nil
		}
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	if i, ok := v.(int); ok {
		return int64(i), nil
	}
	return v, nil
}

func sameValue(a, b *yaml.Node) bool {
	budget := maxNodes
	va, err := nodeValue(a, &budget)
	if err != nil {
		return false
	}
	vb, err := nodeValue(b, &budget)
	return err == nil && reflect.DeepEqual(va, vb)
}

// parseValue reads an edit's Value as one YAML node.
func parseValue(s string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		return nil, fmt.Errorf("edit value: %w", err)
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	v := doc.Content[0]
	if hasAlias(v) {
		return nil, errors.New("edit value: aliases are not supported")
	}
	v.Anchor = ""
	return v, nil
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// encode renders n as block YAML with the given indentation step, without
// the trailing newline. Comments of the fragment are dropped: they came
// from the edit's value, not from the user.
func encode(n *yaml.Node, step int) (string, error) {
	var buf bytes.Buffer
	e := yaml.NewEncoder(&buf)
	e.SetIndent(step)
	if err := e.Encode(n); err != nil {
		return "", err
	}
	if err := e.Close(); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// nested builds the value for keys path → v: {k1: {k2: v}}.
func nested(path []seg, v *yaml.Node) (*yaml.Node, error) {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i].isIndex() {
			return nil, fmt.Errorf("cannot create sequence item [%d]", path[i].index)
		}
		v = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: path[i].key}, v,
		}}
	}
	return v, nil
}

// indentLines prefixes every line but the first with pad.
func indentLines(s, pad string) string {
	return strings.ReplaceAll(s, "\n", "\n"+pad)
}

func isScalarText(s string) bool { return !strings.Contains(s, "\n") }

func deepCopy(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = deepCopy(x)
	}
	return &c
}

func clearComments(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		clearComments(c)
	}
}
