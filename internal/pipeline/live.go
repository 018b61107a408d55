package pipeline

import (
	"context"
	"fmt"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"k8s.io/client-go/rest"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/live"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// LiveOptions configures a live run: the checkout (Options.Root, the
// desired state) and the cluster.
type LiveOptions struct {
	Options
	// RESTConfig reaches the cluster; live mode only gets and lists.
	RESTConfig *rest.Config
	// ArgoCDNamespace holds the Applications (default "argocd").
	ArgoCDNamespace string
	// Apps restricts the run to these Application names.
	Apps []string
	// ArgoCDVersion is used when the cluster does not show its own.
	ArgoCDVersion string
}

// problemChecks are the checks that report the pipeline's own findings;
// the offline pass of a live run runs only these.
var problemChecks = []string{"discovery-error", "render-error", "not-analyzed"}

// Live renders the checkout as Offline does, reads the cluster's
// Applications and what they manage, matches each to the checkout's
// Application of the same name and runs the live checks. It returns an
// error when the checkout cannot be analysed or nothing could be read from
// the cluster; reads that fail individually (RBAC on one resource) become
// not-analyzed findings and Input.Live.Unread.
func Live(ctx context.Context, opts LiveOptions) (*Run, error) {
	offOpts := opts.Options
	offOpts.Checks = problemChecks
	offOpts.Progress = nil
	off, err := Offline(ctx, offOpts)
	if err != nil {
		return nil, err
	}
	in := off.Input
	m := newMatcher(in)
	st, err := live.Read(ctx, live.Options{
		Config: opts.RESTConfig, ArgoCDNamespace: opts.ArgoCDNamespace, Apps: opts.Apps,
		ArgoCDVersion: opts.ArgoCDVersion, Logger: opts.Logger,
		Extra: m.hookRefs,
	})
	if err != nil {
		return nil, err
	}
	problems := append([]finding.Finding(nil), in.Problems...)
	revOpts := offOpts
	revOpts.Config = in.Config // the work tree's configuration, as for --base
	atRevision := revisionMatchers(ctx, revOpts, off.Result.Root, st.Apps)
	for _, la := range st.Apps {
		idx, env, desired := m.match(la.App)
		// Locations and fixes point at the work tree's Application; the
		// desired objects are those of the revision ArgoCD compared.
		if rm := atRevision[la.App.Status.Sync.Revision]; rm != nil {
			if ri, _, revDesired := rm.match(la.App); ri >= 0 {
				desired = revDesired
			}
		}
		la.Checkout, la.Env, la.Desired = idx, env, desired
		if idx < 0 {
			problems = append(problems, finding.Finding{
				Check: "not-analyzed", App: la.App.Name,
				Object:  finding.ObjectRef{Group: "argoproj.io", Version: "v1alpha1", Kind: "Application", Namespace: la.App.Namespace, Name: la.App.Name},
				Message: fmt.Sprintf("cluster Application %s has no Application of that name in the checkout, so its desired state is unknown", la.App.Name),
			})
		}
	}
	for _, u := range st.Unread {
		problems = append(problems, unreadFinding(u))
	}
	liveIn := &check.Input{
		Apps: in.Apps, Targets: in.Targets, Problems: problems, Config: in.Config,
		Renderer: in.Renderer, Files: in.Files, Live: st, CRDs: in.CRDs,
	}
	findings := check.Run(ctx, liveIn, check.RunOptions{Mode: check.Live, Only: opts.Checks})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	findings, suppressed := applySuppressions(liveIn, opts.Baseline, findings)
	res := buildResult(ctx, opts.Options, off.Result.Root, in.Targets, findings)
	res.Suppressed = len(suppressed)
	return &Run{Result: res, Input: liveIn, Suppressed: suppressed}, nil
}

// unreadFinding reports a read the cluster refused.
func unreadFinding(u manifest.ReadError) finding.Finding {
	where := u.Resource
	if u.Namespace != "" {
		where += " in namespace " + u.Namespace
	}
	if u.Name != "" {
		where = u.Resource + " " + u.Name
		if u.Namespace != "" {
			where += " in namespace " + u.Namespace
		}
	}
	return finding.Finding{
		Check: "not-analyzed", Object: u.Object,
		Message:  fmt.Sprintf("could not %s %s, so the live checks did not see it", u.Verb, where),
		Evidence: []finding.Evidence{{Label: "server said", Value: u.Err}},
	}
}

// matcher pairs cluster Applications with the checkout's.
type matcher struct {
	in *check.Input
}

func newMatcher(in *check.Input) *matcher { return &matcher{in: in} }

// match returns the index in Input.Apps of the checkout Application named
// like app (preferring one with the same destination namespace), its
// environment and its rendered objects; -1 when none is named so.
func (m *matcher) match(app *v1alpha1.Application) (int, string, []*manifest.Object) {
	best := -1
	for i, a := range m.in.Apps {
		if a.Name() != app.Name {
			continue
		}
		if best < 0 || (a.App.Spec.Destination.Namespace == app.Spec.Destination.Namespace &&
			m.in.Apps[best].App.Spec.Destination.Namespace != app.Spec.Destination.Namespace) {
			best = i
		}
	}
	if best < 0 {
		return -1, "", nil
	}
	var env string
	var objs []*manifest.Object
	for _, r := range m.in.Targets {
		if r.Target.App != m.in.Apps[best] {
			continue
		}
		if env == "" {
			env = r.Target.Env
		}
		objs = append(objs, r.Objects...)
	}
	return best, env, objs
}

// hookRefs lists the desired hooks of app, which ArgoCD's status.resources
// never names, so the reader fetches their live objects too.
func (m *matcher) hookRefs(app *v1alpha1.Application) []finding.ObjectRef {
	_, _, objs := m.match(app)
	var refs []finding.ObjectRef
	for _, o := range objs {
		if o.IsHook() {
			refs = append(refs, o.Ref)
		}
	}
	return refs
}
