package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

type mergeOptions struct {
	g      *globalOptions
	report reportFlags
}

func newMergeCommand(s Streams, g *globalOptions) *cobra.Command {
	o := &mergeOptions{g: g}
	cmd := &cobra.Command{
		Use:   "merge FILE...",
		Short: "Merge the JSON results of `check --shard i/n` runs into one report",
		Long: `merge reads the JSON reports of the shards of one run (syncdoctor check
--shard i/n -o json=FILE) and writes one report in any format, as if one
machine had checked the whole repo.

Exit code: 0 when no finding is at or above --fail-on, 1 when one is, 2 when a
file cannot be read.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(args, s)
		},
	}
	o.report.addFlags(cmd.Flags())
	return cmd
}

func (o *mergeOptions) run(files []string, s Streams) error {
	if err := o.report.complete(); err != nil {
		return err
	}
	var parts []*report.Result
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		res, err := report.Decode(f)
		f.Close()
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s: %w", name, err)}
		}
		parts = append(parts, res)
	}
	merged := mergeResults(parts)
	color, err := o.g.colorEnabled(s)
	if err != nil {
		return err
	}
	return o.report.emit(s, color, merged)
}

// mergeResults joins shard results: Targets in app, env order, findings
// sorted and deduplicated, problems once each, suppressions summed.
func mergeResults(parts []*report.Result) *report.Result {
	out := &report.Result{SchemaVersion: report.SchemaVersion}
	seenProblem := map[report.Problem]bool{}
	for i, p := range parts {
		if i == 0 {
			out.Tool = p.Tool
		}
		out.Targets = append(out.Targets, p.Targets...)
		out.Findings = append(out.Findings, p.Findings...)
		out.Suppressed += p.Suppressed
		for _, pr := range p.Problems {
			if !seenProblem[pr] {
				seenProblem[pr] = true
				out.Problems = append(out.Problems, pr)
			}
		}
	}
	slices.SortStableFunc(out.Targets, func(a, b report.TargetSummary) int {
		if c := strings.Compare(a.App, b.App); c != 0 {
			return c
		}
		return strings.Compare(a.Env, b.Env)
	})
	out.Findings = finding.SortAndDedupe(out.Findings)
	return out
}
