// Package report renders a syncdoctor Result in the output formats: text,
// json, sarif and markdown. Every reporter is a pure function of one *Result
// and Options: it reads no clock, environment, terminal or file, so the same
// Result always gives the same bytes. The package imports only
// internal/finding of the module and knows nothing about individual checks.
package report

import (
	"io"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// SchemaVersion is the version of the JSON report schema (docs/json.md).
// Adding an optional field keeps it; removing or changing a field bumps it.
const SchemaVersion = 1

// Tool names the program that produced a Result.
type Tool struct {
	Name    string
	Version string
}

// CheckInfo describes one check that ran, for SARIF rules and explanations.
// Doc is Markdown.
type CheckInfo struct {
	ID       string
	Summary  string
	Doc      string
	HelpURI  string
	Severity finding.Severity
}

// TargetSummary is one Application × environment that syncdoctor looked at.
// Error is set when the target could not be rendered or checked.
type TargetSummary struct {
	App        string
	Env        string
	Chart      string
	ValueFiles []string
	Objects    int
	Error      string
	// Series are simulated HPA replica curves for the HTML plots; they are
	// not part of the JSON schema.
	Series []HPASeries `json:"-"`
}

// HPASeries is one simulated replica curve of a HorizontalPodAutoscaler.
// It is a placeholder for the HTML reporter, which will settle its shape.
type HPASeries struct {
	Object finding.ObjectRef
	Label  string
	Points []SeriesPoint
}

// SeriesPoint is the replica count at a time offset from the start of a
// simulation.
type SeriesPoint struct {
	Seconds  float64
	Replicas int
}

// Problem is something that stopped syncdoctor from doing part of its job
// (an unreadable file, a chart that failed to render): not a finding about
// the user's configuration, but reported beside the findings.
type Problem struct {
	Location finding.Location
	Message  string
}

// Result is everything a reporter renders. Findings are already sorted and
// deduplicated (finding.SortAndDedupe). Root is the checkout root the
// locations are relative to.
type Result struct {
	SchemaVersion int
	Tool          Tool
	Root          string
	GeneratedAt   time.Time
	Checks        []CheckInfo
	Targets       []TargetSummary
	Findings      []finding.Finding
	Problems      []Problem
}

// Options are the presentation settings the CLI computes from the terminal
// and flags. The zero value means no colour and no wrapping.
type Options struct {
	// Color enables ANSI colour sequences (text format only).
	Color bool
	// Width wraps prose at this many columns when > 0 (text format only).
	Width int
}

// Reporter renders a complete Result. It must not read the clock, the
// working directory, the environment or the terminal: all of that is in
// Result or Options, so output is deterministic.
type Reporter interface {
	Report(w io.Writer, res *Result) error
}
