// Helm charts whose output differs between two renders of the same values.
package check

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
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
the same values (the perturbation renderer, in process) and lists the fields
that differ. Values of Secrets are never shown. A chart from a Helm repository that
cannot be pulled (` + "`--offline`" + `) is judged from diffsem's catalog of
well-known charts instead (aws-load-balancer-controller's webhook ` + "`genCA`" + `,
metrics-server's ` + "`tls.type: helm`" + `), with the values the Application sets.

**Fix.** Pass the value in (an ` + "`existingSecret`" + ` or a value from a secret
manager), let cert-manager issue certificates, or ignore the fields and
keep them on sync: an ` + "`ignoreDifferences`" + ` entry (validated by replaying the two
renders through ArgoCD's diff) plus the ` + "`RespectIgnoreDifferences=true`" + ` sync
option.`,
	Run: runRenderNondeterministic,
}

func init() { register(renderNondeterministic) }

// randomFuncs are the Sprig and Helm template functions whose result
// changes between calls (sprig crypto.go, numeric.go, date.go, strings.go).
var randomFuncs = regexp.MustCompile(`\b(randAlphaNum|randAlpha|randNumeric|randAscii|randBytes|randInt|uuidv4|genCA|genCAWithKey|genSelfSignedCert|genSelfSignedCertWithKey|genSignedCert|genSignedCertWithKey|genPrivateKey|htpasswd|bcrypt|now|shuffle)\b`)

func runRenderNondeterministic(ctx context.Context, in *Input) []finding.Finding {
	// Unrendered remote charts are judged from the catalog of well-known
	// charts (remote_chart_catalog.go); no second render is needed.
	out := remoteChartFindings(in, diffsem.RenderedEachTime)
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
		again, err := in.Renderer.RenderValues(ctx, r.Target, r.Values)
		if err != nil {
			continue
		}
		out = append(out, nondeterministicFindings(in, r, again)...)
	}
	return out
}

// usesRandom is chartUsesRandom once per loaded chart: every
// environment of an app shares the chart.
func usesRandom(in *Input, c *chart.Chart) bool {
	return in.Memo(fmt.Sprintf("uses-random:%p", c), func() any { return chartUsesRandom(c) }).(bool)
}

func chartUsesRandom(c *chart.Chart) bool {
	for _, t := range c.Templates {
		if randomFuncs.Match(t.Data) {
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

func nondeterministicFindings(in *Input, r *Rendered, again []*manifest.Object) []finding.Finding {
	app := r.Target.App
	opts := appDiffOptions(in, app)
	second := map[string]*manifest.Object{}
	for _, o := range again {
		second[o.Ref.String()] = o
	}
	var out []finding.Finding
	for _, a := range r.Objects {
		b, ok := second[a.Ref.String()]
		if !ok || a.IsHook() {
			continue
		}
		paths := changedPaths("", a.Content, b.Content)
		if len(paths) == 0 {
			continue
		}
		// Already hidden by the app's rules: not a loop.
		if res := diffsem.Compare(b.Content, a.Content, app.App.Spec.IgnoreDifferences, opts); res.Err == nil && !res.Modified {
			continue
		}
		loc, fn := randomCallSite(r.Chart, r.Target.Dir, a)
		if loc.File == "" {
			loc = finding.Location{File: a.File}
		}
		ev := []finding.Evidence{{Label: "why", Value: "two renders of the same chart and values differ in " + strings.Join(paths, ", ") + " (values not shown)"}}
		if fn != "" {
			ev = append(ev, finding.Evidence{Label: "random function", Value: fn, At: loc})
		}
		ev = append(ev, finding.Evidence{Label: "application", Value: "Application " + app.Name() + " renders this chart on every new commit, hard refresh or cache expiry", At: app.Declared})
		f := finding.Finding{
			App: app.Name(), Env: r.Target.Env, Object: a.Ref, Location: loc,
			Message:  fmt.Sprintf("%s %s renders differently every time (%s), so ArgoCD sees it OutOfSync after each new render", a.Ref.Kind, a.Ref.Name, strings.Join(paths, ", ")),
			Evidence: ev,
			Impact:   "each sync rotates the generated value (password, certificate, token) under running workloads; with automated sync it happens on every commit to the repository",
		}
		if rule, ok := diffsem.MinimalRule(b.Content, a.Content, app.App.Spec.IgnoreDifferences, opts); ok && ruleCount(rule) > 0 {
			f.Fixes = ignoreFixes(app, []v1alpha1.ResourceIgnoreDifferences{rule}, "Ignore the regenerated fields (validated: the two renders compare in sync; add RespectIgnoreDifferences=true so syncs keep the live value)")
		}
		out = append(out, f)
	}
	return out
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

// randomCallSite finds the first line calling a random function in the
// template that produced obj, else in any template of the chart (a
// helper), with the function's name. chartDir is the chart's checkout path.
func randomCallSite(c *chart.Chart, chartDir string, obj *manifest.Object) (finding.Location, string) {
	type tpl struct {
		path string
		data []byte
	}
	var own, rest []tpl
	var walk func(c *chart.Chart, prefix string)
	walk = func(c *chart.Chart, prefix string) {
		for _, t := range c.Templates {
			x := tpl{prefix + t.Name, t.Data}
			if x.path == obj.File {
				own = append(own, x)
			} else {
				rest = append(rest, x)
			}
		}
		for _, d := range c.Dependencies() {
			walk(d, prefix+"charts/"+d.Name()+"/")
		}
	}
	walk(c, strings.TrimSuffix(chartDir, "/")+"/")
	for _, t := range append(own, rest...) {
		for n, line := range strings.Split(string(t.data), "\n") {
			if m := randomFuncs.FindString(line); m != "" {
				return finding.Location{File: t.path, Line: n + 1}, m
			}
		}
	}
	return finding.Location{}, ""
}
