package fix

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// editor applies primitive edits to one document of a YAML stream, each
// by splicing text into the current bytes and re-parsing.
type editor struct {
	f    *yfile
	doc  int
	step int
}

// splice replaces src[start:end] with text and re-parses the stream.
func (ed *editor) splice(start, end int, text string) error {
	src := make([]byte, 0, len(ed.f.src)-(end-start)+len(text))
	src = append(append(append(src, ed.f.src[:start]...), text...), ed.f.src[end:]...)
	f, err := parseYAML(src)
	if err != nil {
		return fmt.Errorf("the edit would leave invalid YAML (%v)", err)
	}
	if len(f.docs) != len(ed.f.docs) {
		return errors.New("the edit would change the number of YAML documents")
	}
	ed.f = f
	return nil
}

// set makes path hold v, creating missing parents.
func (ed *editor) set(path []seg, v *yaml.Node) error {
	h, err := ed.walk(path)
	if err != nil {
		return err
	}
	switch n := h.node; {
	case h.depth == len(path):
		if n.Kind != yaml.AliasNode && sameValue(n, v) {
			return nil
		}
		return ed.replace(h, v)
	case n != nil && isFlow(n):
		return ed.flowEdit(h, path[h.depth:], func(c *yaml.Node, rest []seg) error { return nodeSet(c, rest, v) })
	case n != nil && n.Kind == yaml.MappingNode:
		val, err := nested(path[h.depth+1:], v)
		if err != nil {
			return err
		}
		return ed.insertEntry(n, path[h.depth].key, val)
	case n == nil || isNull(n):
		val, err := nested(path[h.depth:], v)
		if err != nil {
			return err
		}
		return ed.replace(h, val)
	}
	return fmt.Errorf("path %s: %s is not a mapping", pathString(path), pathString(path[:h.depth]))
}

// replace puts v where h.node is.
func (ed *editor) replace(h hit, v *yaml.Node) error {
	f := ed.f
	n := h.node
	if n != nil && hasAnchor(n) {
		return fmt.Errorf("the value to replace defines an anchor (line %d)", n.Line)
	}
	txt, err := encode(v, ed.step)
	if err != nil {
		return err
	}
	short := isScalarText(txt) && (v.Kind == yaml.ScalarNode || len(v.Content) == 0)
	if h.parent == nil {
		if n != nil && !isNull(n) || ed.doc != len(f.docs)-1 {
			return errors.New("cannot replace a whole document")
		}
		// An empty last document: append the content at the end.
		prefix := ""
		if len(f.src) > 0 && f.src[len(f.src)-1] != '\n' {
			prefix = "\n"
		}
		return ed.splice(len(f.src), len(f.src), prefix+txt+"\n")
	}
	// A one-line scalar (or alias) replaced by a one-line scalar: splice the token.
	if short && n != nil {
		start := f.skipProps(f.off(n.Line, n.Column))
		if n.Kind == yaml.AliasNode {
			tok := "*" + n.Value
			if string(f.src[start:min(start+len(tok), len(f.src))]) == tok {
				return ed.splice(start, start+len(tok), txt)
			}
		} else if end, ok := f.scalarEnd(n, start); ok {
			return ed.splice(start, end, txt)
		}
	}
	switch h.parent.Kind {
	case yaml.MappingNode:
		k := h.parent.Content[h.idx]
		kStart := f.skipProps(f.off(k.Line, k.Column))
		kEnd, ok := f.scalarEnd(k, kStart)
		if !ok {
			return fmt.Errorf("line %d: complex mapping key", k.Line)
		}
		colon := kEnd
		for colon < len(f.src) && f.src[colon] == ' ' {
			colon++
		}
		if colon >= len(f.src) || f.src[colon] != ':' {
			return fmt.Errorf("line %d: no ':' after key %q", k.Line, k.Value)
		}
		end := f.blockEnd(k.Line, k.Column-1)
		pad := spaces(k.Column - 1 + ed.step)
		text := " " + txt
		if !short {
			text = " " + indentLines(txt, pad)
			if v.Kind != yaml.ScalarNode {
				text = "\n" + pad + indentLines(txt, pad)
			}
		}
		if !short && v.Kind != yaml.ScalarNode && n != nil && n.Line > k.Line {
			// Keep the comment on the key's line: `behavior: # why`.
			keyLineEnd := f.lineEnd(k.Line) - 1
			if rest := strings.TrimSpace(string(f.src[colon+1 : keyLineEnd])); rest == "" || strings.HasPrefix(rest, "#") {
				return ed.splice(keyLineEnd, end, text+eol(f, end))
			}
		}
		return ed.splice(colon+1, end, text+eol(f, end))
	case yaml.SequenceNode:
		dash, ok := f.dashOf(n)
		if !ok {
			return fmt.Errorf("line %d: cannot find the item's '-'", n.Line)
		}
		col := dash - f.lines[n.Line-1]
		end := f.blockEnd(n.Line, col)
		return ed.splice(f.off(n.Line, n.Column), end, indentLines(txt, spaces(col+2))+eol(f, end))
	}
	return errors.New("unsupported parent")
}

// eol is the newline to end a replacement that runs up to end.
func eol(f *yfile, end int) string {
	if end > 0 && f.src[end-1] == '\n' {
		return "\n"
	}
	return ""
}

