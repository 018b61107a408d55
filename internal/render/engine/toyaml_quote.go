package engine

import (
	"strings"
	"unicode/utf8"
)

// double writes a double-quoted scalar (yaml.v2 emitterc.go
// yaml_emitter_write_double_quoted_scalar): non-printable characters, line
// breaks, '"' and '\' escaped, and every character escaped when the string
// starts with a BOM (the emitter's is_bom looks at the start of the value,
// not at the current character); folds at a space past the width, with a
// '\' before a following space so that it survives the fold.
func (o *yamlOut) double(s string, ind int, allowBreaks bool) {
	o.indicator(`"`, true, false, false)
	bom := strings.HasPrefix(s, "\ufeff")
	spaces := false
	for i := 0; i < len(s); {
		r, w := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case bom || !yamlPrintable(r) || yamlBreak(r) || r == '"' || r == '\\':
			o.escape(r)
			spaces = false
		case r == ' ':
			if allowBreaks && !spaces && o.col > yamlBestWidth && i > 0 && i < len(s)-1 {
				o.indent(ind)
				if s[i+1] == ' ' {
					o.buf = append(o.buf, '\\')
					o.col++
				}
			} else {
				o.buf = append(o.buf, ' ')
				o.col++
			}
			spaces = true
		default:
			o.buf = append(o.buf, s[i:i+w]...)
			o.col++
			spaces = false
		}
		i += w
	}
	o.indicator(`"`, false, false, false)
	o.whitespace, o.indention = false, false
}

// escape writes r as a double-quoted escape: the short forms yaml.v2 has,
// else \xXX, \uXXXX or \UXXXXXXXX in upper-case hex.
func (o *yamlOut) escape(r rune) {
	o.buf = append(o.buf, '\\')
	o.col++
	short := byte(0)
	switch r {
	case 0x00:
		short = '0'
	case 0x07:
		short = 'a'
	case 0x08:
		short = 'b'
	case 0x09:
		short = 't'
	case 0x0A:
		short = 'n'
	case 0x0B:
		short = 'v'
	case 0x0C:
		short = 'f'
	case 0x0D:
		short = 'r'
	case 0x1B:
		short = 'e'
	case '"':
		short = '"'
	case '\\':
		short = '\\'
	case 0x85:
		short = 'N'
	case 0xA0:
		short = '_'
	case 0x2028:
		short = 'L'
	case 0x2029:
		short = 'P'
	}
	if short != 0 {
		o.buf = append(o.buf, short)
		o.col++
		return
	}
	digits := 8
	switch {
	case r <= 0xFF:
		o.buf = append(o.buf, 'x')
		digits = 2
	case r <= 0xFFFF:
		o.buf = append(o.buf, 'u')
		digits = 4
	default:
		o.buf = append(o.buf, 'U')
	}
	o.col++
	const hex = "0123456789ABCDEF"
	for k := (digits - 1) * 4; k >= 0; k -= 4 {
		o.buf = append(o.buf, hex[(r>>uint(k))&0xF])
		o.col++
	}
}

// literal writes a literal block scalar (yaml_emitter_write_literal_scalar
// and yaml_emitter_write_block_scalar_hints): an indentation indicator
// when the text starts with a space or break, "-" without a final break,
// "+" with more than one, then each line at ind; empty lines carry no
// indentation. Only "\n" breaks get here (others make the string double
// quoted or fall back).
func (o *yamlOut) literal(s string, ind int) {
	o.indicator("|", true, false, false)
	if s[0] == ' ' || s[0] == '\n' {
		o.indicator("2", false, false, false)
	}
	switch {
	case s[len(s)-1] != '\n':
		o.indicator("-", false, false, false)
	case len(s) == 1 || s[len(s)-2] == '\n':
		o.indicator("+", false, false, false)
	}
	o.buf = append(o.buf, '\n')
	o.col = 0
	o.indention, o.whitespace = true, true
	breaks := true
	for i := 0; i < len(s); {
		if s[i] == '\n' {
			o.buf = append(o.buf, '\n')
			o.col = 0
			o.indention = true
			breaks = true
			i++
			continue
		}
		if breaks {
			o.indent(ind)
		}
		j := strings.IndexByte(s[i:], '\n')
		if j < 0 {
			j = len(s) - i
		}
		o.run(s[i : i+j])
		i += j
		o.indention = false
		breaks = false
	}
}
