package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// textReporter writes the default human format: findings grouped by app then
// env, each with its evidence, impact and fixes, and a summary line.
type textReporter struct{ opts Options }

// ANSI SGR sequences, used only when Options.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// Indentation of the parts of a finding.
const (
	indentFinding = "    "
	indentBody    = "      "
	indentItem    = "        "
	indentPatch   = "          "
)

func (r textReporter) Report(w io.Writer, res *Result) error {
	ew := &errWriter{w: w}
	gs := groupByApp(res.Findings)
	for i, g := range gs {
		if i > 0 {
			ew.printf("\n")
		}
		if i == 0 || g.app != gs[i-1].app {
			ew.printf("%s\n", r.paint(ansiBold, clean(appName(g.app))))
		}
		if g.env != "" {
			ew.printf("  %s\n", r.paint(ansiBold, clean(g.env)))
		}
		for j, f := range g.findings {
			if j > 0 {
				ew.printf("\n")
			}
			r.finding(ew, f)
		}
	}
	r.failures(ew, res)
	if len(res.Findings) > 0 || len(res.Problems) > 0 {
		ew.printf("\n")
	}
	ew.printf("%s\n", r.paint(ansiBold, summaryLine(res)))
	return ew.err
}

func (r textReporter) finding(ew *errWriter, f *finding.Finding) {
	ew.printf("%s%s  %s  %s\n", indentFinding, r.severity(f.Severity), clean(where(f)), r.paint(ansiDim, clean(f.Check)))
	r.prose(ew, indentBody, f.Message)
	if !f.Location.IsZero() && !f.Object.IsZero() {
		ew.printf("%sobject: %s\n", indentBody, clean(f.Object.String()))
	}
	if len(f.Evidence) > 0 {
		ew.printf("%sevidence:\n", indentBody)
		for _, e := range f.Evidence {
			line := fmt.Sprintf("%s- %s: %s", indentItem, clean(e.Label), clean(e.Value))
			if !e.At.IsZero() {
				line += " " + r.paint(ansiDim, "("+clean(e.At.String())+")")
			}
			ew.printf("%s\n", indentLines(line, indentItem+"  "))
		}
	}
	if f.Impact != "" {
		r.prose(ew, indentBody, "impact: "+f.Impact)
	}
	for _, fx := range f.Fixes {
		head := fmt.Sprintf("%sfix: %s (%s", indentBody, clean(fx.Title), clean(string(fx.Kind)))
		if fx.File != "" {
			head += ", " + clean(fx.File)
		}
		ew.printf("%s)\n", head)
		for _, l := range strings.Split(strings.TrimRight(fx.Patch, "\n"), "\n") {
			ew.printf("%s%s\n", indentPatch, r.patchLine(clean(l)))
		}
	}
}

// failures lists the targets that could not be checked and the problems
// that stopped syncdoctor, so a short report is never mistaken for a clean
// one.
func (r textReporter) failures(ew *errWriter, res *Result) {
	var failed []TargetSummary
	for _, t := range res.Targets {
		if t.Error != "" {
			failed = append(failed, t)
		}
	}
	if len(failed) > 0 {
		ew.printf("\n%s\n", r.paint(ansiBold, "targets not checked"))
		for _, t := range failed {
			name := clean(appName(t.App))
			if t.Env != "" {
				name += "/" + clean(t.Env)
			}
			ew.printf("  %s: %s\n", name, indentLines(clean(t.Error), "    "))
		}
	}
	if len(res.Problems) > 0 {
		ew.printf("\n%s\n", r.paint(ansiBold, "problems"))
		for _, p := range res.Problems {
			loc := "-"
			if !p.Location.IsZero() {
				loc = clean(p.Location.String())
			}
			ew.printf("  %s: %s\n", loc, indentLines(clean(p.Message), "    "))
		}
	}
}

// prose writes text at indent, wrapped to Options.Width when set, with
// wrapped continuation lines indented two more columns.
func (r textReporter) prose(ew *errWriter, indent, text string) {
	for _, para := range strings.Split(clean(text), "\n") {
		for i, l := range wrap(para, r.opts.Width-len(indent)-2) {
			if i > 0 {
				l = "  " + l
			}
			ew.printf("%s%s\n", indent, l)
		}
	}
}

func (r textReporter) severity(s finding.Severity) string {
	label := fmt.Sprintf("%-7s", s.String())
	switch s {
	case finding.Error:
		return r.paint(ansiBold+ansiRed, label)
	case finding.Warning:
		return r.paint(ansiYellow, label)
	default:
		return r.paint(ansiCyan, label)
	}
}

func (r textReporter) patchLine(l string) string {
	switch {
	case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
		return r.paint(ansiBold, l)
	case strings.HasPrefix(l, "+"):
		return r.paint(ansiGreen, l)
	case strings.HasPrefix(l, "-"):
		return r.paint(ansiRed, l)
	}
	return l
}

func (r textReporter) paint(code, s string) string {
	if !r.opts.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

// wrap splits text into lines of at most width columns at spaces; a single
// word longer than width gets a line of its own. width ≤ 0 means no wrapping.
func wrap(text string, width int) []string {
	if width <= 0 || len([]rune(text)) <= width {
		return []string{text}
	}
	var lines []string
	var cur []rune
	for _, word := range strings.Fields(text) {
		wr := []rune(word)
		if len(cur) > 0 && len(cur)+1+len(wr) > width {
			lines = append(lines, string(cur))
			cur = cur[:0]
		}
		if len(cur) > 0 {
			cur = append(cur, ' ')
		}
		cur = append(cur, wr...)
	}
	return append(lines, string(cur))
}

// indentLines indents every line after the first of a multi-line string.
func indentLines(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

// clean makes user-derived text safe for a terminal: control characters
// other than newline and tab are shown escaped, so a value from a chart
// cannot move the cursor or change colours.
func clean(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if isControl(c) {
			fmt.Fprintf(&b, "\\x%02x", c)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isControl(c rune) bool {
	return c != '\n' && c != '\t' && (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
}

// errWriter keeps the first write error so rendering code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, a...)
}
