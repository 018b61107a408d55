package check

import (
	"fmt"
	"strings"
)

// Markdown renders the registry as the checks reference (docs/checks.md):
// one section per check with its severity, modes and documentation.
func Markdown() string {
	var b strings.Builder
	b.WriteString("# syncdoctor checks\n\n")
	b.WriteString("Generated from the check registry by `go test ./internal/check -run TestDocs -update`; do not edit.\n\n")
	b.WriteString("| ID | Severity | Modes | Summary |\n|---|---|---|---|\n")
	for _, c := range All() {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", c.ID, c.ID, c.Severity, modeNames(c.Modes), c.Summary)
	}
	for _, c := range All() {
		fmt.Fprintf(&b, "\n## %s\n\n*%s* · default severity **%s** · %s\n\n%s\n",
			c.ID, c.Summary, c.Severity, modeNames(c.Modes), strings.TrimSpace(c.Doc))
	}
	return b.String()
}

func modeNames(m Mode) string {
	var out []string
	if m&Offline != 0 {
		out = append(out, "offline")
	}
	if m&Live != 0 {
		out = append(out, "live")
	}
	return strings.Join(out, ", ")
}
