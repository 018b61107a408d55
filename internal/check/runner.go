package check

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/pprof"

	"golang.org/x/sync/errgroup"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// RunOptions selects which checks run and how their findings are adjusted.
type RunOptions struct {
	// Mode keeps only checks that support it.
	Mode Mode
	// Only, when non-empty, restricts the run to these check IDs.
	Only []string
}

// Run executes every enabled check over in, in parallel, applies
// per-check severity overrides from the configuration, and returns the
// findings sorted and deduplicated. A check that panics (a bug, never the
// user's input) becomes an internal-error finding naming the check.
func Run(ctx context.Context, in *Input, opts RunOptions) []finding.Finding {
	var checks []*Check
	only := map[string]bool{}
	for _, id := range opts.Only {
		only[id] = true
	}
	for _, c := range All() {
		if c.Modes&opts.Mode == 0 || (len(only) > 0 && !only[c.ID]) {
			continue
		}
		if in.Config != nil && in.Config.Check(c.ID).Disabled {
			continue
		}
		checks = append(checks, c)
	}
	results := make([][]finding.Finding, len(checks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, c := range checks {
		g.Go(func() error {
			results[i] = runOne(gctx, c, in)
			return nil
		})
	}
	_ = g.Wait() // runOne never returns an error; panics are findings
	var all []finding.Finding
	for _, fs := range results {
		all = append(all, fs...)
	}
	return finding.SortAndDedupe(all)
}

func runOne(ctx context.Context, c *Check, in *Input) (out []finding.Finding) {
	defer func() {
		if r := recover(); r != nil {
			out = []finding.Finding{{
				Check:    c.ID,
				Severity: finding.Error,
				Message:  fmt.Sprintf("internal error in check %s: %v", c.ID, r),
				Evidence: []finding.Evidence{{Label: "stack", Value: string(debug.Stack())}},
				Impact:   "this check's results are missing; please report this bug",
			}}
		}
	}()
	// The label attributes CPU profile samples (SYNCDOCTOR_CPUPROFILE) to
	// the check, including its renders on other goroutines.
	var fs []finding.Finding
	pprof.Do(ctx, pprof.Labels("check", c.ID), func(ctx context.Context) { fs = c.Run(ctx, in) })
	sev := c.Severity
	override := in.Config != nil && in.Config.Check(c.ID).Severity != nil
	if override {
		sev = *in.Config.Check(c.ID).Severity
	}
	for i := range fs {
		fs[i].Check = c.ID
		if fs[i].Severity == 0 || override {
			fs[i].Severity = sev
		}
	}
	return fs
}
