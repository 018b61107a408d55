package engine

import (
	"strings"
	"unicode/utf8"
)

// Strings, as yaml.v2 v2.4.4 writes them after the JSON round trip:
// encode.go stringv asks for the literal style when the string holds a
// "\n", for plain when the plain text would read back as a string, for
// double quotes otherwise; emitterc.go yaml_emitter_analyze_scalar and
// yaml_emitter_select_scalar_style then downgrade plain to single quotes
// and single quotes or literal to double quotes as the characters demand.

type scalarStyle int

const (
	stylePlain scalarStyle = iota
	styleSingle
	styleDouble
	styleLiteral
)

// scalarShape is what yaml_emitter_analyze_scalar finds out about a string.
type scalarShape struct {
	multiline bool // holds a line break character
	plainOK   bool // block_plain_allowed
	singleOK  bool // single_quoted_allowed
	blockOK   bool // block_allowed
}

// yamlRoundTrips reports whether r survives json.Marshal and yaml.v2's
// reading of the JSON unchanged and needs nothing toYAMLFast leaves out:
// yaml.v2's reader rejects DEL, the C1 controls and U+FFFE/U+FFFF raw in
// its input (readerc.go), reads a raw NEL inside quotes as a line fold,
// and writes LS/PS with line-break handling toYAMLFast does not implement.
func yamlRoundTrips(r rune) bool {
	switch {
	case r == 0x7F, r >= 0x80 && r <= 0x9F, r == 0x2028, r == 0x2029, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return true
}

// yamlPrintable is the emitter's is_printable: tab and CR are not, nor is
// any character outside the BMP, nor the BOM.
func yamlPrintable(r rune) bool {
	return r == '\n' || r >= 0x20 && r <= 0x7E || r >= 0xA0 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD && r != 0xFEFF
}

// yamlBreak is is_break over the characters yamlRoundTrips lets through.
func yamlBreak(r rune) bool { return r == '\n' || r == '\r' }

// analyzeScalar computes s's scalarShape; ok=false for invalid UTF-8 or a
// character yamlRoundTrips refuses.
func analyzeScalar(s string) (scalarShape, bool) {
	if s == "" {
		return scalarShape{plainOK: true, singleOK: true}, true
	}
	var special, lineBreaks, leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	blockIndicators := strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...")
	precededByWhitespace := true
	previousSpace, previousBreak := false, false
	for i := 0; i < len(s); {
		r, w := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && w == 1 || !yamlRoundTrips(r) {
				return scalarShape{}, false
			}
		} else if r == 0x7F {
			return scalarShape{}, false
		}
		followedByWhitespace := i+w >= len(s) || s[i+w] == ' ' || s[i+w] == '\t'
		if i == 0 {
			switch r {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				blockIndicators = true
			case '?', ':', '-':
				if followedByWhitespace {
					blockIndicators = true
				}
			}
		} else {
			switch r {
			case ':':
				if followedByWhitespace {
					blockIndicators = true
				}
			case '#':
				if precededByWhitespace {
					blockIndicators = true
				}
			}
		}
		if !yamlPrintable(r) {
			special = true
		}
		switch {
		case r == ' ':
			leadingSpace = leadingSpace || i == 0
			trailingSpace = trailingSpace || i+w == len(s)
			breakSpace = breakSpace || previousBreak
			previousSpace, previousBreak = true, false
		case yamlBreak(r):
			lineBreaks = true
			leadingBreak = leadingBreak || i == 0
			trailingBreak = trailingBreak || i+w == len(s)
			spaceBreak = spaceBreak || previousSpace
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWhitespace = r == ' ' || r == '\t' || r == 0 || yamlBreak(r)
		i += w
	}
	return scalarShape{
		multiline: lineBreaks,
		plainOK: !(leadingSpace || leadingBreak || trailingSpace || trailingBreak ||
			breakSpace || spaceBreak || special || lineBreaks || blockIndicators),
		singleOK: !(breakSpace || spaceBreak || special),
		blockOK:  !(trailingSpace || spaceBreak || special),
	}, true
}

// chooseStyle is stringv's request followed by select_scalar_style's
// downgrades (in block context; toYAMLFast never writes non-empty flow
// collections).
func chooseStyle(s string, sh scalarShape, simpleKey bool) scalarStyle {
	switch {
	case strings.Contains(s, "\n"):
		if !sh.blockOK || simpleKey {
			return styleDouble
		}
		return styleLiteral
	case plainReadsAsString(s) && !isBase60Float(s):
		style := stylePlain
		if !sh.plainOK || s == "" && simpleKey {
			style = styleSingle
		}
		if style == styleSingle && !sh.singleOK {
			style = styleDouble
		}
		return style
	}
	return styleDouble
}

// str writes a string value; ind is the indentation of its continuation
// lines (folds and literal lines).
func (o *yamlOut) str(s string, ind int, simpleKey bool) bool {
	sh, ok := analyzeScalar(s)
	if !ok {
		return false
	}
	switch chooseStyle(s, sh, simpleKey) {
	case stylePlain:
		o.plain(s, ind, !simpleKey)
	case styleSingle:
		o.single(s, ind, !simpleKey)
	case styleDouble:
		o.double(s, ind, !simpleKey)
	default:
		o.literal(s, ind)
	}
	return true
}

// key writes a mapping key. yaml.v2 writes keys holding a line break or
// longer than 128 bytes in the explicit "? key" form
// (yaml_emitter_check_simple_key), which toYAMLFast leaves to yaml.v2.
func (o *yamlOut) key(k string) bool {
	if len(k) > 128 || strings.ContainsAny(k, "\n\r") {
		return false
	}
	return o.str(k, 0, true)
}

// char writes the one character at s[i:] and returns its width.
func (o *yamlOut) char(s string, i int) int {
	_, w := utf8.DecodeRuneInString(s[i:])
	o.buf = append(o.buf, s[i:i+w]...)
	o.col++
	return w
}

// plain writes a plain scalar, folding at a single space once the line is
// past the width (yaml_emitter_write_plain_scalar). It never sees a line
// break: those strings are literal or quoted.
func (o *yamlOut) plain(s string, ind int, allowBreaks bool) {
	if !o.whitespace {
		o.buf = append(o.buf, ' ')
		o.col++
	}
	spaces := false
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			if allowBreaks && !spaces && o.col > yamlBestWidth && (i+1 >= len(s) || s[i+1] != ' ') {
				o.indent(ind)
			} else {
				o.buf = append(o.buf, ' ')
				o.col++
			}
			i++
			spaces = true
			continue
		}
		j := strings.IndexByte(s[i:], ' ')
		if j < 0 {
			j = len(s) - i
		}
		o.run(s[i : i+j])
		i += j
		o.indention = false
		spaces = false
	}
	o.whitespace, o.indention = false, false
}

// run writes text holding no line break, one column per character.
func (o *yamlOut) run(text string) {
	o.buf = append(o.buf, text...)
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			o.col += utf8.RuneCountInString(text)
			return
		}
	}
	o.col += len(text)
}

// single writes a single-quoted scalar (yaml_emitter_write_single_quoted_scalar);
// a string with a line break never gets here.
func (o *yamlOut) single(s string, ind int, allowBreaks bool) {
	o.indicator("'", true, false, false)
	spaces := false
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			if allowBreaks && !spaces && o.col > yamlBestWidth && i > 0 && i < len(s)-1 && s[i+1] != ' ' {
				o.indent(ind)
			} else {
				o.buf = append(o.buf, ' ')
				o.col++
			}
			i++
			spaces = true
			continue
		}
		if s[i] == '\'' {
			o.buf = append(o.buf, '\'')
			o.col++
		}
		i += o.char(s, i)
		o.indention = false
		spaces = false
	}
	o.indicator("'", false, false, false)
	o.whitespace, o.indention = false, false
}
