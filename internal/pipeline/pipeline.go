// Package pipeline is syncdoctor's one entry point for the CLI and the
// fixture harness: discover → resolve → render → check → sort.
package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/config"
	"github.com/syncdoctor/syncdoctor/internal/discover"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/render"
	"github.com/syncdoctor/syncdoctor/internal/report"
	"github.com/syncdoctor/syncdoctor/internal/resolve"
	"github.com/syncdoctor/syncdoctor/internal/suppress"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// Options configures an offline run. The zero value of every field but
// Root is a sensible default.
type Options struct {
	Root string
	// Config, when set, replaces reading .syncdoctor.yaml from Root.
	Config      *config.Config
	KubeVersion string   // default render.DefaultKubeVersion or the config's
	APIVersions []string // added to Helm's default API versions
	Offline     bool     // never pull remote charts
	// ArgoCDVersion, when set, replaces the configuration's argocdVersion
	// (the diff semantics checks model, e.g. "2.14" or "3.1").
	ArgoCDVersion  string
	CacheDir       string
	Timeout        time.Duration // per render
	MaxOutputBytes int           // per render
	// Isolate renders every Target in a worker process (render.Options);
	// WorkerCommand starts one, and without it nothing is isolated.
	Isolate       bool
	WorkerCommand []string
	// Checks restricts the run to these IDs (all when empty).
	Checks []string
	// Baseline suppresses the findings it holds (--baseline); nil: none.
	Baseline *suppress.Baseline
	// Shard, when Count > 1, reports only this shard's part (--shard).
	Shard Shard
	// Base, when set, is a git revision (--base): the checkout as it was
	// there is rendered too and handed to checks as check.Input.Base. It
	// is read with go-git from the repository holding Root; an unknown
	// revision or no repository is an error (wrapping ErrBase).
	Base string
	// CRDDirs are directories of CustomResourceDefinition YAML (--crds),
	// relative to Root unless absolute, given to checks as check.Input.CRDs.
	CRDDirs []string
	// ArgoCDCM is a YAML file holding the argocd-cm ConfigMap (--argocd-cm),
	// relative to Root unless absolute; it replaces the configuration's
	// argocdCM and is given to checks as check.Input.ArgoCDCM, which wins
	// over an argocd-cm an Application renders. Live runs compare with the
	// cluster's argocd-cm instead.
	ArgoCDCM string
	// Tool and GeneratedAt are copied into the Result (reporters never
	// read the clock).
	Tool        report.Tool
	GeneratedAt time.Time
	Logger      *slog.Logger
	// Progress, when set, is called after each Target renders.
	Progress func(done, total int, current string)
	// remotesOf, when set, is the directory whose git remotes map repoURLs
	// to the root: a revision extracted to a temporary directory has no
	// .git of its own but is the same repository.
	remotesOf string
}

// Run is the outcome of a pipeline run: the report and the Input the
// checks saw (for `fix`, which re-runs checks on the edited checkout).
type Run struct {
	Result *report.Result
	Input  *check.Input
	// Suppressed are the findings suppressions removed (Result counts
	// them); --write-baseline needs those the baseline removed.
	Suppressed []suppress.Suppressed
}

