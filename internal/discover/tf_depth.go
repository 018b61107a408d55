package discover

import (
	"fmt"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// The HCL parser recurses once per bracket, interpolation, unary operator
// and chained conditional; a file nesting them by the hundred thousand
// overflows the goroutine stack, which no recover catches. hclDepthOK
// refuses such files before parsing. Both limits are far beyond what a
// real configuration writes.
const (
	maxHCLDepth = 1000  // brackets and ${ } / %{ } nested in each other
	maxHCLChain = 10000 // unary and conditional operators in one item
)

// hclDepthOK scans src without parsing it: it follows strings (so their
// text does not count) and comments, and returns the position where the
// nesting goes past a limit.
func hclDepthOK(src []byte, file string) (finding.Location, error) {
	// stack holds the open contexts: '"' a quoted string, 'h' a heredoc
	// (ended by markers' last entry), or the bracket that opened an
	// expression ('{' also for ${ and %{).
	var stack []byte
	var markers []string
	chain, line, col := 0, 1, 1
	fail := func(what string, limit int) (finding.Location, error) {
		return finding.Location{File: file, Line: line, Column: col}, fmt.Errorf("%s nested more than %d deep; syncdoctor does not read this file", what, limit)
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		next := byte(0)
		if i+1 < len(src) {
			next = src[i+1]
		}
		top := byte(0)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		inString := top == '"' || top == 'h'
		if top == 'h' && (i == 0 || src[i-1] == '\n') && heredocEnd(src[i:], markers[len(markers)-1]) {
			stack, markers = stack[:len(stack)-1], markers[:len(markers)-1]
			inString = false
		}
		switch {
		case top == 'h' && inString && c != '\n' && !((c == '$' || c == '%') && next == '{'):
		case inString && c == '\\':
			i++
			col++
		case inString && c == '"':
			stack = stack[:len(stack)-1]
		case inString && (c == '$' || c == '%') && next == '{':
			stack = append(stack, '{')
			i++
			col++
		case inString:
		case c == '"':
			stack = append(stack, '"')
		case c == '<' && next == '<':
			if m, n := heredocMarker(src[i+2:]); m != "" {
				stack, markers = append(stack, 'h'), append(markers, m)
				i += 1 + n
				col += 1 + n
			}
		case c == '#' || c == '/' && next == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
		case c == '/' && next == '*':
			for i+1 < len(src) && !(src[i] == '*' && src[i+1] == '/') {
				if src[i] == '\n' {
					line, col = line+1, 0
				}
				i++
			}
			i++
		case c == '{' || c == '[' || c == '(':
			stack = append(stack, c)
			chain = 0
		case c == '}' || c == ']' || c == ')':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case c == ',':
			chain = 0
		case c == '\n':
			if len(stack) == 0 || stack[len(stack)-1] == '{' {
				chain = 0
			}
		case c == '!' || c == '-' || c == '?':
			chain++
		}
		if len(stack) > maxHCLDepth {
			return fail("brackets, strings and interpolations are", maxHCLDepth)
		}
		if chain > maxHCLChain {
			return fail("unary or conditional operators are", maxHCLChain)
		}
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return finding.Location{}, nil
}

// heredocMarker reads the marker after "<<" (an optional "-", then an
// identifier up to the end of the line) and how many bytes it spans.
func heredocMarker(b []byte) (string, int) {
	n := 0
	if n < len(b) && b[n] == '-' {
		n++
	}
	start := n
	for n < len(b) && (b[n] == '_' || b[n] == '-' || b[n] >= 'a' && b[n] <= 'z' || b[n] >= 'A' && b[n] <= 'Z' || b[n] >= '0' && b[n] <= '9') {
		n++
	}
	if n == start || n < len(b) && b[n] != '\n' && b[n] != '\r' {
		return "", 0
	}
	return string(b[start:n]), n
}

// heredocEnd reports whether the line starting b is the heredoc's closing
// marker (leading spaces allowed, as for "<<-").
func heredocEnd(b []byte, marker string) bool {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	rest := b[i:]
	if len(rest) < len(marker) || string(rest[:len(marker)]) != marker {
		return false
	}
	rest = rest[len(marker):]
	return len(rest) == 0 || rest[0] == '\n' || rest[0] == '\r'
}
