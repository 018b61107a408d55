// Helm charts whose output differs between two renders of the same values.
package check

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

var renderNondeterministic = &Check{
	ID:       "render-nondeterministic",
	Summary:  "a chart renders different output every time",
	Severity: finding.Warning,
	Modes:    Offline,
	Doc: `Rendering the same chart with the same values twice gives different
objects: the chart calls one of Helm's random or time functions
(` + "`randAlphaNum`" + `, ` + "`randAlpha`" + `, ` + "`randNumeric`" + `, ` + "`randAscii`" + `, ` + "`uuidv4`" + `, ` + "`genCA`" + `,
` + "`genSelfSignedCert`" + `, ` + "`genSignedCert`" + `, ` + "`genPrivateKey`" + `, ` + "`htpasswd`" + `, ` + "`now`" + `), often
behind a ` + "`lookup`" + ` meant to keep the previous value.

**Why it matters under ArgoCD.** ArgoCD renders with ` + "`helm template`" + `, where
` + "`lookup`" + ` returns nothing, so the "keep the existing secret" branch never runs.
The repo-server caches manifests per commit; every new commit to the repo,
hard refresh or cache expiry renders new values, the app turns OutOfSync,
and each sync (automatically, with automated sync) rotates the password or
certificate under running workloads.

**How syncdoctor knows.** It renders every Helm target a second time with
the same values (the analysis render, in process), with sprig's clock
functions (` + "`now`" + `, ` + "`ago`" + `, ` + "`date`" + ` and ` + "`htmlDate`" + ` of a non-time,
` + "`durationRound`" + ` of a time) seeing a clock 400 days 7 h 13 min 17 s ahead,
so a date that changes once a day is caught too, and lists the fields that
differ. Each field is attributed to the random or time function called on
the template line that sets its key, or to the only such function the
template (and the named templates it includes) calls; otherwise the
candidates are listed. Values of Secrets are never shown. A chart from a
Helm repository that cannot be pulled (` + "`--offline`" + `) is judged from
diffsem's catalog of well-known charts instead (aws-load-balancer-controller's
webhook ` + "`genCA`" + `, metrics-server's ` + "`tls.type: helm`" + `), with the values the
Application sets.

**Fix.** Pass the value in (an ` + "`existingSecret`" + ` or a value from a secret
manager), let cert-manager issue certificates, or ignore the fields and keep
them on sync: an ` + "`ignoreDifferences`" + ` entry (validated by replaying the two
renders through ArgoCD's diff), which keeps the app Synced, plus the
` + "`RespectIgnoreDifferences=true`" + ` sync option, added to the app's
` + "`syncPolicy.syncOptions`" + `. Without the option a sync still applies the
newly rendered value; with it ArgoCD copies the live value of every field an
` + "`ignoreDifferences`" + ` entry matches into what it applies (argo-cd
controller/sync.go, normalizeTargetResources; ` + "`status`" + ` excepted), so the
generated value stays as first created. An object that does not exist yet is
still created with the rendered value.`,
	Run: runRenderNondeterministic,
}

func init() { register(renderNondeterministic) }

func runRenderNondeterministic(ctx context.Context, in *Input) []finding.Finding {
	// Unrendered remote charts are judged from the catalog of well-known
	// charts (remote_chart_catalog.go); no second render is needed.
	out := remoteChartFindings(in, diffsem.RenderedEachTime)
	respectRemote(in, out)
	if in.Renderer == nil {
		return out
	}
	for _, r := range in.Targets {
		if ctx.Err() != nil {
			return out
		}
		if r.Chart == nil || r.Err != nil || len(r.Objects) == 0 || !usesRandom(in, r.Chart) {
			continue
		}
		again, shifted, err := renderedAgain(ctx, in, r)
		if err != nil {
			continue
		}
		out = append(out, nondeterministicFindings(ctx, in, r, again, shifted)...)
	}
	return out
}

// funcsRenderer is the analysis render of internal/render
// (Renderer.RenderSourcesFuncs): only the named templates, with some
// template functions replaced.
type funcsRenderer interface {
	RenderSourcesFuncs(ctx context.Context, t *target.Target, vals map[string]any, sources map[string]bool, funcs map[string]any) ([]*manifest.Object, error)
}

