package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// The page template, its style sheet and its one small script are embedded
// and inlined, so the report is one file that works offline: no CDN, no
// web font, no external image.
//
//go:embed html/report.tmpl html/style.css html/report.js
var htmlAssets embed.FS

// htmlReporter writes one self-contained HTML page: summary, an app ×
// environment matrix, SVG plots (object counts, HPA timelines) and the
// findings with evidence and copyable fixes.
type htmlReporter struct{}

var htmlTemplate = template.Must(template.New("report.tmpl").Funcs(template.FuncMap{
	"sevClass": func(s finding.Severity) string { return "sev-" + s.String() },
}).ParseFS(htmlAssets, "html/report.tmpl"))

func (htmlReporter) Report(w io.Writer, res *Result) error {
	page, err := newHTMLPage(res)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// htmlPage is what the template renders; every string in it is already
// free of control characters and is escaped by html/template, except the
// SVG, which html_svg.go escapes itself.
type htmlPage struct {
	Title, Tool, Version, Generated, Root, Summary string
	Errors, Warnings, Infos                        int
	Targets, NotChecked, Suppressed                int
	CSS                                            template.CSS
	JS                                             template.JS
	Matrix                                         htmlMatrix
	ObjectsSVG                                     template.HTML
	HPAs                                           []htmlHPA
	Groups                                         []htmlGroup
	Failed                                         []htmlFailed
	Problems                                       []htmlProblem
}

type htmlGroup struct {
	App, Env string
	Counts   string
	Findings []htmlFinding
}

type htmlFinding struct {
	ID              string
	Severity        finding.Severity
	Check, HelpURI  string
	Where, Object   string
	Message, Impact string
	Evidence        []htmlEvidence
	Fixes           []htmlFix
}

type htmlEvidence struct{ Label, Value, At string }

type htmlFix struct{ ID, Title, Kind, File, Patch string }

type htmlFailed struct{ Name, Error string }

type htmlProblem struct{ At, Message string }

func newHTMLPage(res *Result) (*htmlPage, error) {
	css, err := htmlAssets.ReadFile("html/style.css")
	if err != nil {
		return nil, fmt.Errorf("write html report: %w", err)
	}
	js, err := htmlAssets.ReadFile("html/report.js")
	if err != nil {
		return nil, fmt.Errorf("write html report: %w", err)
	}
	p := &htmlPage{
		Title: toolName(res.Tool) + " report", Tool: toolName(res.Tool), Version: clean(res.Tool.Version),
		Root: clean(res.Root), Summary: summaryLine(res),
		Targets: len(res.Targets), Suppressed: res.Suppressed,
		CSS: template.CSS(css), JS: template.JS(js),
	}
	c := countFindings(res.Findings)
	p.Errors, p.Warnings, p.Infos = c.errors, c.warnings, c.infos
	if !res.GeneratedAt.IsZero() {
		p.Generated = res.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	for _, t := range res.Targets {
		if t.Error != "" {
			p.NotChecked++
			p.Failed = append(p.Failed, htmlFailed{Name: targetName(t.App, t.Env), Error: clean(t.Error)})
		}
	}
	for _, pr := range res.Problems {
		p.Problems = append(p.Problems, htmlProblem{At: clean(pr.Location.String()), Message: clean(pr.Message)})
	}
	p.Matrix = newMatrix(res)
	p.ObjectsSVG = objectsSVG(p.Matrix)
	p.HPAs = hpaPlots(res)
	p.Groups = htmlGroups(res)
	return p, nil
}

func targetName(app, env string) string {
	name := clean(appName(app))
	if env != "" {
		name += "/" + clean(env)
	}
	return name
}

func htmlGroups(res *Result) []htmlGroup {
	help := map[string]string{}
	for _, c := range res.Checks {
		help[c.ID] = c.HelpURI
	}
	var out []htmlGroup
	n := 0
	for _, g := range groupByApp(res.Findings) {
		hg := htmlGroup{App: clean(appName(g.app)), Env: clean(g.env), Counts: mdCounts(g.findings)}
		for _, f := range g.findings {
			n++
			hf := htmlFinding{
				ID: fmt.Sprintf("f%d", n), Severity: f.Severity, Check: clean(f.Check), HelpURI: safeURL(help[f.Check]),
				Where: clean(where(f)), Message: clean(f.Message), Impact: clean(f.Impact),
			}
			if !f.Location.IsZero() && !f.Object.IsZero() {
				hf.Object = clean(f.Object.String())
			}
			for _, e := range f.Evidence {
				hf.Evidence = append(hf.Evidence, htmlEvidence{Label: clean(e.Label), Value: clean(e.Value), At: clean(e.At.String())})
			}
			for i, x := range f.Fixes {
				hf.Fixes = append(hf.Fixes, htmlFix{
					ID: fmt.Sprintf("%s-fix%d", hf.ID, i+1), Title: clean(x.Title), Kind: clean(string(x.Kind)),
					File: clean(x.File), Patch: cleanPatch(x.Patch),
				})
			}
			hg.Findings = append(hg.Findings, hf)
		}
		out = append(out, hg)
	}
	return out
}

// cleanPatch keeps a patch's newlines and tabs (they are the patch) and
// escapes every other control character.
func cleanPatch(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		parts := strings.Split(l, "\t")
		for j := range parts {
			parts[j] = clean(parts[j])
		}
		lines[i] = strings.Join(parts, "\t")
	}
	return strings.Join(lines, "\n")
}

// safeURL keeps only http(s) links; html/template would neutralise others,
// but an empty href reads better than "#ZgotmplZ".
func safeURL(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}

// htmlMatrix is the app × environment overview: one row per app (the
// Application name with the environment taken out, so web-prod and
// web-staging share a row), one column per environment.
type htmlMatrix struct {
	Envs []string
	Rows []htmlRow
}

type htmlRow struct {
	App   string
	Cells []htmlCell
}

type htmlCell struct {
	Class, Text, Title string
	Objects            int
	Present            bool
	Findings           counts
}

func newMatrix(res *Result) htmlMatrix {
	var m htmlMatrix
	type key struct{ app, env string }
	cells := map[key]*htmlCell{}
	var apps []string
	cell := func(app, env string) *htmlCell {
		k := key{baseApp(app, env), env}
		c, ok := cells[k]
		if !ok {
			c = &htmlCell{}
			cells[k] = c
			if !slices.Contains(apps, k.app) {
				apps = append(apps, k.app)
			}
			if !slices.Contains(m.Envs, env) {
				m.Envs = append(m.Envs, env)
			}
		}
		return c
	}
	for _, t := range res.Targets {
		c := cell(t.App, t.Env)
		c.Present = true
		c.Objects += t.Objects
		if t.Error != "" {
			c.Title = "not rendered: " + clean(clip(t.Error))
			c.Class = "cell-failed"
		}
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.App == "" {
			continue
		}
		c := cell(f.App, f.Env)
		c.Findings = c.Findings.add(f.Severity)
	}
	slices.Sort(apps)
	slices.Sort(m.Envs)
	for _, app := range apps {
		row := htmlRow{App: clean(app)}
		for _, env := range m.Envs {
			c := cells[key{app, env}]
			if c == nil {
				row.Cells = append(row.Cells, htmlCell{Class: "cell-none", Text: "—", Title: "no target"})
				continue
			}
			c.Text, c.Class = cellText(c)
			row.Cells = append(row.Cells, *c)
		}
		m.Rows = append(m.Rows, row)
	}
	for i := range m.Envs {
		m.Envs[i] = clean(m.Envs[i])
	}
	return m
}

func cellText(c *htmlCell) (string, string) {
	class := c.Class
	switch {
	case class == "cell-failed":
	case c.Findings.errors > 0:
		class = "cell-error"
	case c.Findings.warnings > 0:
		class = "cell-warning"
	case c.Findings.infos > 0:
		class = "cell-info"
	default:
		class = "cell-ok"
	}
	text := "no findings"
	if c.Findings.total > 0 {
		text = plural(c.Findings.total, "finding", "findings")
	}
	if class == "cell-failed" {
		text = "not rendered"
	}
	if c.Title == "" && c.Findings.total > 0 {
		c.Title = c.Findings.breakdown()
	}
	return text, class
}

// baseApp takes the environment out of an Application name, as GitOps
// repos name one Application per environment: "web-prod" and "prod-web"
// are "web" in prod.
func baseApp(app, env string) string {
	if env == "" || app == env {
		return app
	}
	if s, ok := strings.CutSuffix(app, "-"+env); ok {
		return s
	}
	if s, ok := strings.CutPrefix(app, env+"-"); ok {
		return s
	}
	return strings.Replace(app, "-"+env+"-", "-", 1)
}
