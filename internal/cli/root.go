// Package cli turns command lines into pipeline options and exit codes. It
// holds no logic of its own: every command builds options, calls the
// pipeline or the registry, and hands the result to a reporter.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/syncdoctor/syncdoctor/internal/check"
)

// Streams are the process's standard streams, injected so tests run the
// commands in-process.
type Streams struct {
	In       io.Reader
	Out, Err io.Writer
	// OutIsTTY and ErrIsTTY say whether colour and progress are wanted.
	OutIsTTY, ErrIsTTY bool
	// Getenv reads the environment (os.Getenv in main).
	Getenv func(string) string
	// Executable is this program's path (os.Executable in main), to start
	// render workers (--isolate); empty disables them.
	Executable string
}

// Main runs syncdoctor with args and returns the process exit code.
func Main(ctx context.Context, args []string, s Streams) int {
	if s.Getenv == nil {
		s.Getenv = func(string) string { return "" }
	}
	if err := check.Validate(); err != nil {
		fmt.Fprintf(s.Err, "syncdoctor: internal error: invalid check registry:\n%v\n", err)
		return ExitUsage
	}
	stopProfile := tuneRuntime(s)
	root := newRootCommand(s)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	stopProfile()
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(s.Err, "syncdoctor: %v\n", ee.Err)
		}
		return ee.Code
	}
	fmt.Fprintf(s.Err, "syncdoctor: %v\n", err)
	return ExitUsage
}

type globalOptions struct {
	color    string
	logLevel string
}

func newRootCommand(s Streams) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "syncdoctor",
		Short: "Find the ways an ArgoCD + Helm deployment goes wrong quietly",
		Long: `syncdoctor renders every ArgoCD Application in a Git checkout exactly as
ArgoCD would, in every environment, and finds what goes wrong quietly:
resources missing in one environment, config changes that roll no pod,
perpetual OutOfSync, slow HPA scale-down, values nothing reads. Every finding
comes with its evidence and a ready fix.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.PersistentFlags().StringVar(&g.color, "color", "auto", "colour output: auto, always or never (NO_COLOR is honoured)")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "warn", "log level on stderr: debug, info, warn or error")
	root.AddCommand(
		newCheckCommand(s, g),
		newFixCommand(s, g),
		newChecksCommand(s),
		newMergeCommand(s, g),
		newLiveCommand(s, g),
		newExplainCommand(s),
		newVersionCommand(s),
		newRenderWorkerCommand(s),
	)
	return root
}

// logger builds the stderr logger for the chosen level.
func (g *globalOptions) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(g.logLevel)); err != nil {
		return nil, usageErrorf("--log-level: %v", err)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl})), nil
}

// colorEnabled decides colour from --color, NO_COLOR and the terminal.
func (g *globalOptions) colorEnabled(s Streams) (bool, error) {
	switch g.color {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return s.OutIsTTY && s.Getenv("NO_COLOR") == "", nil
	}
	return false, usageErrorf("--color must be auto, always or never, not %q", g.color)
}
