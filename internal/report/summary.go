package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// repositoryGroup is the group heading of findings that belong to no
// Application (repository-wide configuration).
const repositoryGroup = "repository"

// counts tallies findings by severity.
type counts struct {
	total, errors, warnings, infos int
}

func countFindings(fs []finding.Finding) counts {
	var c counts
	for i := range fs {
		c = c.add(fs[i].Severity)
	}
	return c
}

func (c counts) add(s finding.Severity) counts {
	c.total++
	switch s {
	case finding.Error:
		c.errors++
	case finding.Warning:
		c.warnings++
	case finding.Info:
		c.infos++
	}
	return c
}

// breakdown renders "1 error, 2 warnings, 1 info", leaving out zero counts.
func (c counts) breakdown() string {
	var parts []string
	if c.errors > 0 {
		parts = append(parts, plural(c.errors, "error", "errors"))
	}
	if c.warnings > 0 {
		parts = append(parts, plural(c.warnings, "warning", "warnings"))
	}
	if c.infos > 0 {
		parts = append(parts, plural(c.infos, "info", "info"))
	}
	return strings.Join(parts, ", ")
}

// summaryLine renders "3 findings (1 error, 2 warnings) in 12 targets" or
// "no findings in 12 targets".
func summaryLine(res *Result) string {
	c := countFindings(res.Findings)
	s := "no findings"
	if c.total > 0 {
		s = fmt.Sprintf("%s (%s)", plural(c.total, "finding", "findings"), c.breakdown())
	}
	s += " in " + plural(len(res.Targets), "target", "targets")
	if n := len(res.Problems); n > 0 {
		s += ", " + plural(n, "problem", "problems")
	}
	if res.Suppressed > 0 {
		s += fmt.Sprintf(", %d suppressed", res.Suppressed)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// group is the findings of one Application (and, within it, one env).
type group struct {
	app, env string
	findings []*finding.Finding
}

// groupByApp splits the sorted findings into groups by app, then env,
// keeping the canonical order inside each group. Apps and envs are sorted by
// name; findings of no app come last under "repository", and within an app
// findings of no env come first.
func groupByApp(fs []finding.Finding) []group {
	idx := map[[2]string]int{}
	var gs []group
	for i := range fs {
		f := &fs[i]
		k := [2]string{f.App, f.Env}
		j, ok := idx[k]
		if !ok {
			j = len(gs)
			idx[k] = j
			gs = append(gs, group{app: f.App, env: f.Env})
		}
		gs[j].findings = append(gs[j].findings, f)
	}
	sortGroups(gs)
	return gs
}

func sortGroups(gs []group) {
	less := func(a, b group) int {
		switch {
		case a.app == b.app:
			return strings.Compare(a.env, b.env)
		case a.app == "":
			return 1
		case b.app == "":
			return -1
		}
		return strings.Compare(a.app, b.app)
	}
	slices.SortStableFunc(gs, less)
}

// appName is the heading of an app group.
func appName(app string) string {
	if app == "" {
		return repositoryGroup
	}
	return app
}

// where is a finding's primary position for people: file:line when known,
// else the object reference, else "-".
func where(f *finding.Finding) string {
	if !f.Location.IsZero() {
		return f.Location.String()
	}
	if !f.Object.IsZero() {
		return f.Object.String()
	}
	return "-"
}
