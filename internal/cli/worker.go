package cli

import (
	"github.com/spf13/cobra"

	"github.com/syncdoctor/syncdoctor/internal/render"
)

// workerCommandName is the hidden subcommand that renders one Target in
// its own process for --isolate (render.WorkerMain).
const workerCommandName = "__render-worker"

func newRenderWorkerCommand(s Streams) *cobra.Command {
	return &cobra.Command{
		Use:    workerCommandName,
		Short:  "Render one Target from a JSON request on stdin (internal)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return render.WorkerMain(cmd.Context(), s.In, s.Out)
		},
	}
}

// workerCommand is how the renderer starts a worker: this same binary.
// The executable's resolved path is preferred over argv[0], which may be
// a bare name found through a PATH the worker does not share.
func workerCommand(s Streams) []string {
	if s.Executable == "" {
		return nil
	}
	return []string{s.Executable, workerCommandName}
}
