// Package render turns a Target into Kubernetes objects exactly as ArgoCD's
// repo-server would: Helm charts through the Helm SDK in-process (the
// equivalent of the `helm template` call in argo-cd
// reposerver/repository/repository.go helmTemplate and util/helm/cmd.go
// template), kustomizations through krusty, and plain directories with
// ArgoCD's findManifests rules. Every object keeps its provenance.
package render

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// DefaultKubeVersion is the Kubernetes version given to Helm's Capabilities
// when neither the Target nor the Options name one. It is a recent minor
// (1.34, current when this was written) so charts gating on
// .Capabilities.KubeVersion see a modern cluster; Helm's own built-in
// default (1.20) is never used.
const DefaultKubeVersion = "1.34.0"

// Defaults for the per-render bounds.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultMaxOutputBytes = 16 << 20
)

// Options configures a Renderer.
type Options struct {
	Root           string        // checkout root (absolute)
	KubeVersion    string        // e.g. "1.34.0"; empty means DefaultKubeVersion
	APIVersions    []string      // extra --api-versions, added to Helm's defaults
	Timeout        time.Duration // per render; default DefaultTimeout
	MaxOutputBytes int           // per render; default DefaultMaxOutputBytes
	Offline        bool          // never pull remote charts
	CacheDir       string        // for pulled remote charts
	Logger         *slog.Logger  // nil discards
	// Isolate renders every Target in a worker process (isolate.go).
	Isolate bool
	// WorkerCommand starts the worker (`syncdoctor __render-worker`); the
	// CLI sets it, as only it knows its binary. Empty: no worker, so a
	// chart that once timed out is refused instead of isolated.
	WorkerCommand []string
	// MemoryLimit bounds one worker; default DefaultMemoryLimit.
	MemoryLimit int64
}

// Renderer renders Targets. It is safe for concurrent use and loads each
// chart (with its dependencies) once.
type Renderer struct {
	opts Options
	log  *slog.Logger

	mu     sync.Mutex
	charts map[string]*chartEntry // key: chart dir (checkout-relative) or remote ref
	// overrides holds charts with edited templates (override.go).
	overrides map[string]*chartEntry

	valuesMu   sync.Mutex
	valueFiles map[string]parsedValues // by content (values.go)
	// hostile holds the chart keys whose in-process render timed out
	// (isolate.go); they are never rendered in-process again.
	hostile map[string]bool
	// sites holds the guarded calls of template texts (guard.go
	// sitesByText): text → []guardSite.
	sites sync.Map
	// valueReads holds each value file read (values.go readValueFile):
	// checkout-relative path → its bytes or error.
	valueReads sync.Map
	// loaded holds the files of the chart directories loaded
	// (LoadedFiles): checkout-relative path → bytes.
	loaded sync.Map
	// deps holds chart directories loaded as file:// dependencies
	// (depcache.go): absolute directory → *depLoad.
	deps sync.Map
}