// renderAgain renders r's templates a second time with the same values
// and sprig's clock functions seeing a clock clockShift ahead, so that
// uses of the clock at any granularity differ, not only those that show
// sub-second time; the random functions draw new values by themselves.
// A Renderer without the analysis render renders plainly (the real
// clock: only fast-changing uses of it differ); shifted says which.
func renderAgain(ctx context.Context, in *Input, r *Rendered) (objs []*manifest.Object, shifted bool, err error) {
	fr, ok := in.Renderer.(funcsRenderer)
	if !ok {
		objs, err = in.Renderer.RenderValues(ctx, r.Target, r.Values)
		return objs, false, err
	}
	sources := map[string]bool{}
	for _, o := range r.Objects {
		if o.Source != "" {
			sources[o.Source] = true
		}
	}
	objs, err = fr.RenderSourcesFuncs(ctx, r.Target, r.Values, sources, shiftedClockFuncs(clockShift))
	return objs, true, err
}

// renderedAgain is renderAgain once per Target and run: ignore-rule-broad
// asks for the same second render (unstableFields).
func renderedAgain(ctx context.Context, in *Input, r *Rendered) ([]*manifest.Object, bool, error) {
	type again struct {
		objs    []*manifest.Object
		shifted bool
		err     error
	}
	a := in.Memo("render-again:"+r.Target.ID(), func() any {
		objs, shifted, err := renderAgain(ctx, in, r)
		return again{objs, shifted, err}
	}).(again)
	return a.objs, a.shifted, a.err
}

// unstableFields returns whether a field (JSON pointer) of an object of r
// differs between two renders (random or clock functions): not a value
// fixed in git, so a rule hiding it is what the field needs.
func unstableFields(ctx context.Context, in *Input, r *Rendered) func(o *manifest.Object, path string) bool {
	none := func(*manifest.Object, string) bool { return false }
	if in.Renderer == nil || r.Chart == nil || r.Err != nil || !usesRandom(in, r.Chart) {
		return none
	}
	again, _, err := renderedAgain(ctx, in, r)
	if err != nil {
		return none
	}
	second := indexObjs(again)
	return func(o *manifest.Object, path string) bool {
		b := second[o.Ref.String()]
		if b == nil {
			return false
		}
		for _, p := range changedPaths("", o.Content, b.Content) {
			if p == path || strings.HasPrefix(path, p+"/") || strings.HasPrefix(p, path+"/") {
				return true
			}
		}
		return false
	}
}

// usesRandom is chartUsesRandom once per loaded chart: every
// environment of an app shares the chart.
func usesRandom(in *Input, c *chart.Chart) bool {
	return in.Memo(fmt.Sprintf("uses-random:%p", c), func() any { return chartUsesRandom(c) }).(bool)
}

func chartUsesRandom(c *chart.Chart) bool {
	for _, t := range c.Templates {
		if namesRandomFunc(string(t.Data)) {
			return true
		}
	}
	for _, d := range c.Dependencies() {
		if chartUsesRandom(d) {
			return true
		}
	}
	return false
}

// changedPaths lists RFC 6901 pointers where a and b differ, descending
// into maps and equal-length lists.
func changedPaths(at string, a, b any) []string {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		var out []string
		for _, k := range sortedKeys(keys) {
			out = append(out, changedPaths(at+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(k), am[k], bm[k])...)
		}
		return out
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok && len(al) == len(bl) {
		var out []string
		for i := range al {
			out = append(out, changedPaths(at+"/"+strconv.Itoa(i), al[i], bl[i])...)
		}
		return out
	}
	if reflect.DeepEqual(a, b) {
		return nil
	}
	return []string{at}
}

// respectOnSync for the catalog's findings (remote_chart_catalog.go):
// their ignore fixes get the sync option too, and the title that says so.
func respectRemote(in *Input, fs []finding.Finding) {
	for i := range fs {
		f := &fs[i]
		for _, r := range in.Targets {
			app := r.Target.App
			if app.Name() != f.App || app.Declared.File != f.Location.File {
				continue
			}
			f.Fixes = respectOnSync(app, f.Fixes)
			break
		}
	}
}
