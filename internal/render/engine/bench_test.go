package engine

import (
	"path/filepath"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	helmengine "helm.sh/helm/v3/pkg/engine"

	"github.com/syncdoctor/syncdoctor/internal/testutil/gomod"
)

// The engine benchmarks render cert-manager's chart (about 50 templates),
// values prepared once: Helm's engine.Render parses every template on
// every call, Parsed.Render executes the templates parsed once, and
// BenchmarkParsedRenderOne executes a single template (the controller
// Deployment), as perturbation analyses do.

func benchChart(b *testing.B) (*Parsed, func() chartutil.Values, *chart.Chart) {
	b.Helper()
	dir := filepath.Join(gomod.Download(b, "github.com/cert-manager/cert-manager@v1.21.2"), "deploy/charts/cert-manager")
	c, err := loader.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	if err := chartutil.ProcessDependenciesWithMerge(c, map[string]any{}); err != nil {
		b.Fatal(err)
	}
	opts := chartutil.ReleaseOptions{Name: "rel", Namespace: "ns", Revision: 1, IsInstall: true}
	vals := func() chartutil.Values {
		v, err := chartutil.ToRenderValues(c, map[string]any{}, opts, chartutil.DefaultCapabilities)
		if err != nil {
			b.Fatal(err)
		}
		return v
	}
	return Parse(c), vals, c
}

func BenchmarkHelmEngineRender(b *testing.B) {
	_, vals, f := benchChart(b)
	v := vals()
	for b.Loop() {
		if _, err := (helmengine.Engine{}).Render(f, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsedRender(b *testing.B) {
	p, vals, f := benchChart(b)
	v := vals()
	for b.Loop() {
		if _, err := p.Render(f, v, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsedRenderOne(b *testing.B) {
	p, vals, f := benchChart(b)
	v := vals()
	one := func(name string) bool { return name == "cert-manager/templates/deployment.yaml" }
	for b.Loop() {
		out, err := p.Render(f, v, one)
		if err != nil {
			b.Fatal(err)
		}
		if out["cert-manager/templates/deployment.yaml"] == "" {
			b.Fatal("deployment not rendered")
		}
	}
}
