package golden

import (
	"fmt"
	"strings"
)

// maxCells bounds the LCS table so a diff of two huge unrelated outputs
// stays cheap; past it Diff shows only the first differing line.
const maxCells = 4_000_000

// context is the number of unchanged lines shown around each change.
const context = 3

// op is one line of an edit script: ' ' kept, '-' only in want, '+' only in got.
type op struct {
	kind byte
	text string
}

// Diff returns a unified-style line diff of want and got, with "@@" hunk
// headers naming the line numbers in each.
func Diff(want, got string) string {
	a, b := splitLines(want), splitLines(got)
	if len(a)*len(b) > maxCells {
		return firstDifference(a, b)
	}
	return hunks(script(a, b))
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// script computes a shortest edit script by the classic longest common
// subsequence table, which is plenty for golden files. Deletions come
// before insertions, as in unified diffs.
func script(a, b []string) []op {
	n, m := len(a), len(b)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, op{' ', a[i]})
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{'-', a[i]})
			i++
		default:
			ops = append(ops, op{'+', b[j]})
			j++
		}
	}
	return ops
}

// hunks prints the changed regions of ops with context lines around them.
func hunks(ops []op) string {
	var sb strings.Builder
	for start := 0; start < len(ops); {
		if ops[start].kind == ' ' {
			start++
			continue
		}
		// Extend the hunk while the next change is within 2*context lines.
		lo := max(0, start-context)
		end := start
		for k := start; k < len(ops); k++ {
			if ops[k].kind != ' ' {
				end = k
			} else if k-end > 2*context {
				break
			}
		}
		hi := min(len(ops), end+context+1)
		aLine, bLine := 1, 1
		for _, o := range ops[:lo] {
			if o.kind != '+' {
				aLine++
			}
			if o.kind != '-' {
				bLine++
			}
		}
		var aN, bN int
		for _, o := range ops[lo:hi] {
			if o.kind != '+' {
				aN++
			}
			if o.kind != '-' {
				bN++
			}
		}
		fmt.Fprintf(&sb, "@@ -%d,%d +%d,%d @@\n", aLine, aN, bLine, bN)
		for _, o := range ops[lo:hi] {
			writeLine(&sb, o.kind, o.text)
		}
		start = hi
	}
	return sb.String()
}

func writeLine(sb *strings.Builder, kind byte, text string) {
	sb.WriteByte(kind)
	sb.WriteString(text)
	if !strings.HasSuffix(text, "\n") {
		sb.WriteString("\n\\ no newline at end\n")
	}
}

func firstDifference(a, b []string) string {
	for i := 0; ; i++ {
		switch {
		case i >= len(a) && i >= len(b):
			return "(no line difference)\n"
		case i >= len(a) || i >= len(b) || a[i] != b[i]:
			var sb strings.Builder
			fmt.Fprintf(&sb, "first difference at line %d (outputs too large for a full diff):\n", i+1)
			if i < len(a) {
				writeLine(&sb, '-', a[i])
			}
			if i < len(b) {
				writeLine(&sb, '+', b[i])
			}
			return sb.String()
		}
	}
}
