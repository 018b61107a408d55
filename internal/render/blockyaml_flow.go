package render

import "strings"

// flowNode parses a flow collection that closes on the current line, or
// one of its items, starting at offset i. The subset is kept where the
// flow-context scanning rules of yaml.v2 (scannerc.go
// yaml_parser_scan_plain_scalar with flow_level > 0) cannot surprise:
// items are quoted scalars, nested flow collections or plain words made
// of flowWordByte characters; mapping keys are followed by ": "; no empty
// entries, trailing commas, multi-word plain scalars, '?' keys or
// single-pair mappings inside sequences.
func (d *blockDecoder) flowNode(i int) (any, int, bool) {
	if i >= d.end {
		return nil, 0, false
	}
	switch d.s[i] {
	case '[':
		return d.flowCollection(i, ']')
	case '{':
		return d.flowCollection(i, '}')
	case '"', '\'':
		return d.quoted(i)
	}
	j := d.flowWord(i)
	if j == i {
		return nil, 0, false
	}
	v, ok := resolvePlain(d.s[i:j])
	return v, j, ok
}

// flowWord returns the end of the plain word starting at i (i itself
// when none starts there).
func (d *blockDecoder) flowWord(i int) int {
	c := d.s[i]
	switch {
	case isAlnum(c), c == '.', c == '/', c == '~':
	case c == '-' && i+1 < d.end && (isAlnum(d.s[i+1]) || d.s[i+1] == '-'):
	default:
		return i
	}
	j := i + 1
	for j < d.end {
		c := d.s[j]
		if isAlnum(c) || strings.IndexByte("._/=+-~();@%$", c) >= 0 {
			j++
			continue
		}
		// "a:b" is one scalar; ": " would end it.
		if c == ':' && j+1 < d.end && isAlnum(d.s[j+1]) {
			j++
			continue
		}
		break
	}
	return j
}

// flowCollection parses "[...]" or "{...}" at offset i; closer is its
// closing bracket.
func (d *blockDecoder) flowCollection(i int, closer byte) (any, int, bool) {
	defer func() { d.depth-- }()
	if !d.enter() {
		return nil, 0, false
	}
	j := i + 1
	if j < d.end && d.s[j] == closer {
		if closer == '}' {
			return map[string]any{}, j + 1, true
		}
		return []any{}, j + 1, true
	}
	var seq []any
	var m map[string]any
	if closer == '}' {
		m = make(map[string]any, 4)
	} else {
		seq = make([]any, 0, 4)
	}
	for {
		j = d.skipSpaces(j)
		if j == d.end {
			return nil, 0, false
		}
		if m != nil {
			key, after, ok := d.flowKey(j)
			if !ok {
				return nil, 0, false
			}
			if _, dup := m[key]; dup {
				return nil, 0, false
			}
			j = d.skipSpaces(after)
			var v any
			if v, j, ok = d.flowNode(j); !ok {
				return nil, 0, false
			}
			m[key] = v
		} else {
			v, end, ok := d.flowNode(j)
			if !ok {
				return nil, 0, false
			}
			seq = append(seq, v)
			j = end
		}
		j = d.skipSpaces(j)
		switch {
		case j == d.end:
			return nil, 0, false
		case d.s[j] == closer:
			if m != nil {
				return m, j + 1, true
			}
			return seq, j + 1, true
		case d.s[j] != ',':
			return nil, 0, false
		}
		j++
	}
}

// flowKey parses a flow mapping key at offset i, which must be directly
// followed by ": ", and returns the offset after the ':'.
func (d *blockDecoder) flowKey(i int) (string, int, bool) {
	var key string
	var j int
	if c := d.s[i]; c == '"' || c == '\'' {
		var ok bool
		if key, j, ok = d.quoted(i); !ok {
			return "", 0, false
		}
	} else {
		j = d.flowWord(i)
		key = d.s[i:j]
		if j == i || !plainKeyStaysString(key) || key == "<<" {
			return "", 0, false
		}
	}
	if j+1 >= d.end || d.s[j] != ':' || d.s[j+1] != ' ' {
		return "", 0, false
	}
	return key, j + 1, true
}

func (d *blockDecoder) skipSpaces(j int) int {
	for j < d.end && d.s[j] == ' ' {
		j++
	}
	return j
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
