package render

import (
	"strings"
	"unicode/utf8"
)

// decodeBlockYAML decodes the block-style YAML subset that `helm template`
// output almost always is (block mappings and sequences, one-line plain
// and quoted scalars, literal block scalars, empty flow collections,
// comments) straight into the unstructured value, without yaml.v2 and
// without reflection. Its contract is narrow: when ok is true, v is
// exactly what decodeSlow (YAMLToJSON, then a UseNumber decode, then
// values.Unstructure) gives and decodeSlow succeeds. Anything outside the
// subset, or anything whose meaning under go.yaml.in/yaml/v2 (scannerc.go,
// parserc.go, resolve.go) is not certain, gives ok=false and decodeFast
// takes the yaml.v2 path. blockyaml_test.go checks the contract on the
// fixtures, on edge cases and by fuzzing.
func decodeBlockYAML(text string) (v any, ok bool) {
	if !blockTextOK(text) {
		return nil, false
	}
	d := blockDecoder{s: text}
	ind, ok, more := d.peek()
	if !ok {
		return nil, false
	}
	if !more {
		return nil, true // empty or comment-only: YAMLToJSON gives null
	}
	start := d.pos + ind
	switch dash := d.dash(start); {
	case dash < 0:
		return nil, false
	case dash > 0:
		v, ok = d.sequence(ind)
	default:
		key, after, isKey, kok := d.scanKey(start)
		switch {
		case !kok:
			return nil, false
		case isKey:
			v, ok = d.mapping(ind, key, after)
		default:
			var end int
			v, end, ok = d.inlineScalar(start)
			ok = ok && d.finishLine(end)
		}
	}
	if !ok {
		return nil, false
	}
	// Whatever is left (a second root, a less indented line) is outside
	// the subset.
	if _, ok, more = d.peek(); !ok || more {
		return nil, false
	}
	return v, true
}

// blockMaxDepth bounds recursion; deeper documents take the yaml.v2 path.
const blockMaxDepth = 200

// blockMaxKey stays under libyaml's 1024-character limit on simple keys
// (scannerc.go yaml_parser_stale_simple_keys); longer keys fall back.
const blockMaxKey = 1000

// blockDecoder walks the text line by line. pos is the start of the
// current line and end the offset of its '\n' (or len(s)).
type blockDecoder struct {
	s     string
	pos   int
	end   int
	depth int
}

// blockTextOK rejects, before any parsing, what the subset never holds:
// characters libyaml refuses or treats as line breaks or byte order marks
// (reader.go yaml_parser_update_buffer, is_break, is_bom), carriage
// returns, invalid UTF-8, and document markers at the start of a line.
func blockTextOK(s string) bool {
	lineStart := true
	for i := 0; i < len(s); {
		c := s[i]
		if lineStart && (c == '-' || c == '.') &&
			(strings.HasPrefix(s[i:], "---") || strings.HasPrefix(s[i:], "...")) {
			return false
		}
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
			lineStart = c == '\n'
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r < 0xA0, r == 0x2028, r == 0x2029,
			r == 0xFEFF, r == 0xFFFE, r == 0xFFFF:
			return false
		}
		lineStart = false
		i += size
	}
	return true
}

// lineEnd is the offset of the '\n' ending the line that starts at pos.
func (d *blockDecoder) lineEnd(pos int) int {
	if k := strings.IndexByte(d.s[pos:], '\n'); k >= 0 {
		return pos + k
	}
	return len(d.s)
}

// advance moves to the line after the current one.
func (d *blockDecoder) advance() {
	d.pos = min(d.end+1, len(d.s))
}

// peek moves past blank and comment lines to the next line with content
// and returns its indentation; more is false at the end of the text. A
// tab before the content is outside the subset (libyaml does not skip
// tabs at the start of a block line).
func (d *blockDecoder) peek() (indent int, ok, more bool) {
	for d.pos < len(d.s) {
		d.end = d.lineEnd(d.pos)
		i := d.pos
		for i < d.end && d.s[i] == ' ' {
			i++
		}
		switch {
		case i == d.end || d.s[i] == '#':
			d.advance()
			continue
		case d.s[i] == '\t':
			return 0, false, false
		}
		return i - d.pos, true, true
	}
	return 0, true, false
}

