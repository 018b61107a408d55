package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/syncdoctor/syncdoctor/internal/live"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

type liveOptions struct {
	g             *globalOptions
	kube          *genericclioptions.ConfigFlags
	repo          string
	apps          []string
	argoNamespace string
	argoVersion   string
	report        reportFlags
	checks        []string
	baseline      string
	writeBase     string
}

func newLiveCommand(s Streams, g *globalOptions) *cobra.Command {
	o := &liveOptions{g: g, kube: genericclioptions.NewConfigFlags(true)}
	cmd := &cobra.Command{
		Use:   "live",
		Short: "Explain what a cluster's ArgoCD apps are doing against the checkout (read-only)",
		Long: `live reads the ArgoCD Applications of a cluster (get, list and watch only: it
never writes), renders the checkout in --repo as ArgoCD would, and explains
OutOfSync resources field by field, pods running with stale ConfigMaps or
Secrets, and hooks that have not run. The cluster is reached with kubectl's
connection flags (--kubeconfig, --context, ...).

Exit code: 0 when no finding is at or above --fail-on, 1 when one is, 2 when
nothing could be read (unreachable cluster, refused credentials, RBAC denied
on Applications) or on a usage error. Reads denied on other resources are
reported and the rest still checked.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.complete(); err != nil {
				return err
			}
			return o.run(cmd, s)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.repo, "repo", ".", "the Git checkout holding the desired state")
	fs.StringArrayVar(&o.apps, "app", nil, "check only this Application, repeatable (default all)")
	fs.StringVar(&o.argoNamespace, "argocd-namespace", live.DefaultArgoCDNamespace, "namespace of the ArgoCD Applications")
	fs.StringVar(&o.argoVersion, "argocd-version", "", "ArgoCD version to model when the cluster does not show it (argocd-server's image)")
	o.report.addFlags(fs)
	fs.StringArrayVar(&o.checks, "check", nil, "run only this check ID, repeatable")
	fs.StringVar(&o.baseline, "baseline", "", "suppress the findings recorded in this baseline file (see --write-baseline)")
	fs.StringVar(&o.writeBase, "write-baseline", "", "write the fingerprints of the current findings to this file, to accept what the cluster shows today")
	o.kube.AddFlags(fs)
	return cmd
}

func (o *liveOptions) complete() error { return o.report.complete() }

func (o *liveOptions) run(cmd *cobra.Command, s Streams) error {
	logger, err := o.g.logger(s.Err)
	if err != nil {
		return err
	}
	color, err := o.g.colorEnabled(s)
	if err != nil {
		return err
	}
	cfg, err := o.kube.ToRESTConfig()
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("cluster configuration: %w", err)}
	}
	base, err := readBaseline(o.baseline)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	run, err := pipeline.Live(cmd.Context(), pipeline.LiveOptions{
		Options: pipeline.Options{
			Root: o.repo, Checks: o.checks, Logger: logger, CacheDir: cacheDir(s), Baseline: base,
			Tool: report.Tool{Name: "syncdoctor", Version: Version()}, GeneratedAt: time.Now().UTC(),
		},
		RESTConfig: cfg, ArgoCDNamespace: o.argoNamespace, Apps: o.apps, ArgoCDVersion: o.argoVersion,
	})
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	for _, u := range run.Input.Live.Unread {
		fmt.Fprintf(s.Err, "syncdoctor: warning: could not %s %s (namespace %q, name %q): %s\n", u.Verb, u.Resource, u.Namespace, u.Name, u.Err)
	}
	if err := writeBaseline(o.writeBase, run); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	return o.report.emit(s, color, run.Result)
}
