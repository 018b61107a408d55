package report

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// MarkdownLimit is the most bytes the markdown format writes: GitHub
// rejects comment bodies over 65,536 characters, and bytes never undercount
// characters.
const MarkdownLimit = 65536

// Bounds on the lists in the markdown header, so the findings always get
// most of the space.
const (
	mdMaxListed  = 20
	mdMaxMessage = 300
)

// markdownReporter writes a pull-request comment: a heading, a summary
// table, and one collapsed section per app with a table of findings and
// their fixes. Output stops before limit with an explicit line counting the
// findings left out.
type markdownReporter struct{ limit int }

// mdSection is one app's findings, rendered in pieces so the budget can be
// checked finding by finding.
type mdSection struct {
	open, close string
	rows, fixes []string
}

func (m markdownReporter) Report(w io.Writer, res *Result) error {
	var b strings.Builder
	b.WriteString(mdHeader(res))
	budget := m.limit - len(mdCutLine(len(res.Findings)))
	shown := 0
	for _, s := range mdSections(res) {
		n := 0
		size := b.Len() + len(s.open) + len(s.close)
		for ; n < len(s.rows) && size+len(s.rows[n])+len(s.fixes[n]) <= budget; n++ {
			size += len(s.rows[n]) + len(s.fixes[n])
		}
		if n > 0 {
			b.WriteString(s.open)
			b.WriteString(strings.Join(s.rows[:n], ""))
			b.WriteString("\n")
			b.WriteString(strings.Join(s.fixes[:n], ""))
			b.WriteString(s.close)
		}
		shown += n
		if n < len(s.rows) {
			break
		}
	}
	if shown < len(res.Findings) {
		b.WriteString(mdCutLine(len(res.Findings) - shown))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// mdCutLine says how many findings did not fit.
func mdCutLine(n int) string {
	return fmt.Sprintf("**%s not shown**: the comment is capped at %d characters; the json and sarif formats have them all.\n",
		plural(n, "more finding", "more findings"), MarkdownLimit)
}

func mdHeader(res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s: %s\n\n", mdText(toolName(res.Tool)), summaryLine(res))
	c := countFindings(res.Findings)
	var failed []string
	for _, t := range res.Targets {
		if t.Error != "" {
			name := appName(t.App)
			if t.Env != "" {
				name += "/" + t.Env
			}
			failed = append(failed, fmt.Sprintf("%s: %s", mdCode(name), mdText(clip(t.Error))))
		}
	}
	b.WriteString("| Errors | Warnings | Info | Targets | Not checked |\n|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d |\n\n", c.errors, c.warnings, c.infos, len(res.Targets), len(failed))
	mdList(&b, "Targets not checked", failed)
	var problems []string
	for _, p := range res.Problems {
		s := mdText(clip(p.Message))
		if !p.Location.IsZero() {
			s = mdCode(p.Location.String()) + ": " + s
		}
		problems = append(problems, s)
	}
	mdList(&b, "Problems", problems)
	return b.String()
}

func mdList(b *strings.Builder, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "**%s**\n\n", title)
	for i, it := range items {
		if i == mdMaxListed {
			fmt.Fprintf(b, "- and %d more\n", len(items)-i)
			break
		}
		fmt.Fprintf(b, "- %s\n", it)
	}
	b.WriteString("\n")
}

func mdSections(res *Result) []mdSection {
	var out []mdSection
	gs := groupByApp(res.Findings)
	for i := 0; i < len(gs); {
		app := gs[i].app
		var fs []*finding.Finding
		for ; i < len(gs) && gs[i].app == app; i++ {
			fs = append(fs, gs[i].findings...)
		}
		s := mdSection{
			// <summary> is raw HTML to GitHub: escape for HTML, not Markdown.
			open: fmt.Sprintf("<details>\n<summary><b>%s</b>: %s (%s)</summary>\n\n"+
				"| Severity | Env | Location | Check | Message |\n|---|---|---|---|---|\n",
				html.EscapeString(clean(appName(app))), plural(len(fs), "finding", "findings"), mdCounts(fs)),
			close: "</details>\n\n",
		}
		for _, f := range fs {
			s.rows = append(s.rows, fmt.Sprintf("| %s | %s | %s | %s | %s |\n",
				f.Severity, mdCell(f.Env), mdCode(where(f)), mdCode(f.Check), mdCell(f.Message)))
			s.fixes = append(s.fixes, mdFixes(f))
		}
		out = append(out, s)
	}
	return out
}

func mdCounts(fs []*finding.Finding) string {
	var c counts
	for _, f := range fs {
		c = c.add(f.Severity)
	}
	return c.breakdown()
}

func mdFixes(f *finding.Finding) string {
	var b strings.Builder
	for _, fx := range f.Fixes {
		fmt.Fprintf(&b, "**Fix** for %s at %s: %s (%s", mdCode(f.Check), mdCode(where(f)), mdText(fx.Title), mdText(string(fx.Kind)))
		if fx.File != "" {
			b.WriteString(", " + mdCode(fx.File))
		}
		b.WriteString(")\n\n")
		patch := strings.TrimRight(fx.Patch, "\n")
		fence := strings.Repeat("`", max(3, longestRun(patch, '`')+1))
		fmt.Fprintf(&b, "%s%s\n%s\n%s\n\n", fence, fenceLang(fx.Kind, patch), patch, fence)
	}
	return b.String()
}

// fenceLang picks the highlighting of a patch: diff for unified diffs,
// else by the kind of fix.
func fenceLang(k finding.FixKind, patch string) string {
	if strings.HasPrefix(patch, "--- ") || strings.HasPrefix(patch, "@@") || strings.HasPrefix(patch, "diff ") {
		return "diff"
	}
	switch k {
	case finding.FixYAML:
		return "yaml"
	case finding.FixKubectl:
		return "sh"
	case finding.FixTerraform:
		return "hcl"
	}
	return ""
}

func toolName(t Tool) string {
	if t.Name == "" {
		return "syncdoctor"
	}
	return t.Name
}

// mdText escapes the characters that Markdown or HTML would interpret
// anywhere in a line, and the block markers at its start, so user-derived
// text (values, template snippets) shows as written.
func mdText(s string) string {
	var b strings.Builder
	for i, c := range clean(s) {
		if strings.ContainsRune("\\`*_[]<>|~&", c) || (i == 0 && strings.ContainsRune("#+-=!", c)) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// mdCell is mdText that keeps a table row on one line.
func mdCell(s string) string {
	return strings.ReplaceAll(mdText(strings.TrimRight(s, "\n")), "\n", "<br>")
}

// mdCode renders an inline code span on one line, with a fence longer than
// any backtick run inside and pipes escaped for table cells (GFM splits
// cells before parsing code spans).
func mdCode(s string) string {
	s = strings.ReplaceAll(clean(s), "\n", " ")
	s = strings.ReplaceAll(s, "|", `\|`)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

func clip(s string) string {
	if r := []rune(s); len(r) > mdMaxMessage {
		return string(r[:mdMaxMessage]) + "…"
	}
	return s
}
