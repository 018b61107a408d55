package render

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"text/template"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/release"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// renderHelm renders the chart with the given user values the way
// `helm template` does: helm cmd/helm/template.go + cmd/helm/install.go
// runInstall (installable check) run action.Install{DryRun, ClientOnly,
// Replace, IncludeCRDs} (pkg/action/install.go RunWithContext), whose
// render step is pkg/action/action.go renderResources. The steps are done
// here directly so the chart is loaded, processed and parsed once (parsed.go); the
// output order is the CLI's: CRDs, then manifests in install order, then
// hooks. The engine has no cluster client, so `lookup` returns nothing.
// The templates run on render/engine, parsed once per chart; when only is
// not nil, only the templates it accepts (and those whose execution could
// change them) run, and the chart's CRDs are left out; funcs replaces
// template functions (engine.Parsed.RenderFuncs), nil for Helm's own.
func (r *Renderer) renderHelm(ce *chartEntry, t *target.Target, vals map[string]any, only func(source string) bool, funcs template.FuncMap) ([]*manifest.Object, error) {
	chartLoc := finding.Location{File: path.Join(ce.dir, "Chart.yaml")}
	if ce.dir == "" {
		chartLoc = finding.Location{}
	}
	switch ce.chart.Metadata.Type {
	case "", "application":
	default:
		return nil, &Error{Loc: chartLoc, Err: fmt.Errorf("%s charts are not installable", ce.chart.Metadata.Type)}
	}
	c, err := ce.processedChart(vals)
	if err != nil {
		return nil, &Error{Loc: chartLoc, Err: fmt.Errorf("processing dependencies of %s: %w", ce.chart.Name(), err)}
	}
	caps, err := r.capabilities(t)
	if err != nil {
		return nil, &Error{Loc: appField(t, "helm.kubeVersion"), Err: err}
	}
	h := t.Source.Helm
	opts := chartutil.ReleaseOptions{Name: t.ReleaseName, Namespace: t.Namespace, Revision: 1, IsInstall: true}
	skipSchema := h != nil && h.SkipSchemaValidation
	if !skipSchema {
		if err := checkSchemas(ce, c); err != nil {
			return nil, err
		}
	}
	renderVals, err := values.ToRenderValues(c, vals, opts, caps, skipSchema)
	if err != nil {
		return nil, &Error{Loc: chartLoc, Err: err}
	}
	if c.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(c.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return nil, &Error{Loc: chartLoc, Err: fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", c.Metadata.KubeVersion, caps.KubeVersion.String())}
	}
	// Refuse, before the engine starts, templates that would allocate or
	// loop without bound: the engine cannot be stopped (guard.go).
	if err := r.guardRender(ce, c, asMap(renderVals["Values"])); err != nil {
		return nil, err
	}
	if err := r.guardTplStrings(c, asMap(renderVals["Values"]), func(p string) finding.Location {
		return valueLocation(ce, t, p)
	}); err != nil {
		return nil, err
	}
	files, err := ce.parse(c).RenderFuncs(c, renderVals, only, funcs)
	if err != nil {
		return nil, r.templateError(ce, c, err)
	}
	size := 0
	for k, v := range files {
		// NOTES.txt is not a manifest (pkg/action/action.go renderResources).
		if strings.HasSuffix(k, "NOTES.txt") {
			delete(files, k)
			continue
		}
		size += len(v)
	}
	if size > r.opts.MaxOutputBytes {
		return nil, &Error{Loc: chartLoc, Err: fmt.Errorf("rendered output of %s is %d bytes, over the limit of %d", c.Name(), size, r.opts.MaxOutputBytes)}
	}
	var memo *docMemo
	if only != nil {
		memo = &ce.cache.docs
	}
	manifests, hooks, err := sortManifests(files, memo)
	if err != nil {
		return nil, r.templateError(ce, c, err)
	}
	srcFiles := sourceFiles(ce, c)
	b := newObjBuilder(t.Namespace)
	if (h == nil || !h.SkipCrds) && only == nil {
		for _, crd := range c.CRDObjects() {
			if err := b.addDocs(crd.Filename, ce.files[crd.File], string(crd.File.Data)); err != nil {
				return nil, err
			}
		}
	}
	for _, m := range manifests {
		if err := b.addSorted(m, srcFiles[m.path]); err != nil {
			return nil, err
		}
	}
	for _, hk := range hooks {
		if h != nil && h.SkipTests && isTestHook(hk.hook) {
			continue
		}
		if err := b.addSorted(hk, srcFiles[hk.path]); err != nil {
			return nil, err
		}
	}
	return b.objs, nil
}

// capabilities are Helm's client-only capabilities (pkg/action/install.go:
// DefaultCapabilities with the given kube version and the extra API
// versions appended), never with Helm's built-in 1.20 default.
func (r *Renderer) capabilities(t *target.Target) (*chartutil.Capabilities, error) {
	kv, err := chartutil.ParseKubeVersion(r.kubeVersion(t))
	if err != nil {
		return nil, fmt.Errorf("invalid kube version %q: %w", r.kubeVersion(t), err)
	}
	caps := chartutil.DefaultCapabilities.Copy()
	caps.KubeVersion = *kv
	extra := append(append([]string(nil), r.opts.APIVersions...), t.APIVersions...)
	if h := t.Source.Helm; h != nil && len(h.APIVersions) > 0 {
		// ArgoCD's GetAPIVersionsOrDefault: the source's list replaces the cluster's.
		extra = append([]string(nil), h.APIVersions...)
	}
	caps.APIVersions = append(caps.APIVersions, extra...)
	return caps, nil
}

func isTestHook(h *release.Hook) bool {
	for _, e := range h.Events {
		if e == release.HookTest {
			return true
		}
	}
	return false
}

// sourceFiles maps each template's `# Source:` path (the engine's key:
// the chart's full path joined with the template name, helm
// pkg/engine/engine.go recAllTpls) to its checkout file.
func sourceFiles(ce *chartEntry, c *chart.Chart) map[string]string {
	out := map[string]string{}
	var walk func(*chart.Chart)
	walk = func(ch *chart.Chart) {
		base := ch.ChartFullPath()
		for _, f := range ch.Templates {
			out[path.Join(base, f.Name)] = ce.files[f]
		}
		for _, d := range ch.Dependencies() {
			walk(d)
		}
	}
	walk(c)
	return out
}

// sortErrRe finds the template Helm's manifest sorter names when its
// output is not YAML (helm pkg/releaseutil/manifest_sorter.go
// SortManifests: "YAML parse error on %s: %s").
var sortErrRe = regexp.MustCompile(`YAML parse error on ([^\s:]+):`)

// templateError turns a Helm engine error into an Error at the checkout
// file:line:col of the template it names.
func (r *Renderer) templateError(ce *chartEntry, c *chart.Chart, err error) error {
	loc := finding.Location{File: ce.dir}
	if name, line, col, ok := templatePosition(err.Error()); ok {
		if f := sourceFiles(ce, c)[name]; f != "" {
			loc = finding.Location{File: f, Line: line, Column: col}
		}
	} else if m := sortErrRe.FindStringSubmatch(err.Error()); m != nil {
		// Output that is not YAML names its template but no line.
		if f := sourceFiles(ce, c)[m[1]]; f != "" {
			loc = finding.Location{File: f}
		}
	}
	return &Error{Loc: loc, Err: cleanHelmError(err)}
}