// dash says whether offset i starts a block sequence entry: 1 for "- "
// or a lone "-", -1 for "-" and a tab (outside the subset), else 0.
func (d *blockDecoder) dash(i int) int {
	if d.s[i] != '-' {
		return 0
	}
	switch {
	case i+1 == d.end || d.s[i+1] == ' ':
		return 1
	case d.s[i+1] == '\t':
		return -1
	}
	return 0
}

func (d *blockDecoder) enter() bool {
	d.depth++
	return d.depth <= blockMaxDepth
}

// sequence parses a block sequence whose entries start at column col;
// the current line is its first entry.
func (d *blockDecoder) sequence(col int) (any, bool) {
	defer func() { d.depth-- }()
	if !d.enter() {
		return nil, false
	}
	out := make([]any, 0, 4)
	for {
		i := d.pos + col + 1
		for i < d.end && d.s[i] == ' ' {
			i++
		}
		var v any
		ok := true
		if i < d.end && d.s[i] != '#' {
			if d.dash(i) != 0 {
				return nil, false // "- - x": a compact nested sequence
			}
			key, after, isKey, kok := d.scanKey(i)
			switch {
			case !kok:
				return nil, false
			case isKey:
				v, ok = d.mapping(i-d.pos, key, after)
			default:
				v, ok = d.value(i, col, false)
			}
		} else {
			v, ok = d.value(i, col, false)
		}
		if !ok {
			return nil, false
		}
		out = append(out, v)
		ind, ok, more := d.peek()
		switch {
		case !ok:
			return nil, false
		case !more || ind < col:
			return out, true
		case ind > col:
			return nil, false
		}
		switch d.dash(d.pos + col) {
		case 0:
			return out, true // a key of the mapping this sequence is the value of
		case -1:
			return nil, false
		}
	}
}

// mapping parses a block mapping whose keys start at column col; the
// first key has been scanned already and its ':' ends before after.
func (d *blockDecoder) mapping(col int, key string, after int) (any, bool) {
	defer func() { d.depth-- }()
	if !d.enter() {
		return nil, false
	}
	m := make(map[string]any, 4)
	for {
		if _, dup := m[key]; dup {
			return nil, false
		}
		v, ok := d.value(after, col, true)
		if !ok {
			return nil, false
		}
		m[key] = v
		ind, ok, more := d.peek()
		switch {
		case !ok:
			return nil, false
		case !more || ind < col:
			return m, true
		case ind > col:
			return nil, false // a continuation line or a stray indentation
		}
		start := d.pos + col
		if d.dash(start) != 0 {
			return nil, false
		}
		var isKey bool
		key, after, isKey, ok = d.scanKey(start)
		if !ok || !isKey {
			return nil, false
		}
	}
}

// value parses the node that follows a key's ':' or an entry's '-' at
// offset i of the current line, or, when the rest of the line is empty,
// on the following lines. parent is the column of the enclosing
// collection; a mapping's value may be a sequence at that same column.
func (d *blockDecoder) value(i, parent int, mapValue bool) (any, bool) {
	for i < d.end && d.s[i] == ' ' {
		i++
	}
	if i == d.end || d.s[i] == '#' {
		d.advance()
		ind, ok, more := d.peek()
		switch {
		case !ok:
			return nil, false
		case !more:
			return nil, true
		case ind > parent:
			return d.block(ind)
		case ind == parent && mapValue && d.dash(d.pos+ind) == 1:
			return d.sequence(ind)
		}
		return nil, true
	}
	if d.s[i] == '|' {
		return d.literal(i, parent)
	}
	v, end, ok := d.inlineScalar(i)
	if !ok || !d.finishLine(end) {
		return nil, false
	}
	return v, true
}

// block parses the collection that starts the current line at column col.
func (d *blockDecoder) block(col int) (any, bool) {
	start := d.pos + col
	switch d.dash(start) {
	case 1:
		return d.sequence(col)
	case -1:
		return nil, false
	}
	key, after, isKey, ok := d.scanKey(start)
	if !ok || !isKey {
		return nil, false // a scalar on its own line: outside the subset
	}
	return d.mapping(col, key, after)
}

// finishLine accepts the rest of the line after a scalar ending at i:
// spaces, then the end or a comment, and moves to the next line.
func (d *blockDecoder) finishLine(i int) bool {
	j := i
	for j < d.end && d.s[j] == ' ' {
		j++
	}
	if j < d.end && (d.s[j] != '#' || j == i) {
		return false
	}
	d.advance()
	return true
}
