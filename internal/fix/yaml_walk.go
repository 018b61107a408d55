package fix

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// hit is where a path walk stopped. When depth == len(path) node is the
// node at the path; otherwise node is the deepest existing node and
// path[depth] is missing below it (or node is a flow collection, a null or
// a scalar the walk cannot enter).
type hit struct {
	node   *yaml.Node
	parent *yaml.Node // mapping or sequence holding node; nil at the root
	idx    int        // key index in a mapping parent, item index in a sequence
	depth  int
}

func (ed *editor) root() *yaml.Node {
	d := ed.f.docs[ed.doc]
	if len(d.Content) == 0 {
		return nil
	}
	return d.Content[0]
}

func (ed *editor) walk(path []seg) (hit, error) {
	h := hit{node: ed.root()}
	for i, s := range path {
		n := h.node
		if n == nil {
			return h, nil
		}
		if n.Kind == yaml.AliasNode {
			return h, fmt.Errorf("path %s goes through alias *%s; edit the anchored value instead", pathString(path[:i+1]), n.Value)
		}
		if isFlow(n) {
			return h, nil
		}
		switch {
		case n.Kind == yaml.MappingNode && !s.isIndex():
			j := mapGet(n, s.key)
			if j < 0 {
				return h, nil
			}
			h = hit{node: n.Content[j+1], parent: n, idx: j, depth: i + 1}
		case n.Kind == yaml.SequenceNode && s.isIndex():
			if s.index >= len(n.Content) {
				return h, fmt.Errorf("path %s: the sequence has %d items", pathString(path[:i+1]), len(n.Content))
			}
			h = hit{node: n.Content[s.index], parent: n, idx: s.index, depth: i + 1}
		default:
			return h, nil
		}
	}
	return h, nil
}

// indentStep guesses the file's indentation step from nested block
// mappings, defaulting to 2.
func (ed *editor) indentStep() int {
	best := 0
	var visit func(n *yaml.Node)
	visit = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode && !isFlow(n) {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind == yaml.MappingNode && !isFlow(v) && len(v.Content) > 0 && v.Line > k.Line {
					if d := v.Content[0].Column - k.Column; d > 0 && (best == 0 || d < best) {
						best = d
					}
				}
			}
		}
		for _, c := range n.Content {
			visit(c)
		}
	}
	for _, d := range ed.f.docs {
		visit(d)
	}
	if best == 0 || best > 8 {
		return 2
	}
	return best
}

func spaces(n int) string { return strings.Repeat(" ", max(n, 0)) }

// lineStartsAt reports whether only spaces precede offset o on its line,
// and returns the line's start offset.
func (f *yfile) lineStartsAt(line, o int) (int, bool) {
	start := f.lines[line-1]
	return start, strings.TrimLeft(string(f.src[start:o]), " ") == ""
}
