package render

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/syncdoctor/syncdoctor/internal/yamlv2"
)

// inlineScalar parses the one-line node at offset i: a quoted or plain
// scalar, or a flow collection closed on the same line (blockyaml_flow.go).
// end is the offset just after it.
func (d *blockDecoder) inlineScalar(i int) (v any, end int, ok bool) {
	switch d.s[i] {
	case '"', '\'':
		s, end, ok := d.quoted(i)
		return s, end, ok
	case '{', '[':
		return d.flowNode(i)
	}
	if !d.plainStart(i) {
		return nil, 0, false
	}
	j := i
	for ; j < d.end; j++ {
		c := d.s[j]
		if c == '\t' {
			return nil, 0, false
		}
		if c == ':' && (j+1 == d.end || d.s[j+1] == ' ') {
			return nil, 0, false // "a: b: c" or a value ending in ':'
		}
		if c == ' ' && j+1 < d.end && d.s[j+1] == '#' {
			break
		}
	}
	v, ok = resolvePlain(strings.TrimRight(d.s[i:j], " "))
	return v, j, ok
}

// quoted parses a single- or double-quoted scalar that closes on the
// same line (multi-line quoted scalars fold lines; they fall back).
func (d *blockDecoder) quoted(i int) (string, int, bool) {
	if d.s[i] == '\'' {
		return d.singleQuoted(i)
	}
	return d.doubleQuoted(i)
}

func (d *blockDecoder) singleQuoted(i int) (string, int, bool) {
	var b []byte
	start, j := i+1, i+1
	for {
		k := strings.IndexByte(d.s[j:d.end], '\'')
		if k < 0 {
			return "", 0, false
		}
		j += k
		if j+1 < d.end && d.s[j+1] == '\'' { // '' is one quote
			b = append(b, d.s[start:j+1]...)
			j += 2
			start = j
			continue
		}
		if b == nil {
			return d.s[start:j], j + 1, true
		}
		return string(append(b, d.s[start:j]...)), j + 1, true
	}
}

// doubleQuoted decodes a one-line double-quoted scalar with the escapes
// yaml.v2 knows (scannerc.go yaml_parser_scan_flow_scalar; it has no
// "\/"); an unknown escape or a line continuation falls back.
func (d *blockDecoder) doubleQuoted(i int) (string, int, bool) {
	var b []byte
	escaped := false
	start := i + 1
	for j := start; j < d.end; {
		c := d.s[j]
		if c == '"' {
			if !escaped {
				return d.s[start:j], j + 1, true
			}
			return string(append(b, d.s[start:j]...)), j + 1, true
		}
		if c != '\\' {
			j++
			continue
		}
		if j+1 >= d.end {
			return "", 0, false
		}
		escaped = true
		b = append(b, d.s[start:j]...)
		n := 0
		switch e := d.s[j+1]; e {
		case '"', '\\', '\'', ' ':
			b = append(b, e)
		case '0':
			b = append(b, 0)
		case 'a':
			b = append(b, '\a')
		case 'b':
			b = append(b, '\b')
		case 't', '\t':
			b = append(b, '\t')
		case 'n':
			b = append(b, '\n')
		case 'v':
			b = append(b, '\v')
		case 'f':
			b = append(b, '\f')
		case 'r':
			b = append(b, '\r')
		case 'e':
			b = append(b, 0x1b)
		case 'N':
			b = append(b, "\u0085"...)
		case '_':
			b = append(b, "\u00a0"...)
		case 'L':
			b = append(b, "\u2028"...)
		case 'P':
			b = append(b, "\u2029"...)
		case 'x':
			n = 2
		case 'u':
			n = 4
		case 'U':
			n = 8
		default:
			return "", 0, false
		}
		j += 2
		if n > 0 {
			if j+n > d.end {
				return "", 0, false
			}
			r, err := strconv.ParseUint(d.s[j:j+n], 16, 32)
			// libyaml refuses surrogates and values above U+10FFFF.
			if err != nil || (r >= 0xD800 && r <= 0xDFFF) || r > 0x10FFFF {
				return "", 0, false
			}
			b = utf8.AppendRune(b, rune(r))
			j += n
		}
		start = j
	}
	return "", 0, false
}

// resolvePlain gives a plain scalar the value yaml.v2's resolver gives it
// (yamlv2.Resolve) after the JSON round trip; ok is false for what the
// round trip alters or refuses (±Inf, NaN, integers above int64) and for
// timestamps and binary literals, which are left to the slow path.
func resolvePlain(s string) (any, bool) {
	k, v := yamlv2.Resolve(s)
	switch k {
	case yamlv2.Null:
		return nil, true
	case yamlv2.Bool:
		return v, true
	case yamlv2.Int:
		if _, ok := v.(int64); !ok || isBinaryLiteral(s) {
			return nil, false
		}
		return v, true // already boxed: no second allocation
	case yamlv2.Float:
		return jsonFloat(v.(float64))
	case yamlv2.Str:
		if isBinaryLiteral(s) {
			return nil, false
		}
		return v, true
	}
	return nil, false // a timestamp
}

// plainKeyStaysString reports whether a plain mapping key resolves to the
// same string, as resolvePlain would say, without boxing the key: a key
// that resolves to a bool, null, number or timestamp is renamed by
// YAMLToJSON.
func plainKeyStaysString(key string) bool {
	return yamlv2.KindOf(key) == yamlv2.Str && !isBinaryLiteral(key)
}

// isBinaryLiteral reports text in yaml.v2's 0b/-0b binary form (after
// dropping '_'), which the fast path leaves to the slow one.
func isBinaryLiteral(s string) bool {
	var head [3]byte // the first three bytes that are not '_'
	n := 0
	for i := 0; i < len(s) && n < len(head); i++ {
		if s[i] != '_' {
			head[n] = s[i]
			n++
		}
	}
	t := string(head[:n])
	return strings.HasPrefix(t, "0b") || strings.HasPrefix(t, "-0b")
}
