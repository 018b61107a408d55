package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxFileBytes bounds the size of a file fix edits.
const MaxFileBytes = 8 << 20

// yfile is a parsed YAML stream together with its bytes, so edits can
// splice text at node positions.
type yfile struct {
	src   []byte
	lines []int // byte offset where each line starts; lines[0] == 0
	docs  []*yaml.Node
}

func parseYAML(src []byte) (*yfile, error) {
	if len(src) > MaxFileBytes {
		return nil, fmt.Errorf("file is larger than %d bytes", MaxFileBytes)
	}
	f := &yfile{src: src, lines: []int{0}}
	for i, c := range src {
		if c == '\n' {
			f.lines = append(f.lines, i+1)
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		f.docs = append(f.docs, &n)
	}
	return f, nil
}

// line returns line l (1-based) without its newline.
func (f *yfile) line(l int) string {
	if l < 1 || l > len(f.lines) {
		return ""
	}
	start := f.lines[l-1]
	end := len(f.src)
	if l < len(f.lines) {
		end = f.lines[l] - 1
	}
	return string(f.src[start:end])
}

// lineEnd is the offset just after line l's newline (or the end of file).
func (f *yfile) lineEnd(l int) int {
	if l < len(f.lines) {
		return f.lines[l]
	}
	return len(f.src)
}

// off converts a yaml.v3 position (1-based line, 1-based column counted
// in characters) to a byte offset.
func (f *yfile) off(line, col int) int {
	if line < 1 || line > len(f.lines) {
		return len(f.src)
	}
	s := f.line(line)
	o := 0
	for i := 1; i < col && o < len(s); i++ {
		_, w := utf8.DecodeRuneInString(s[o:])
		o += w
	}
	return f.lines[line-1] + o
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

func isBlankOrComment(s string) (blank, comment bool) {
	t := strings.TrimSpace(s)
	return t == "", strings.HasPrefix(t, "#")
}

// blockEnd returns the offset just after the last line that belongs to a
// block entry starting on line start whose own column (0-based) is base:
// following lines indented deeper belong to it, the first content line at
// or left of base ends it. Trailing blank lines and trailing comments at
// or left of base stay outside (they belong to what follows).
func (f *yfile) blockEnd(start, base int) int {
	last := start
	for l := start + 1; l <= len(f.lines); l++ {
		s := f.line(l)
		blank, comment := isBlankOrComment(s)
		switch {
		case blank:
		case comment:
			if indentOf(s) > base {
				last = l
			}
		case indentOf(s) <= base:
			return f.lineEnd(last)
		default:
			last = l
		}
	}
	return f.lineEnd(last)
}

// scalarEnd returns the offset after the scalar token at n when the token
// is on one line and holds exactly n's value, and ok=false for multi-line,
// block or otherwise complex scalars. start is after the node properties.
func (f *yfile) scalarEnd(n *yaml.Node, start int) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Line < 1 {
		return 0, false
	}
	lineEnd := f.lineEnd(n.Line)
	if lineEnd > 0 && lineEnd <= len(f.src) && f.src[lineEnd-1] == '\n' {
		lineEnd--
	}
	if start > lineEnd {
		return 0, false
	}
	s := string(f.src[start:lineEnd])
	switch n.Style {
	case yaml.DoubleQuotedStyle:
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '"':
				return start + i + 1, true
			}
		}
	case yaml.SingleQuotedStyle:
		for i := 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				return start + i + 1, true
			}
		}
	case 0, yaml.TaggedStyle:
		end := len(s)
		if i := strings.Index(s, " #"); i >= 0 {
			end = i
		}
		if i := strings.Index(s, ": "); i >= 0 && i < end {
			end = i // a key token
		}
		if strings.HasSuffix(s[:end], ":") {
			end--
		}
		tok := strings.TrimRight(s[:end], " \t")
		if tok == n.Value || (n.Tag == "!!null" && (tok == "~" || tok == "null" || tok == "Null" || tok == "NULL")) {
			return start + len(tok), true
		}
	}
	return 0, false
}

// skipProps returns the offset after n's anchor and tag (if any) at off.
func (f *yfile) skipProps(off int) int {
	for off < len(f.src) && (f.src[off] == '&' || f.src[off] == '!') {
		for off < len(f.src) && f.src[off] != ' ' && f.src[off] != '\n' {
			off++
		}
		for off < len(f.src) && f.src[off] == ' ' {
			off++
		}
	}
	return off
}

// flowEnd returns the offset after the flow collection opening at off.
func (f *yfile) flowEnd(off int) (int, bool) {
	depth := 0
	for i := off; i < len(f.src); i++ {
		switch c := f.src[i]; c {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case '"':
			for i++; i < len(f.src) && f.src[i] != '"'; i++ {
				if f.src[i] == '\\' {
					i++
				}
			}
		case '\'':
			for i++; i < len(f.src); i++ {
				if f.src[i] == '\'' {
					if i+1 < len(f.src) && f.src[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		case '#':
			if i > 0 && (f.src[i-1] == ' ' || f.src[i-1] == '\n') {
				for i < len(f.src) && f.src[i] != '\n' {
					i++
				}
			}
		}
	}
	return 0, false
}

// dashOf returns the offset of the '-' that introduces the sequence item
// n, searching back from n's position on its line.
func (f *yfile) dashOf(n *yaml.Node) (int, bool) {
	o := f.off(n.Line, n.Column) - 1
	start := f.lines[n.Line-1]
	for ; o >= start; o-- {
		switch f.src[o] {
		case ' ':
		case '-':
			return o, true
		default:
			return 0, false
		}
	}
	return 0, false
}

func isFlow(n *yaml.Node) bool {
	return (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle != 0
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// hasAnchor reports whether n or a node below it defines an anchor.
func hasAnchor(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAnchor(c) {
			return true
		}
	}
	return false
}

// mapGet returns the index of key k's key node in mapping m, or -1.
func mapGet(m *yaml.Node, k string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if kn := m.Content[i]; kn.Kind == yaml.ScalarNode && kn.Value == k {
			return i
		}
	}
	return -1
}

func hasMergeKey(m *yaml.Node) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Tag == "!!merge" || m.Content[i].Value == "<<" {
			return true
		}
	}
	return false
}
