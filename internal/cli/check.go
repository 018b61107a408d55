package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/syncdoctor/syncdoctor/internal/config"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

type checkOptions struct {
	g           *globalOptions
	report      reportFlags
	kubeVersion string
	argocdVer   string
	apiVersions []string
	offline     bool
	checks      []string
	configFile  string
	timeout     time.Duration
	maxOutput   int
	baseline    string
	writeBase   string
	shard       string
	baseRev     string
	crds        []string
	argocdCM    string
	isolate     bool

	root string
}

func newCheckCommand(s Streams, g *globalOptions) *cobra.Command {
	o := &checkOptions{g: g}
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Render every Application in a checkout and run the offline checks",
		Long: `check discovers every ArgoCD Application in DIR (default "."), renders each
in each environment as ArgoCD's repo-server would, and runs the checks.

Exit code: 0 when no finding is at or above --fail-on, 1 when one is, 2 when a
usage or input error stopped the run.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.complete(args); err != nil {
				return err
			}
			return o.run(cmd, s)
		},
	}
	o.addFlags(cmd.Flags())
	return cmd
}

func (o *checkOptions) addFlags(fs *pflag.FlagSet) {
	o.report.addFlags(fs)
	fs.StringVar(&o.kubeVersion, "kube-version", "", "Kubernetes version charts see (.Capabilities.KubeVersion); default from .syncdoctor.yaml, else a recent minor")
	fs.StringArrayVar(&o.apiVersions, "api-versions", nil, "extra API versions charts see (.Capabilities.APIVersions), repeatable")
	fs.StringVar(&o.argocdVer, "argocd-version", "", "ArgoCD version whose diff semantics to model (e.g. 3.1, 2.14); default from .syncdoctor.yaml argocdVersion, else the current 3.x")
	fs.BoolVar(&o.offline, "offline", false, "never pull remote Helm charts")
	fs.StringArrayVar(&o.checks, "check", nil, "run only this check ID, repeatable")
	fs.StringVar(&o.configFile, "config", "", "configuration file (default DIR/.syncdoctor.yaml)")
	fs.DurationVar(&o.timeout, "render-timeout", 30*time.Second, "time limit for rendering one Application")
	fs.IntVar(&o.maxOutput, "max-render-bytes", 16<<20, "output limit for rendering one Application")
	fs.StringVar(&o.baseline, "baseline", "", "suppress the findings recorded in this baseline file (see --write-baseline)")
	fs.StringVar(&o.shard, "shard", "", "check only part INDEX/COUNT of the Targets (0-based, e.g. 0/4): every shard discovers and renders the whole repo, each finding is reported by one shard; join the JSON results with `syncdoctor merge`")
	fs.StringVar(&o.writeBase, "write-baseline", "", "write the fingerprints of the current findings to this file, to adopt syncdoctor on a repo with existing debt")
	fs.BoolVar(&o.isolate, "isolate", false, "render each Application in a child process that is killed at --render-timeout and limited in memory, for untrusted charts (charts that time out are isolated anyway)")
	fs.StringArrayVar(&o.crds, "crds", nil, "directory of CustomResourceDefinition YAML files (checkout-relative or absolute, repeatable) whose schema defaults crd-default-drift also knows, for CRDs installed outside the checked apps")
	fs.StringVar(&o.argocdCM, "argocd-cm", "", "YAML file (checkout-relative or absolute; may hold other documents) with the argocd-cm ConfigMap whose resource.customizations.ignoreDifferences and compareoptions the diff checks apply; wins over an argocd-cm an Application renders; default .syncdoctor.yaml argocdCM. Other argocd-cm files in the checkout are not read")
	fs.StringVar(&o.baseRev, "base", "", "git revision to compare with (e.g. origin/main): finds hooks that changed while nothing else did; read with go-git, the work tree is untouched")
}

func (o *checkOptions) complete(args []string) error {
	o.root = "."
	if len(args) == 1 {
		o.root = args[0]
	}
	return o.report.complete()
}

func (o *checkOptions) run(cmd *cobra.Command, s Streams) error {
	logger, err := o.g.logger(s.Err)
	if err != nil {
		return err
	}
	color, err := o.g.colorEnabled(s)
	if err != nil {
		return err
	}
	opts := pipeline.Options{
		Root: o.root, KubeVersion: o.kubeVersion, APIVersions: o.apiVersions, Offline: o.offline,
		ArgoCDVersion: o.argocdVer, Checks: o.checks, Timeout: o.timeout, MaxOutputBytes: o.maxOutput, Logger: logger,
		Tool: report.Tool{Name: "syncdoctor", Version: Version()}, GeneratedAt: time.Now().UTC(),
		CacheDir: cacheDir(s), Base: o.baseRev, CRDDirs: o.crds, ArgoCDCM: o.argocdCM, Isolate: o.isolate, WorkerCommand: workerCommand(s),
	}
	if o.isolate && opts.WorkerCommand == nil {
		return usageErrorf("--isolate: the path of this program is unknown, so no worker can be started")
	}
	if o.configFile != "" {
		data, err := os.ReadFile(o.configFile)
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: fmt.Errorf("read --config: %w", err)}
		}
		if opts.Config, err = config.Parse(o.configFile, data); err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	}
	if s.ErrIsTTY {
		opts.Progress = newProgress(s.Err).update
	}
	if opts.Baseline, err = readBaseline(o.baseline); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if o.shard != "" {
		if opts.Shard, err = pipeline.ParseShard(o.shard); err != nil {
			return usageErrorf("--shard: %v", err)
		}
	}
	run, err := pipeline.Offline(cmd.Context(), opts)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if err := writeBaseline(o.writeBase, run); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	return o.report.emit(s, color, run.Result)
}

// cacheDir is where remote charts are pulled: $SYNCDOCTOR_CACHE or the
// user cache directory.
func cacheDir(s Streams) string {
	if d := s.Getenv("SYNCDOCTOR_CACHE"); d != "" {
		return filepath.Join(d, "charts")
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "syncdoctor", "charts")
	}
	return ""
}
