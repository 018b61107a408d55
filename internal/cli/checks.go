package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/syncdoctor/syncdoctor/internal/check"
)

func newChecksCommand(s Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "checks",
		Short: "List every check: ID, default severity, modes and summary",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tMODES\tSUMMARY")
			for _, c := range check.All() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Severity, modes(c.Modes), c.Summary)
			}
			return tw.Flush()
		},
	}
}

func modes(m check.Mode) string {
	var out []string
	if m&check.Offline != 0 {
		out = append(out, "offline")
	}
	if m&check.Live != 0 {
		out = append(out, "live")
	}
	return strings.Join(out, ",")
}

func newExplainCommand(s Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "explain CHECK-ID",
		Short: "Print a check's documentation",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			c, ok := check.Lookup(args[0])
			if !ok {
				var ids []string
				for _, c := range check.All() {
					ids = append(ids, c.ID)
				}
				return usageErrorf("unknown check %q; known checks: %s", args[0], strings.Join(ids, ", "))
			}
			fmt.Fprintf(s.Out, "# %s (%s)\n\n%s\n\n%s\n", c.ID, c.Severity, c.Summary, strings.TrimSpace(c.Doc))
			return nil
		},
	}
}
