package render

import (
	"strconv"
	"strings"
	"unicode/utf8"
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
// (go.yaml.in/yaml/v2 resolve.go resolve with no tag) after the JSON
// round trip; ok is false for what the round trip alters or refuses
// (±Inf, NaN, integers above int64) and for timestamps and binary
// literals, which are left to the slow path.
func resolvePlain(s string) (any, bool) {
	if s == "" {
		return nil, true
	}
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
		return true, true
	case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
		return false, true
	case "~", "null", "Null", "NULL":
		return nil, true
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
		"+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return nil, false
	}
	switch c := s[0]; {
	case c == '.':
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return jsonFloat(f)
		}
	case c == '+' || c == '-' || (c >= '0' && c <= '9'):
		return resolveNumber(s)
	}
	return s, true
}

// resolveNumber is resolvePlain for a scalar starting with a sign or a
// digit, in resolve.go's order: timestamp, int, uint, float, binary.
func resolveNumber(s string) (any, bool) {
	digits := 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if digits == 4 && len(s) > 4 && s[4] == '-' {
		return nil, false // maybe a timestamp
	}
	plain := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return i, true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return nil, false // above int64
	}
	if yamlFloatSyntax(plain) {
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			return jsonFloat(f)
		}
	}
	if strings.HasPrefix(plain, "0b") || strings.HasPrefix(plain, "-0b") {
		return nil, false
	}
	return s, true
}

// yamlFloatSyntax matches resolve.go's yamlStyleFloat,
// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$, without regexp.
func yamlFloatSyntax(s string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
