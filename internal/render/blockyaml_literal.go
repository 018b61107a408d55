package render

import "strings"

// literal parses a literal block scalar ('|', '|-' or '|+') whose header
// is at offset i; parent is the column of the enclosing collection
// (libyaml's parser.indent). It follows scannerc.go
// yaml_parser_scan_block_scalar and yaml_parser_scan_block_scalar_breaks:
// the indentation is the first content line's column, lines holding only
// spaces up to that indentation are line breaks and longer ones are
// content, and the chomping indicator decides the final breaks. Folded
// scalars, explicit indentation, a tab in the indentation, a leading
// blank line longer than the first content line and an empty block with
// keep chomping fall back.
func (d *blockDecoder) literal(i, parent int) (any, bool) {
	if parent < 0 {
		return nil, false
	}
	j := i + 1
	keep, strip := false, false
	if j < d.end {
		switch d.s[j] {
		case '+':
			keep = true
			j++
		case '-':
			strip = true
			j++
		}
	}
	if j < d.end {
		if d.s[j] != ' ' {
			return nil, false // an indentation digit, '>' or the like
		}
		for j < d.end && d.s[j] == ' ' {
			j++
		}
		if j < d.end && d.s[j] != '#' {
			return nil, false
		}
	}
	d.advance()

	// Leading blank lines: each is a line break of the value.
	breaks, maxLead := 0, 0
	for d.pos < len(d.s) {
		d.end = d.lineEnd(d.pos)
		k := d.spaces()
		if d.pos+k != d.end {
			break
		}
		if d.end == len(d.s) {
			d.pos = d.end // trailing spaces at the end of the text
			break
		}
		breaks++
		maxLead = max(maxLead, k)
		d.advance()
	}
	if d.pos == len(d.s) {
		return emptyLiteral(keep)
	}
	n := d.spaces()
	switch {
	case d.s[d.pos+n] == '\t':
		return nil, false
	case n <= parent:
		return emptyLiteral(keep)
	case maxLead > n:
		return nil, false
	}

	var b strings.Builder
	lineBreak := false // the last content line ended with '\n'
	for d.pos < len(d.s) {
		d.end = d.lineEnd(d.pos)
		k := d.spaces()
		if d.pos+k == d.end && k <= n {
			if d.end == len(d.s) {
				break
			}
			breaks++
			d.advance()
			continue
		}
		if k < n {
			if d.s[d.pos+k] == '\t' {
				return nil, false
			}
			break // a less indented line ends the block
		}
		if lineBreak {
			b.WriteByte('\n')
		}
		for ; breaks > 0; breaks-- {
			b.WriteByte('\n')
		}
		b.WriteString(d.s[d.pos+n : d.end])
		lineBreak = d.end < len(d.s)
		d.advance()
	}
	if !strip && lineBreak {
		b.WriteByte('\n')
	}
	if keep {
		for ; breaks > 0; breaks-- {
			b.WriteByte('\n')
		}
	}
	return b.String(), true
}

// emptyLiteral is the value of a block scalar without content lines.
func emptyLiteral(keep bool) (any, bool) {
	if keep {
		return nil, false // the kept breaks depend on libyaml's indentation guess
	}
	return "", true
}

// spaces counts the spaces that start the current line.
func (d *blockDecoder) spaces() int {
	k := 0
	for d.pos+k < d.end && d.s[d.pos+k] == ' ' {
		k++
	}
	return k
}
