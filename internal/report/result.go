// Package report renders a syncdoctor Result in the output formats: text,
// json, sarif, markdown and html. Every reporter is a pure function of one *Result
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

// HPASeries is one simulated replica curve of a HorizontalPodAutoscaler:
// Direction "down" from maxReplicas to minReplicas once the load drops to
// zero, "up" from minReplicas to maxReplicas under a sustained spike.
// Points hold the first sync, every sync that changed the count or what
// limited it, and the last sync.
type HPASeries struct {
	Object    finding.ObjectRef
	Label     string
	Direction string
	Min, Max  int
	// Seconds is when the target count was reached, or the simulated
	// horizon when Reached is false.
	Seconds float64
	Reached bool
	Points  []SeriesPoint
}

// SeriesPoint is the replica count after the sync at a time offset from the
// start of a simulation, and what kept it from the recommendation (a
// policy such as "policy Pods 1/60s", "stabilization window"; "" when
// nothing did).
type SeriesPoint struct {
	Seconds   float64
	Replicas  int
	LimitedBy string
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
	// Suppressed counts the findings that suppressions (ignorePaths,
	// syncdoctor:ignore comments and annotations, a baseline) removed.
	Suppressed int
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
