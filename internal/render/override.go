package render

import (
	"context"
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// RenderWithTemplates re-renders a Helm target like RenderValues, with the
// text of some templates replaced: overrides maps a template's
// checkout-relative file ("charts/db-init/templates/job.yaml") to its new
// text. Checks use it to prove a template fix before proposing it. The
// loaded chart is not modified; an override naming no template of the
// chart is an error.
func (r *Renderer) RenderWithTemplates(ctx context.Context, t *target.Target, vals map[string]any, overrides map[string]string) ([]*manifest.Object, error) {
	var objs []*manifest.Object
	err := r.withOverrides(ctx, t, overrides, func(ce *chartEntry) error {
		var err error
		objs, err = r.renderHelm(ce, t, values.DeepCopy(vals), nil, nil)
		return err
	})
	return objs, err
}

// RenderTemplateOutput renders a Helm target with vals and overrides (as
// RenderWithTemplates) and returns the engine's raw text of each
// overridden template, by the same checkout-relative file keys, before any
// YAML parsing: comments and whitespace survive, so a probe template can
// mark which branches executed.
func (r *Renderer) RenderTemplateOutput(ctx context.Context, t *target.Target, vals map[string]any, overrides map[string]string) (map[string]string, error) {
	out := map[string]string{}
	err := r.withOverrides(ctx, t, overrides, func(ce *chartEntry) error {
		files, err := r.engineOutput(ce, t, values.DeepCopy(vals))
		if err != nil {
			return err
		}
		for name, file := range sourceFiles(ce, ce.chart) {
			if _, ok := overrides[file]; ok {
				out[file] = files[name]
			}
		}
		return nil
	})
	return out, err
}

// withOverrides runs fn, bounded, on a chart entry whose templates carry
// the overrides.
func (r *Renderer) withOverrides(ctx context.Context, t *target.Target, overrides map[string]string, fn func(*chartEntry) error) error {
	if t.Kind != target.SourceHelm && t.Kind != target.SourceRemoteHelm {
		return &Error{Loc: finding.Location{File: t.Dir}, Err: fmt.Errorf("template overrides need a Helm target, got %q", t.Kind)}
	}
	return r.bounded(ctx, t, func(ctx context.Context) error {
		ce, err := r.chartFor(ctx, t)
		if err != nil {
			return err
		}
		over, err := r.overridden(t, ce, overrides)
		if err != nil {
			return err
		}
		return fn(over)
	})
}

// maxOverridden bounds the chart entries with overridden templates the
// Renderer keeps; past it they are all dropped.
const maxOverridden = 64

// overridden returns the chart entry of ce with the overrides applied,
// made once per chart and override set: a check validating a template fix
// renders the same edited chart many times, and the entry keeps its
// parsed templates.
func (r *Renderer) overridden(t *target.Target, ce *chartEntry, overrides map[string]string) (*chartEntry, error) {
	h := sha256.New()
	h.Write([]byte(chartKey(t)))
	for _, file := range slices.Sorted(maps.Keys(overrides)) {
		fmt.Fprintf(h, "\x00%s\x00%d\x00%s", file, len(overrides[file]), overrides[file])
	}
	key := string(h.Sum(nil))
	r.mu.Lock()
	defer r.mu.Unlock()
	if over, ok := r.overrides[key]; ok {
		return over, nil
	}
	over := &chartEntry{dir: ce.dir, files: maps.Clone(ce.files)}
	used := map[string]bool{}
	over.chart = overrideTemplates(ce.chart, ce.files, over.files, overrides, used)
	for file := range overrides {
		if !used[file] {
			return nil, &Error{Loc: finding.Location{File: file}, Err: fmt.Errorf("no template %s in chart %s", file, ce.dir)}
		}
	}
	if len(r.overrides) >= maxOverridden {
		clear(r.overrides)
	}
	r.overrides[key] = over
	return over, nil
}

// overrideTemplates copies the chart tree, replacing the overridden
// template files with new ones and recording their checkout paths in
// files. Untouched templates and everything else stay shared; renderHelm
// copies what Helm writes to.
func overrideTemplates(c *chart.Chart, orig, files map[*chart.File]string, overrides map[string]string, used map[string]bool) *chart.Chart {
	out := *c
	out.Templates = make([]*chart.File, len(c.Templates))
	for i, f := range c.Templates {
		out.Templates[i] = f
		if text, ok := overrides[orig[f]]; ok && f != nil {
			nf := &chart.File{Name: f.Name, Data: []byte(text)}
			files[nf] = orig[f]
			out.Templates[i] = nf
			used[orig[f]] = true
		}
	}
	subs := make([]*chart.Chart, 0, len(c.Dependencies()))
	for _, d := range c.Dependencies() {
		subs = append(subs, overrideTemplates(d, orig, files, overrides, used))
	}
	out.SetDependencies(subs...)
	return &out
}

// engineOutput is the first half of renderHelm: the engine's output per
// template, without manifest sorting or parsing.
func (r *Renderer) engineOutput(ce *chartEntry, t *target.Target, vals map[string]any) (map[string]string, error) {
	c, err := ce.processedChart(vals)
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: ce.dir}, Err: fmt.Errorf("processing dependencies of %s: %w", ce.chart.Name(), err)}
	}
	caps, err := r.capabilities(t)
	if err != nil {
		return nil, &Error{Loc: appField(t, "helm.kubeVersion"), Err: err}
	}
	opts := chartutil.ReleaseOptions{Name: t.ReleaseName, Namespace: t.Namespace, Revision: 1, IsInstall: true}
	renderVals, err := chartutil.ToRenderValues(c, vals, opts, caps)
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: ce.dir}, Err: err}
	}
	files, err := ce.parse(c).Render(c, renderVals, nil)
	if err != nil {
		return nil, r.templateError(ce, c, err)
	}
	return files, nil
}
