package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/discover"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/render"
	"github.com/syncdoctor/syncdoctor/internal/resolve"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// maxAppDepth bounds app-of-apps nesting; real repos use two or three
// levels, and a deeper chain is almost certainly a generated loop.
const maxAppDepth = 8

// renderAll resolves and renders queued Applications, then the children
// their renders declare, level by level, and finally names environments
// over every Target at once (siblings are told apart by comparing them).
func (s *state) renderAll(ctx context.Context) error {
	ancestors := map[*target.Application][]string{}
	for depth := 0; len(s.pending) > 0; depth++ {
		batch := s.pending
		s.pending = nil
		if depth >= maxAppDepth {
			for _, a := range batch {
				s.problems = append(s.problems, finding.Finding{
					Check: "discovery-error", Severity: finding.Error, App: a.Name(), Location: a.Declared,
					Message: fmt.Sprintf("app-of-apps nesting deeper than %d levels at %s", maxAppDepth, a.Name()),
				})
			}
			break
		}
		res := resolve.Resolve(batch, resolve.Options{
			Root: s.root, Config: s.cfg, Repos: s.repos, KubeVersion: s.kube, APIVersions: s.apiVersions,
		})
		s.problems = append(s.problems, res.Problems...)
		rendered, err := s.renderTargets(ctx, res.Targets)
		if err != nil {
			return err
		}
		s.rendered = append(s.rendered, rendered...)
		for _, r := range rendered {
			s.queueChildren(r, ancestors)
		}
	}
	ts := make([]*target.Target, len(s.rendered))
	for i, r := range s.rendered {
		ts[i] = r.Target
	}
	resolve.NameEnvironments(ts, s.cfg)
	s.rendered = append(s.rendered, s.configTargets(ctx)...)
	for _, r := range s.rendered {
		if f := renderProblem(r, s.root); f != nil {
			s.problems = append(s.problems, *f)
		}
	}
	slices.SortStableFunc(s.rendered, func(a, b *check.Rendered) int {
		return compareStrings(a.Target.ID(), b.Target.ID())
	})
	return nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// queueChildren discovers Applications in a parent's rendered output.
func (s *state) queueChildren(r *check.Rendered, ancestors map[*target.Application][]string) {
	var apps []*manifest.Object
	for _, o := range r.Objects {
		if o.Ref.Group == "argoproj.io" && o.Ref.Kind == "Application" {
			apps = append(apps, o)
		}
	}
	if len(apps) == 0 {
		return
	}
	parent := r.Target.App
	children, problems := discover.FromObjects(apps, parent.Name())
	s.problems = append(s.problems, problems...)
	chain := append(slices.Clone(ancestors[parent]), parent.Name())
	var keep []*target.Application
	for _, c := range children {
		if slices.Contains(chain, c.Name()) {
			// A root app whose source directory holds its own manifest
			// manages itself: that is the same Application, not a new one.
			// A different spec under an ancestor's name would make ArgoCD
			// rewrite the ancestor on every sync: report it, stop the loop.
			if anc := s.byName(c.App.Namespace, c.Name()); anc == nil || !equality.Semantic.DeepEqual(anc.App.Spec, c.App.Spec) {
				s.problems = append(s.problems, finding.Finding{
					Check: "discovery-error", Severity: finding.Error, App: parent.Name(), Location: c.Declared,
					Message: fmt.Sprintf("app-of-apps cycle: %s declares %s, its own ancestor, with a different spec; ArgoCD would overwrite the ancestor on every sync", parent.Name(), c.Name()),
				})
			}
			continue
		}
		ancestors[c] = chain
		keep = append(keep, c)
	}
	s.addApps(keep)
}

// renderTargets renders in parallel; the order of the result follows ts.
func (s *state) renderTargets(ctx context.Context, ts []*target.Target) ([]*check.Rendered, error) {
	out := make([]*check.Rendered, len(ts))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	var mu sync.Mutex
	done := 0
	for i, t := range ts {
		g.Go(func() error {
			out[i] = s.renderOne(gctx, t)
			if s.progress != nil {
				mu.Lock()
				done++
				s.progress(done, len(ts), t.App.Name())
				mu.Unlock()
			}
			return gctx.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *state) renderOne(ctx context.Context, t *target.Target) *check.Rendered {
	r := &check.Rendered{Target: t}
	if t.Blocked != nil {
		r.Err = errors.New(t.Blocked.Message)
		return r
	}
	res, err := s.renderer.Render(ctx, t)
	if err != nil {
		r.Err = err
		return r
	}
	r.Objects, r.Values, r.Chart = res.Objects, res.Values, res.Chart
	return r
}

// renderProblem turns a Target that could not be rendered into its
// finding, now that its environment is known.
func renderProblem(r *check.Rendered, root string) *finding.Finding {
	t := r.Target
	if t.Blocked != nil {
		f := *t.Blocked
		f.Env = t.Env
		return &f
	}
	if r.Err == nil {
		return nil
	}
	f := &finding.Finding{
		Check: "render-error", Severity: finding.Error, App: t.App.Name(), Env: t.Env,
		Location: t.App.Declared, Message: fmt.Sprintf("%s (%s) does not render: %v", t.App.Name(), t.Env, r.Err),
	}
	cause := r.Err
	var re *render.Error
	if errors.As(r.Err, &re) {
		if !re.Loc.IsZero() {
			f.Location = re.Loc
		}
		cause = re.Err // the location is the finding's own; do not repeat it
		f.Message = fmt.Sprintf("%s (%s) does not render: %v", t.App.Name(), t.Env, cause)
	}
	switch {
	case errors.Is(r.Err, render.ErrOffline), errors.Is(r.Err, render.ErrJsonnet), errors.Is(r.Err, render.ErrUnsupported):
		f.Check, f.Severity = "not-analyzed", finding.Info
		f.Message = fmt.Sprintf("%s (%s) is not rendered: %v", t.App.Name(), t.Env, cause)
		f.Location = t.App.FieldLocation(sourceKey(t) + ".repoURL")
	}
	// Library errors name absolute paths (os.PathError); findings speak in
	// checkout-relative paths only.
	f.Message = strings.ReplaceAll(f.Message, root+string(filepath.Separator), "")
	f.Evidence = []finding.Evidence{{Label: "application", Value: t.App.Name(), At: t.App.Declared}}
	return f
}

func sourceKey(t *target.Target) string {
	if len(t.App.App.Spec.Sources) > 0 {
		return fmt.Sprintf("spec.sources[%d]", t.SourceIndex)
	}
	return "spec.source"
}