// Offline analyses a checkout without a cluster. It returns an error only
// when it cannot do its job at all (unreadable root or configuration);
// trouble with individual files or apps becomes findings.
func Offline(ctx context.Context, opts Options) (*Run, error) {
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, fmt.Errorf("checkout root %s: %w", opts.Root, err)
	}
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("checkout root %s is not a readable directory", opts.Root)
	}
	cfg := opts.Config
	if cfg == nil {
		if cfg, err = config.Load(root); err != nil {
			return nil, err
		}
	}
	if opts.ArgoCDVersion != "" {
		c := *cfg // checks read the version from the configuration
		c.ArgoCDVersion = opts.ArgoCDVersion
		cfg = &c
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	kube := firstNonEmpty(opts.KubeVersion, cfg.KubeVersion, render.DefaultKubeVersion)
	apiVersions := append(append([]string(nil), cfg.APIVersions...), opts.APIVersions...)
	repos := resolve.NewRepoMap(cfg, resolve.GitRemotes(firstNonEmpty(opts.remotesOf, root)))

	// Read argocd-cm before any render: a wrong path fails at once.
	cmFile, cmSource := cfg.ArgoCDCM, firstNonEmpty(cfg.File, config.FileName)+" argocdCM"
	if opts.ArgoCDCM != "" {
		cmFile, cmSource = opts.ArgoCDCM, "--argocd-cm"
	}
	argocdCM, err := loadArgoCDCM(root, cmFile, cmSource)
	if err != nil {
		return nil, err
	}
	var baseDir string
	if opts.Base != "" { // read the revision first: a typo fails before any render
		if baseDir, err = baseTree(ctx, root, opts.Base); err != nil {
			return nil, err
		}
		defer os.RemoveAll(baseDir)
	}
	st, renderer, err := renderCheckout(ctx, root, cfg, repos, kube, apiVersions, opts, logger, opts.Progress)
	if err != nil {
		return nil, err
	}
	files := newFileCache(root)
	renderer.LoadedFiles(files.seed) // chart files are not read twice
	in := &check.Input{
		Apps: st.apps, Targets: st.rendered, Problems: st.problems, Config: cfg,
		Renderer: renderer, Files: files, ArgoCDCM: argocdCM,
	}
	if in.CRDs, err = loadCRDDirs(root, opts.CRDDirs); err != nil {
		return nil, err
	}
	if opts.Base != "" {
		if in.Base, err = st.baseRenders(ctx, baseDir, opts); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	findings := runChecks(ctx, in, opts)
	logger.Debug("checked", "findings", len(findings), "took", time.Since(start))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	findings, suppressed := applySuppressions(in, opts.Baseline, findings)
	res := buildResult(ctx, opts, root, shardTargets(st.rendered, opts.Shard), findings)
	res.Suppressed = len(suppressed)
	return &Run{Result: res, Input: in, Suppressed: suppressed}, nil
}

// renderCheckout discovers, resolves and renders every Application under
// root (the checkout, or a base revision's copy of it).
func renderCheckout(ctx context.Context, root string, cfg *config.Config, repos *resolve.RepoMap, kube string, apiVersions []string,
	opts Options, logger *slog.Logger, progress func(done, total int, current string)) (*state, *render.Renderer, error) {
	start := time.Now()
	disc, err := discover.Discover(ctx, discover.Options{
		Root: root, Exclude: cfg.IgnorePaths, LocalDir: repos.LocalDir, Logger: logger,
	})
	if err != nil {
		return nil, nil, err
	}
	logger.Debug("discovered", "root", root, "apps", len(disc.Apps), "took", time.Since(start))
	renderer := render.New(render.Options{
		Root: root, KubeVersion: kube, APIVersions: apiVersions,
		Timeout: opts.Timeout, MaxOutputBytes: opts.MaxOutputBytes,
		Offline: opts.Offline, CacheDir: opts.CacheDir, Logger: logger,
		Isolate: opts.Isolate, WorkerCommand: opts.WorkerCommand,
	})
	st := &state{
		root: root, cfg: cfg, repos: repos, renderer: renderer, kube: kube, apiVersions: apiVersions,
		progress: progress, logger: logger,
	}
	st.problems = append(st.problems, disc.Problems...)
	st.addApps(dropTerraformInputs(disc.Apps))
	start = time.Now()
	if err := st.renderAll(ctx); err != nil {
		return nil, nil, err
	}
	logger.Debug("rendered", "root", root, "targets", len(st.rendered), "took", time.Since(start))
	return st, renderer, nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// state carries one run's growing set of Applications and renders; app-of-
// apps parents add children as they render.
type state struct {
	root        string
	cfg         *config.Config
	repos       *resolve.RepoMap
	renderer    *render.Renderer
	kube        string
	apiVersions []string
	progress    func(done, total int, current string)
	logger      *slog.Logger

	apps     []*target.Application
	known    map[string]*target.Application // by declaration identity
	pending  []*target.Application          // discovered, not yet resolved
	rendered []*check.Rendered
	problems []finding.Finding
}

// addApps queues Applications not seen before. The same Application can be
// met twice: in its own file and again as the output of an app-of-apps
// parent whose source directory holds it.
func (s *state) addApps(apps []*target.Application) {
	if s.known == nil {
		s.known = map[string]*target.Application{}
	}
	for _, a := range apps {
		key := a.Declared.File + "\x00" + a.App.Namespace + "\x00" + a.Name()
		if prev, ok := s.known[key]; ok {
			if prev.Parent == "" {
				prev.Parent = a.Parent
			}
			continue
		}
		s.known[key] = a
		s.apps = append(s.apps, a)
		s.pending = append(s.pending, a)
	}
}

// byName finds a known Application by namespace and name.
func (s *state) byName(ns, name string) *target.Application {
	for _, a := range s.apps {
		if a.Name() == name && a.App.Namespace == ns {
			return a
		}
	}
	return nil
}

// dropTerraformInputs removes YAML Applications that are only the input of
// a Terraform kubernetes_manifest (yamldecode(file("app.yaml"))): Terraform
// applies them, so they are the Terraform Application, not a second one.
func dropTerraformInputs(apps []*target.Application) []*target.Application {
	tfFiles := map[string]bool{}
	for _, a := range apps {
		if a.Origin != target.OriginTerraform {
			continue
		}
		for _, l := range a.Fields {
			if l.File != a.Declared.File {
				tfFiles[l.File+"\x00"+a.App.Namespace+"\x00"+a.Name()] = true
			}
		}
	}
	var out []*target.Application
	for _, a := range apps {
		if a.Origin == target.OriginYAML && tfFiles[a.Declared.File+"\x00"+a.App.Namespace+"\x00"+a.Name()] {
			continue
		}
		out = append(out, a)
	}
	return out
}
