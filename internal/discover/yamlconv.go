package discover

import (
	"fmt"
	"math"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// maxFields bounds the positions recorded for one document, so aliases
// that expand a small file into a huge tree cannot exhaust memory.
const maxFields = 100_000

// nodeToJSON decodes a YAML node into JSON-compatible data (map[string]any,
// []any, string, numbers, bool, nil), the form the Kubernetes API server
// would see after kubectl converts YAML to JSON. yaml.v3 resolves anchors,
// aliases and merge keys, rejects duplicate keys and bounds alias expansion.
func nodeToJSON(n *yaml.Node) (any, error) {
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	return jsonCompatible(v)
}

// jsonCompatible rewrites YAML data so encoding/json accepts it: non-string
// map keys become strings the way sigs.k8s.io/yaml prints them.
func jsonCompatible(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			c, err := jsonCompatible(e)
			if err != nil {
				return nil, err
			}
			x[k] = c
		}
		return x, nil
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := jsonCompatible(e)
			if err != nil {
				return nil, err
			}
			out[keyString(k)] = c
		}
		return out, nil
	case []any:
		for i, e := range x {
			c, err := jsonCompatible(e)
			if err != nil {
				return nil, err
			}
			x[i] = c
		}
		return x, nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, fmt.Errorf("value %v cannot be represented in JSON", x)
		}
		return x, nil
	default:
		return v, nil
	}
}

func keyString(k any) string {
	switch x := k.(type) {
	case nil:
		return "null"
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// fieldPositions records the position of every key path below n: mapping
// keys at the key, sequence items at the item ("spec.sources[1].helm").
// Keys from merge keys (<<) are attributed to the anchor that defines them
// unless the mapping sets them itself. file and lineOffset place the node:
// lineOffset shifts lines for YAML embedded in another file.
func fieldPositions(n *yaml.Node, file string, lineOffset int, prefix string, into map[string]finding.Location) {
	w := fieldWalker{file: file, lineOffset: lineOffset, into: into}
	w.walk(n, prefix, 0)
}

type fieldWalker struct {
	file       string
	lineOffset int
	into       map[string]finding.Location
	count      int
}

func (w *fieldWalker) loc(n *yaml.Node) finding.Location {
	return finding.Location{File: w.file, Line: n.Line + w.lineOffset, Column: n.Column}
}

func (w *fieldWalker) add(path string, n *yaml.Node) bool {
	if w.count >= maxFields {
		return false
	}
	if _, ok := w.into[path]; !ok {
		w.into[path] = w.loc(n)
		w.count++
	}
	return true
}

func (w *fieldWalker) walk(n *yaml.Node, prefix string, depth int) {
	if n == nil || depth > 200 || w.count >= maxFields {
		return
	}
	switch n.Kind {
	case yaml.AliasNode:
		w.walk(n.Alias, prefix, depth+1)
	case yaml.MappingNode:
		// Explicit keys first, so they win over keys merged in by "<<".
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				merges = append(merges, v)
				continue
			}
			p := joinPath(prefix, k.Value)
			if !w.add(p, k) {
				return
			}
			w.walk(v, p, depth+1)
		}
		for _, m := range merges {
			m = resolveAlias(m)
			if m != nil && m.Kind == yaml.SequenceNode {
				for _, e := range m.Content {
					w.walk(e, prefix, depth+1)
				}
				continue
			}
			w.walk(m, prefix, depth+1)
		}
	case yaml.SequenceNode:
		for i, e := range n.Content {
			p := prefix + "[" + strconv.Itoa(i) + "]"
			if !w.add(p, e) {
				return
			}
			w.walk(e, p, depth+1)
		}
	}
}

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
