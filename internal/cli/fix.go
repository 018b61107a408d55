package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/fix"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

type fixOptions struct {
	g           *globalOptions
	checks      []string
	dryRun      bool
	offline     bool
	kubeVersion string
	isolate     bool
}

func newFixCommand(s Streams, g *globalOptions) *cobra.Command {
	o := &fixOptions{g: g}
	cmd := &cobra.Command{
		Use:   "fix [DIR]",
		Short: "Apply the machine-applicable fixes of the offline checks' findings",
		Long: `fix runs the offline checks on DIR (default "."), applies the first
machine-applicable fix of every finding (YAML, Terraform and template edits
that keep comments and formatting; files are replaced atomically), runs the
checks again and reports what is still open. Fixes that need a person are
listed with their patch.

Exit code: 0 when no finding is left, 1 when findings are still open (or,
with --dry-run, would be), 2 when a usage or input error stopped the run.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := "."
			if len(args) == 1 {
				root = args[0]
			}
			return o.run(cmd, s, root)
		},
	}
	fs := cmd.Flags()
	fs.StringArrayVar(&o.checks, "check", nil, "fix only the findings of this check ID, repeatable")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the unified diff and write nothing")
	fs.BoolVar(&o.offline, "offline", false, "never pull remote Helm charts")
	fs.StringVar(&o.kubeVersion, "kube-version", "", "Kubernetes version charts see (.Capabilities.KubeVersion)")
	fs.BoolVar(&o.isolate, "isolate", false, "render each Application in a child process with a time and memory limit, for untrusted charts")
	return cmd
}

func (o *fixOptions) run(cmd *cobra.Command, s Streams, root string) error {
	logger, err := o.g.logger(s.Err)
	if err != nil {
		return err
	}
	opts := pipeline.Options{
		Root: root, KubeVersion: o.kubeVersion, Offline: o.offline, Checks: o.checks, Logger: logger,
		Tool: report.Tool{Name: "syncdoctor", Version: Version()}, GeneratedAt: time.Now().UTC(),
		CacheDir: cacheDir(s), Isolate: o.isolate, WorkerCommand: workerCommand(s),
	}
	if o.isolate && opts.WorkerCommand == nil {
		return usageErrorf("--isolate: the path of this program is unknown, so no worker can be started")
	}
	run, err := pipeline.Offline(cmd.Context(), opts)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	plan, err := fix.Compute(run.Result.Root, run.Result.Findings)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if o.dryRun {
		fmt.Fprint(s.Out, plan.Diff())
		printManual(s.Err, plan.Manual)
		fmt.Fprintf(s.Err, "would fix %d of %d findings in %d files (dry run: nothing written)\n",
			len(plan.Applied), len(run.Result.Findings), len(plan.Changes))
		if len(plan.Manual) > 0 {
			return &ExitError{Code: ExitFindings}
		}
		return nil
	}
	if err := plan.Write(&fix.Writer{}); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	for _, c := range plan.Changes {
		fmt.Fprintf(s.Out, "fixed %s\n", c.File)
	}
	printManual(s.Err, plan.Manual)
	again, err := pipeline.Offline(cmd.Context(), opts)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	open := again.Result.Findings
	fmt.Fprintf(s.Out, "applied %d fixes to %d files; %d findings still open\n", len(plan.Applied), len(plan.Changes), len(open))
	for _, f := range open {
		fmt.Fprintf(s.Out, "  %s\n", oneLine(&f))
	}
	if len(open) > 0 {
		return &ExitError{Code: ExitFindings}
	}
	return nil
}

// printManual lists the fixes left to a person, with their patches.
func printManual(w io.Writer, manual []fix.Outcome) {
	for _, m := range manual {
		fmt.Fprintf(w, "manual: %s (%s)\n", oneLine(&m.Finding), m.Reason)
		if m.Fix != nil && m.Fix.Patch != "" {
			fmt.Fprintf(w, "  %s\n    %s\n", m.Fix.Title, strings.ReplaceAll(strings.TrimRight(m.Fix.Patch, "\n"), "\n", "\n    "))
		}
	}
}

func oneLine(f *finding.Finding) string {
	at := f.Location.String()
	if at == "" {
		at = f.Object.String()
	}
	return fmt.Sprintf("%s: %s: %s", at, f.Check, f.Message)
}