// New returns a Renderer with defaults filled in.
func New(opts Options) *Renderer {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxOutputBytes <= 0 {
		opts.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if opts.KubeVersion == "" {
		opts.KubeVersion = DefaultKubeVersion
	}
	opts.Root = filepath.Clean(opts.Root)
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.MemoryLimit <= 0 {
		opts.MemoryLimit = DefaultMemoryLimit
	}
	return &Renderer{opts: opts, log: log, charts: map[string]*chartEntry{}, overrides: map[string]*chartEntry{}, valueFiles: map[string]parsedValues{}, hostile: map[string]bool{}}
}

// Result is the outcome of rendering one Target.
type Result struct {
	Objects []*manifest.Object
	// Values are the user-supplied values after ArgoCD's precedence (value
	// files < values/valuesObject < parameters < fileParameters), before the
	// chart's defaults are coalesced. Nil for non-Helm sources.
	Values map[string]any
	// Chart is the loaded chart (dependencies not yet processed), for
	// template analysis; nil for non-Helm sources. Treat it as read-only.
	Chart *chart.Chart
}

// ErrJsonnet marks a directory source holding jsonnet files, which
// syncdoctor does not evaluate; callers turn it into an info finding.
var ErrJsonnet = errors.New("jsonnet not rendered")

// ErrUnsupported marks a source kind that syncdoctor cannot render.
var ErrUnsupported = errors.New("source kind not rendered")

// Render renders one Target.
func (r *Renderer) Render(ctx context.Context, t *target.Target) (*Result, error) {
	if r.isolated(t) {
		return r.renderIsolated(ctx, t)
	}
	var res *Result
	err := r.bounded(ctx, t, func(ctx context.Context) error {
		var err error
		res, err = r.render(ctx, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (r *Renderer) render(ctx context.Context, t *target.Target) (*Result, error) {
	switch t.Kind {
	case target.SourceHelm, target.SourceRemoteHelm:
		ce, err := r.chartFor(ctx, t)
		if err != nil {
			return nil, err
		}
		vals, err := r.userValues(t, ce)
		if err != nil {
			return nil, err
		}
		objs, err := r.renderHelm(ce, t, values.DeepCopy(vals), nil, nil)
		if err != nil {
			return nil, err
		}
		return &Result{Objects: objs, Values: vals, Chart: ce.chart}, nil
	case target.SourceKustomize:
		objs, err := r.renderKustomize(t)
		if err != nil {
			return nil, err
		}
		return &Result{Objects: objs}, nil
	case target.SourceDirectory:
		objs, err := r.renderDirectory(t)
		if err != nil {
			return nil, err
		}
		return &Result{Objects: objs}, nil
	}
	return nil, &Error{Loc: finding.Location{File: t.Dir}, Err: fmt.Errorf("%w: %q", ErrUnsupported, t.Kind)}
}

// RenderValues re-renders a Helm target with vals replacing the
// user-supplied values (Result.Values). It reuses the chart loaded by an
// earlier Render and reads nothing from disk once the chart is cached.
// vals is not modified.
func (r *Renderer) RenderValues(ctx context.Context, t *target.Target, vals map[string]any) ([]*manifest.Object, error) {
	if t.Kind != target.SourceHelm && t.Kind != target.SourceRemoteHelm {
		return nil, &Error{Loc: finding.Location{File: t.Dir}, Err: fmt.Errorf("RenderValues needs a Helm target, got %q", t.Kind)}
	}
	var objs []*manifest.Object
	err := r.bounded(ctx, t, func(ctx context.Context) error {
		ce, err := r.chartFor(ctx, t)
		if err != nil {
			return err
		}
		objs, err = r.renderHelm(ce, t, values.DeepCopy(vals), nil, nil)
		return err
	})
	return objs, err
}

// RenderSources re-renders a Helm target like RenderValues, executing
// only the templates whose `# Source:` path (manifest.Object.Source) is in
// sources, and those whose execution could change another template's
// output (render/engine purity.go), and returns only the objects of the
// templates in sources, without CRDs. Perturbation analyses use it: the
// objects are exactly those a full render gives, but an error in a
// template left out is not seen, so a caller that reports on a result
// confirms it with RenderValues.
func (r *Renderer) RenderSources(ctx context.Context, t *target.Target, vals map[string]any, sources map[string]bool) ([]*manifest.Object, error) {
	return r.RenderSourcesFuncs(ctx, t, vals, sources, nil)
}

// RenderSourcesFuncs is RenderSources with the template functions in
// funcs (name → func, as text/template takes them) replacing Helm's: an
// analysis render, never a claim about what Helm outputs. config-rollout
// replaces the hash functions to see which values a checksum covers.
func (r *Renderer) RenderSourcesFuncs(ctx context.Context, t *target.Target, vals map[string]any, sources map[string]bool, funcs map[string]any) ([]*manifest.Object, error) {
	if t.Kind != target.SourceHelm && t.Kind != target.SourceRemoteHelm {
		return nil, &Error{Loc: finding.Location{File: t.Dir}, Err: fmt.Errorf("RenderSources needs a Helm target, got %q", t.Kind)}
	}
	var objs []*manifest.Object
	err := r.bounded(ctx, t, func(ctx context.Context) error {
		ce, err := r.chartFor(ctx, t)
		if err != nil {
			return err
		}
		objs, err = r.renderHelm(ce, t, values.DeepCopy(vals), func(source string) bool { return sources[source] }, funcs)
		return err
	})
	if err != nil {
		return nil, err
	}
	kept := objs[:0]
	for _, o := range objs {
		if sources[o.Source] {
			kept = append(kept, o)
		}
	}
	return kept, nil
}

// bounded runs fn under the per-render timeout, converting a panic into an
// Error. Helm's template engine cannot be interrupted, so on timeout the
// render goroutine is abandoned and finishes (or not) on its own; the
// caller gets its Error at once.
func (r *Renderer) bounded(ctx context.Context, t *target.Target, fn func(context.Context) error) error {
	if err := r.refuseHostile(t); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				r.log.Error("render panicked", "target", t.Dir, "panic", p, "stack", string(debug.Stack()))
				done <- &Error{Loc: finding.Location{File: t.Dir}, Err: fmt.Errorf("rendering %s panicked: %v", describe(t), p)}
			}
		}()
		done <- fn(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		if ctx.Err() == context.DeadlineExceeded {
			r.markHostile(t)
		}
		return &Error{Loc: finding.Location{File: t.Dir}, Err: fmt.Errorf("rendering %s: %w (limit %s)", describe(t), ctx.Err(), r.opts.Timeout)}
	}
}

func describe(t *target.Target) string {
	switch {
	case t.Kind == target.SourceRemoteHelm:
		return fmt.Sprintf("chart %s from %s", t.Source.Chart, t.Source.RepoURL)
	case t.Kind == target.SourceHelm:
		return "chart " + t.Dir
	}
	return string(t.Kind) + " " + t.Dir
}

// kubeVersion follows ArgoCD's GetKubeVersionOrDefault: the source's own
// helm.kubeVersion wins over the cluster's (here: the Target's) version.
func (r *Renderer) kubeVersion(t *target.Target) string {
	if h := t.Source.Helm; h != nil && h.KubeVersion != "" {
		return h.KubeVersion
	}
	if t.KubeVersion != "" {
		return t.KubeVersion
	}
	return r.opts.KubeVersion
}
