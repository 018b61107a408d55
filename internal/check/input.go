package check

import (
	"context"
	"sync"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/config"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// Input is the read-only world a check sees. Checks must not mutate it:
// the runner runs checks in parallel.
type Input struct {
	// Apps are every Application discovered, in declaration order.
	Apps []*target.Application
	// Targets are the renderings, one per Application source and env.
	Targets []*Rendered
	// Problems are findings the pipeline itself made (discovery-error,
	// render-error, not-analyzed); the pipeline checks report them.
	Problems []finding.Finding
	// Config is the checkout's .syncdoctor.yaml (never nil).
	Config *config.Config
	// Renderer re-renders a Helm target with other values; nil when
	// perturbation is unavailable (tests of single checks).
	Renderer Renderer
	// Files gives read access to checkout files already loaded by the
	// pipeline (value files, templates), by checkout-relative path.
	Files FileSource
	// Live is the cluster state in live mode; nil offline.
	Live *manifest.LiveState
	// Base are the renderings of the checkout at a base git revision
	// (`check --base REV`), made the same way as Targets and with the same
	// checkout-relative paths; nil when no base was given. Match them to
	// Targets by Application name, env and source index.
	Base []*Rendered
	// CRDs are CustomResourceDefinitions read from `--crds` directories,
	// known in addition to the CRDs the Targets render (which win).
	CRDs []*manifest.Object
	// ArgoCDCM is the argocd-cm ConfigMap read from `--argocd-cm` or
	// .syncdoctor.yaml argocdCM; it wins over one the Targets render.
	// nil when neither names a file.
	ArgoCDCM *manifest.Object

	once sync.Map // memoised derived facts, see Memo
}

// Rendered is one Target with what rendering produced.
type Rendered struct {
	Target  *target.Target
	Objects []*manifest.Object
	// Values are the user-supplied values after ArgoCD's precedence and
	// before chart defaults; nil for non-Helm sources.
	Values map[string]any
	// Chart is the loaded Helm chart (with dependencies); nil otherwise.
	Chart *chart.Chart
	// Err is set when rendering failed; Objects is then empty.
	Err error
}

// Renderer re-renders Helm targets; implemented by internal/render.
type Renderer interface {
	RenderValues(ctx context.Context, t *target.Target, vals map[string]any) ([]*manifest.Object, error)
}

// FileSource returns the bytes of a checkout-relative file.
type FileSource interface {
	ReadFile(rel string) ([]byte, error)
}

// Memo computes a derived fact once per Input and shares it between
// checks (go/analysis's ResultOf without a dependency graph).
func (in *Input) Memo(key string, compute func() any) any {
	v, _ := in.once.LoadOrStore(key, &memoEntry{})
	e := v.(*memoEntry)
	e.once.Do(func() { e.val = compute() })
	return e.val
}

type memoEntry struct {
	once sync.Once
	val  any
}

// Options returns this check's options from .syncdoctor.yaml.
func (in *Input) Options(id string) map[string]string {
	if in.Config == nil {
		return nil
	}
	return in.Config.Check(id).Options
}
