package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// many returns a Result with n findings spread over three apps, each with a
// fix of a few hundred bytes.
func many(n int) *Result {
	res := fixture()
	res.Findings = nil
	for i := range n {
		res.Findings = append(res.Findings, finding.Finding{
			Check: "env-missing-object", Severity: finding.Warning, App: fmt.Sprintf("app-%d", i%3), Env: "prod",
			Location: finding.Location{File: fmt.Sprintf("charts/app/templates/t%04d.yaml", i), Line: 7},
			Message:  fmt.Sprintf("Object %d is rendered for staging but not for prod", i),
			Fixes: []finding.Fix{{Title: "Drop the guard", Kind: finding.FixTemplate, File: "charts/app/templates/t.yaml",
				Patch: strings.Repeat("-{{- if eq .Values.env \"staging\" }}\n", 6)}},
		})
	}
	res.Findings = finding.SortAndDedupe(res.Findings)
	return res
}

var cutLine = regexp.MustCompile(`(?m)^\*\*(\d+) more findings? not shown\*\*`)

func TestMarkdownCut(t *testing.T) {
	cases := []struct {
		name  string
		n     int
		limit int
		cut   bool
	}{
		{name: "fits", n: 20, limit: MarkdownLimit, cut: false},
		{name: "real limit", n: 1000, limit: MarkdownLimit, cut: true},
		{name: "small limit", n: 30, limit: 3000, cut: true},
		{name: "header only", n: 5, limit: 100, cut: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			if err := (markdownReporter{limit: c.limit}).Report(&b, many(c.n)); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if c.limit > 1000 && len(out) > c.limit {
				t.Errorf("output is %d bytes, limit %d", len(out), c.limit)
			}
			shown := strings.Count(out, "| warning |")
			m := cutLine.FindStringSubmatch(out)
			if !c.cut {
				if m != nil || shown != c.n {
					t.Errorf("cut although it fits: shown %d of %d", shown, c.n)
				}
				return
			}
			if m == nil {
				t.Fatalf("no cut line in output of %d bytes", len(out))
			}
			if n, _ := strconv.Atoi(m[1]); n+shown != c.n || n == 0 {
				t.Errorf("shown %d + not shown %d != %d", shown, n, c.n)
			}
			if !strings.HasSuffix(out, "have them all.\n") {
				t.Error("cut line is not the last line")
			}
			if o, cl := strings.Count(out, "<details>"), strings.Count(out, "</details>"); o != cl {
				t.Errorf("%d <details> but %d </details>", o, cl)
			}
			if strings.Count(out, "```")%2 != 0 {
				t.Error("unbalanced code fences")
			}
		})
	}
}

func TestMarkdownEscaping(t *testing.T) {
	cases := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{name: "html", fn: mdText, in: "<script>x</script>", want: `\<script\>x\</script\>`},
		{name: "emphasis", fn: mdText, in: "a_b*c", want: `a\_b\*c`},
		{name: "list start", fn: mdText, in: "- not a list", want: `\- not a list`},
		{name: "cell newline", fn: mdCell, in: "a|b\nc\n", want: `a\|b<br>c`},
		{name: "code", fn: mdCode, in: "a`b", want: "``a`b``"},
		{name: "code edge", fn: mdCode, in: "`x", want: "`` `x ``"},
		{name: "code pipe", fn: mdCode, in: "a|b", want: "`a\\|b`"},
	}
	for _, c := range cases {
		if got := c.fn(c.in); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	fx := mdFixes(&finding.Finding{Check: "c", Fixes: []finding.Fix{{Title: "t", Kind: finding.FixYAML, Patch: "a: |\n  ```\n"}}})
	if !strings.Contains(fx, "````yaml\n") {
		t.Errorf("fence not longer than the backticks in the patch:\n%s", fx)
	}
}