// insertEntry adds key: v after the last entry of block mapping m.
func (ed *editor) insertEntry(m *yaml.Node, key string, v *yaml.Node) error {
	f := ed.f
	if len(m.Content) == 0 {
		return errors.New("empty block mapping")
	}
	last := m.Content[len(m.Content)-2]
	end := f.blockEnd(last.Line, last.Column-1)
	pad := spaces(m.Content[0].Column - 1)
	entry := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v,
	}}
	txt, err := encode(entry, ed.step)
	if err != nil {
		return err
	}
	text := pad + indentLines(txt, pad) + "\n"
	if end > 0 && f.src[end-1] != '\n' {
		text = "\n" + text
	}
	return ed.splice(end, end, text)
}

// appendItem adds item at the end of the sequence at path.
func (ed *editor) appendItem(path []seg, item *yaml.Node) error {
	h, err := ed.walk(path)
	if err != nil {
		return err
	}
	n := h.node
	switch {
	case h.depth < len(path) && n != nil && isFlow(n), h.depth == len(path) && isFlow(n):
		return ed.flowEdit(h, path[h.depth:], func(c *yaml.Node, rest []seg) error { return nodeAppend(c, rest, item) })
	case h.depth < len(path) || isNull(n):
		return ed.set(path, &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{item}})
	case n.Kind != yaml.SequenceNode:
		return fmt.Errorf("path %s is not a sequence", pathString(path))
	}
	f := ed.f
	first, last := n.Content[0], n.Content[len(n.Content)-1]
	d0, ok0 := f.dashOf(first)
	dl, okl := f.dashOf(last)
	if !ok0 || !okl {
		return fmt.Errorf("line %d: cannot find the items' '-'", first.Line)
	}
	col := d0 - f.lines[first.Line-1]
	end := f.blockEnd(last.Line, dl-f.lines[last.Line-1])
	txt, err := encode(item, ed.step)
	if err != nil {
		return err
	}
	text := spaces(col) + "- " + indentLines(txt, spaces(col+2)) + "\n"
	if end > 0 && f.src[end-1] != '\n' {
		text = "\n" + text
	}
	return ed.splice(end, end, text)
}

// delete removes the key or item at path; a missing key is no change.
func (ed *editor) delete(path []seg) error {
	h, err := ed.walk(path)
	if err != nil {
		return err
	}
	f := ed.f
	n := h.node
	if h.depth < len(path) {
		switch {
		case n != nil && isFlow(n):
			return ed.flowEdit(h, path[h.depth:], nodeDelete)
		case n != nil && n.Kind == yaml.MappingNode && hasMergeKey(n):
			return fmt.Errorf("path %s may come from a merge key (<<) at line %d", pathString(path), n.Line)
		}
		return nil
	}
	if h.parent == nil {
		return errors.New("cannot delete a whole document")
	}
	if hasAnchor(n) || hasAnchor(h.parent.Content[h.idx]) {
		return fmt.Errorf("line %d: the value to delete defines an anchor", n.Line)
	}
	p := h.parent
	if p.Kind == yaml.MappingNode {
		k := p.Content[h.idx]
		kOff := f.off(k.Line, k.Column)
		ls, atStart := f.lineStartsAt(k.Line, kOff)
		end := f.blockEnd(k.Line, k.Column-1)
		switch {
		case len(p.Content) == 2 && len(path) > 1:
			ph, err := ed.walk(path[:len(path)-1])
			if err != nil {
				return err
			}
			return ed.replace(ph, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle})
		case atStart:
			if h.idx > 0 {
				ls = f.headComments(k.Line, k.Column-1)
			}
			return ed.splice(ls, end, "")
		case h.idx+2 < len(p.Content):
			nk := p.Content[h.idx+2]
			return ed.splice(kOff, f.off(nk.Line, nk.Column), "")
		}
		return fmt.Errorf("line %d: cannot delete key %q here", k.Line, k.Value)
	}
	if len(p.Content) == 1 {
		ph, err := ed.walk(path[:len(path)-1])
		if err != nil {
			return err
		}
		return ed.replace(ph, &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle})
	}
	dash, ok := f.dashOf(n)
	if !ok {
		return fmt.Errorf("line %d: cannot find the item's '-'", n.Line)
	}
	ls, atStart := f.lineStartsAt(n.Line, dash)
	if !atStart {
		return fmt.Errorf("line %d: cannot delete a nested compact item", n.Line)
	}
	return ed.splice(ls, f.blockEnd(n.Line, dash-ls), "")
}

// headComments returns the start of the comment lines directly above line
// (no blank line between) at the given indentation, or line's start.
func (f *yfile) headComments(line, indent int) int {
	l := line
	for l > 1 {
		s := f.line(l - 1)
		if _, c := isBlankOrComment(s); !c || indentOf(s) != indent {
			break
		}
		l--
	}
	return f.lines[l-1]
}

// flowEdit applies op to a copy of the flow collection h.node and writes
// the copy back in flow style over the original's text.
func (ed *editor) flowEdit(h hit, rest []seg, op func(*yaml.Node, []seg) error) error {
	f := ed.f
	n := h.node
	if hasAnchor(n) {
		return fmt.Errorf("line %d: the flow collection defines an anchor", n.Line)
	}
	c := deepCopy(n)
	clearComments(c)
	if err := op(c, rest); err != nil {
		return err
	}
	txt, err := encode(c, ed.step)
	if err != nil {
		return err
	}
	start := f.skipProps(f.off(n.Line, n.Column))
	end, ok := f.flowEnd(start)
	if !ok {
		return fmt.Errorf("line %d: unterminated flow collection", n.Line)
	}
	return ed.splice(start, end, indentLines(txt, spaces(indentOf(f.line(n.Line))+ed.step)))
}
