package engine

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/google/go-cmp/cmp"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	helmengine "helm.sh/helm/v3/pkg/engine"

	"github.com/syncdoctor/syncdoctor/internal/testutil/gomod"
)

// renderValues are the values `helm template` gives the engine, built
// fresh for every render: templates may write into them.
func renderValues(t *testing.T, c *chart.Chart, user map[string]any) chartutil.Values {
	t.Helper()
	caps := chartutil.DefaultCapabilities.Copy()
	kv, err := chartutil.ParseKubeVersion("1.34.0")
	if err != nil {
		t.Fatal(err)
	}
	caps.KubeVersion = *kv
	opts := chartutil.ReleaseOptions{Name: "rel", Namespace: "ns", Revision: 1, IsInstall: true}
	vals, err := chartutil.ToRenderValues(c, user, opts, caps)
	if err != nil {
		t.Fatal(err)
	}
	return vals
}

// compare renders c with Helm's engine and with Parse+Render, requiring
// the same output and the same error; then renders each template alone
// and requires its output unchanged.
func compare(t *testing.T, c *chart.Chart, user map[string]any) {
	t.Helper()
	if err := chartutil.ProcessDependenciesWithMerge(c, user); err != nil {
		t.Fatal(err)
	}
	want, wantErr := helmengine.Engine{}.Render(c, renderValues(t, c, user))
	p := Parse(c)
	got, gotErr := p.Render(c, renderValues(t, c, user), nil)
	if errText(gotErr) != errText(wantErr) {
		t.Fatalf("error differs:\nhelm: %s\nours: %s", errText(wantErr), errText(gotErr))
	}
	// Templates whose output differs between two runs of Helm itself
	// (randAlphaNum, genCA, now) cannot be compared.
	again, _ := helmengine.Engine{}.Render(c, renderValues(t, c, user))
	for name := range want {
		if again[name] != want[name] {
			t.Logf("%s differs between two helm renders; not compared", name)
			delete(want, name)
			delete(got, name)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("output differs from helm's engine (-helm +ours):\n%s", diff)
	}
	// Renders replacing the functions checks replace bind trampolines in
	// the pooled executors; with Helm's own functions as replacements, and
	// in the plain renders that reuse those executors, the output stays
	// Helm's.
	same := template.FuncMap{}
	for _, name := range []string{"sha1sum", "sha256sum", "sha512sum", "adler32sum", "now", "date", "dateInZone", "date_in_zone", "htmlDate", "htmlDateInZone", "ago", "durationRound"} {
		same[name] = p.funcs[name]
	}
	if p.err == nil && !p.replaceable(same) {
		t.Fatal("Helm's own functions are not replaceable")
	}
	for i, funcs := range []template.FuncMap{same, nil} {
		again, err := p.RenderFuncs(c, renderValues(t, c, user), nil, funcs)
		if errText(err) != errText(wantErr) {
			t.Fatalf("render %d after replaced functions: error %s, helm's %s", i, errText(err), errText(wantErr))
		}
		for name := range again {
			if _, compared := want[name]; !compared {
				delete(again, name)
			}
		}
		if diff := cmp.Diff(want, again); diff != "" {
			t.Fatalf("render %d after replaced functions differs from helm's engine (-helm +ours):\n%s", i, diff)
		}
	}
	if wantErr != nil {
		return
	}
	for name := range want {
		alone, err := p.Render(c, renderValues(t, c, user), func(n string) bool { return n == name })
		if err != nil {
			t.Fatalf("%s alone: %v", name, err)
		}
		if alone[name] != want[name] {
			t.Errorf("%s rendered alone differs (-full +alone):\n%s", name, cmp.Diff(want[name], alone[name]))
		}
		for other := range alone {
			if other != name && !p.impure[other] {
				t.Errorf("%s rendered alone also executed pure %s", name, other)
			}
		}
	}
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func load(t *testing.T, dir string) *chart.Chart {
	t.Helper()
	c, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMatchesHelmOnEveryFunction(t *testing.T) {
	c := load(t, "testdata/all")
	compare(t, c, map[string]any{})
	// compare accepts equal errors; this chart must render.
	c = load(t, "testdata/all")
	if err := chartutil.ProcessDependenciesWithMerge(c, map[string]any{}); err != nil {
		t.Fatal(err)
	}
	out, err := Parse(c).Render(c, renderValues(t, c, map[string]any{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 4 {
		t.Errorf("rendered %d templates, want 4: %v", len(out), slices.Collect(maps.Keys(out)))
	}
}

func TestImpureTemplates(t *testing.T) {
	tests := []struct {
		name      string
		templates map[string]string
		want      []string
	}{
		{
			name: "set on values, directly and through includes",
			templates: map[string]string{
				"_h.tpl":   `{{ define "w" }}{{ $_ := set .Values "k" 1 }}{{ end }}{{ define "r" }}{{ .Values.k }}{{ end }}{{ define "ww" }}{{ include "w" . }}{{ end }}`,
				"a.yaml":   `{{ include "r" . }}`,
				"b.yaml":   `{{ include "ww" . }}`,
				"c.yaml":   `{{ template "w" . }}`,
				"d.yaml":   `{{ $_ := mergeOverwrite .Values (dict "x" 1) }}`,
				"e.yaml":   `{{ .Values.k | toYaml }}`,
				"f.yaml":   `{{ include (printf "%s" "r") . }}`,
				"g.yaml":   `{{ tpl "x" . }}`,
				"h.yaml":   `{{ if true }}{{ range .Values.list }}{{ with . }}{{ unset $.Values "k" }}{{ end }}{{ end }}{{ end }}`,
				"note.txt": `{{ include "r" . }}`,
			},
			want: []string{"b.yaml", "c.yaml", "d.yaml", "f.yaml", "g.yaml", "h.yaml"},
		},
		{
			name: "recursive includes end",
			templates: map[string]string{
				"a.yaml": `{{ include "self" . }}{{ define "self" }}{{ if false }}{{ include "self" . }}{{ end }}{{ end }}`,
			},
		},
		{
			name: "a template reading Subcharts makes all impure",
			templates: map[string]string{
				"a.yaml": `{{ .Subcharts }}`,
				"b.yaml": `x`,
			},
			want: []string{"a.yaml", "b.yaml"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &chart.Chart{Metadata: &chart.Metadata{Name: "p", Version: "1.0.0", APIVersion: "v2"}}
			for name, text := range tc.templates {
				c.Templates = append(c.Templates, &chart.File{Name: "templates/" + name, Data: []byte(text)})
			}
			p := Parse(c)
			if p.err != nil {
				t.Fatal(p.err)
			}
			var got []string
			for name := range p.impure {
				if !strings.HasPrefix(path.Base(name), "_") {
					got = append(got, strings.TrimPrefix(name, "p/templates/"))
				}
			}
			slices.Sort(got)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("impure templates (-want +got):\n%s", diff)
			}
			compare(t, c, map[string]any{"list": []any{1}})
		})
	}
}

func TestMatchesHelmOnErrors(t *testing.T) {
	tests := []struct {
		name      string
		templates map[string]string
		wantErr   string
	}{
		{name: "required", templates: map[string]string{"a.yaml": `{{ required "x is required" .Values.x }}`}, wantErr: "x is required"},
		{name: "required empty string", templates: map[string]string{"a.yaml": `{{ required "y please" "" }}`}, wantErr: "y please"},
		{name: "fail", templates: map[string]string{"a.yaml": `{{ fail "stop here" }}`}, wantErr: "stop here"},
		{name: "parse error", templates: map[string]string{"a.yaml": "ok", "b.yaml": "{{ if }}"}, wantErr: "parse error"},
		{name: "unknown function", templates: map[string]string{"a.yaml": "{{ nope }}"}, wantErr: "nope"},
		{name: "exec error", templates: map[string]string{"a.yaml": `{{ .Values.s.x }}`}, wantErr: "can't evaluate"},
		{name: "include recursion", templates: map[string]string{"_h.tpl": `{{ define "r" }}{{ include "r" . }}{{ end }}`, "a.yaml": `{{ include "r" . }}`}, wantErr: "nested reference"},
		{name: "include missing", templates: map[string]string{"a.yaml": `{{ include "missing" . }}`}, wantErr: "no template"},
		{name: "tpl parse error", templates: map[string]string{"a.yaml": `{{ tpl "{{ if }}" . }}`}, wantErr: "cannot parse template"},
		{name: "tpl exec error", templates: map[string]string{"a.yaml": `{{ tpl "{{ fail \"inner\" }}" . }}`}, wantErr: "inner"},
		{name: "divide by zero", templates: map[string]string{"a.yaml": `{{ div 1 0 }}`}, wantErr: "divide by zero"},
		{name: "env removed", templates: map[string]string{"a.yaml": `{{ env "HOME" }}`}, wantErr: "env"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &chart.Chart{Metadata: &chart.Metadata{Name: "e", Version: "1.0.0", APIVersion: "v2"}, Values: map[string]any{"s": "str"}}
			for name, text := range tc.templates {
				c.Templates = append(c.Templates, &chart.File{Name: "templates/" + name, Data: []byte(text)})
			}
			compare(t, c, map[string]any{})
			_, err := Parse(c).Render(c, renderValues(t, c, map[string]any{}), nil)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

// TestMatchesHelmOnRealCharts compares with Helm's engine on charts the
// field uses, from their Go modules, with values that switch most of
// their templates on.
func TestMatchesHelmOnRealCharts(t *testing.T) {
	tests := []struct {
		name, module, dir string
		values            map[string]any
	}{
		{"metrics-server", "sigs.k8s.io/metrics-server@v0.8.0", "charts/metrics-server",
			map[string]any{"podDisruptionBudget": map[string]any{"enabled": true, "minAvailable": 1}, "serviceMonitor": map[string]any{"enabled": true}}},
		{"external-secrets", "github.com/external-secrets/external-secrets@v0.16.2", "deploy/charts/external-secrets",
			map[string]any{"installCRDs": true, "serviceMonitor": map[string]any{"enabled": true}, "bitwarden-sdk-server": map[string]any{"enabled": false}}},
		{"cert-manager", "github.com/cert-manager/cert-manager@v1.21.2", "deploy/charts/cert-manager",
			map[string]any{"crds": map[string]any{"enabled": true}, "prometheus": map[string]any{"servicemonitor": map[string]any{"enabled": true}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(gomod.Download(t, tc.module), filepath.FromSlash(tc.dir))
			c := load(t, dir)
			compare(t, c, tc.values)
		})
	}
}

// TestMatchesHelmOnFixtures compares with Helm's engine on every chart
// of the repository's fixtures and examples, with file:// dependencies
// loaded as syncdoctor loads them, under the chart's defaults and under
// each value file of the fixture.
func TestMatchesHelmOnFixtures(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	var charts []string
	for _, top := range []string{"testdata/repos", "examples"} {
		_ = filepath.WalkDir(filepath.Join(root, top), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Name() == "Chart.yaml" {
				charts = append(charts, filepath.Dir(p))
			}
			return nil
		})
	}
	if len(charts) < 20 {
		t.Fatalf("found only %d fixture charts", len(charts))
	}
	compared := 0
	for _, dir := range charts {
		c, err := loader.Load(dir)
		if err != nil || c.Metadata.Type == "library" {
			continue // broken on purpose, or not installable
		}
		if !loadFileDeps(t, c, dir) {
			continue
		}
		rel, _ := filepath.Rel(root, dir)
		for _, vf := range valueFiles(t, dir) {
			t.Run(filepath.ToSlash(rel)+"/"+filepath.Base(vf), func(t *testing.T) {
				c, _ := loader.Load(dir)
				loadFileDeps(t, c, dir)
				user := map[string]any{}
				if vf != "" {
					data, err := os.ReadFile(vf)
					if err != nil {
						t.Fatal(err)
					}
					if user, err = chartutil.ReadValues(data); err != nil {
						t.Skipf("%s is not a values file", vf)
					}
				}
				compare(t, c, user)
				compared++
			})
		}
	}
	t.Logf("%d chart × values renders identical to helm's engine", compared)
}

// loadFileDeps adds the file:// dependencies Chart.yaml names and the
// chart does not vendor; false when one cannot be loaded.
func loadFileDeps(t *testing.T, c *chart.Chart, dir string) bool {
	t.Helper()
	have := map[string]bool{}
	for _, d := range c.Dependencies() {
		have[d.Name()] = true
	}
	for _, d := range c.Metadata.Dependencies {
		if have[d.Name] || !strings.HasPrefix(d.Repository, "file://") {
			continue
		}
		sub, err := loader.Load(filepath.Join(dir, strings.TrimPrefix(d.Repository, "file://")))
		if err != nil {
			return false
		}
		c.AddDependency(sub)
	}
	return true
}

// valueFiles are "" (the chart's defaults) and the YAML files beside the
// chart and in the fixture's environments/ or values/ directories.
func valueFiles(t *testing.T, chartDir string) []string {
	t.Helper()
	out := []string{""}
	globs := []string{filepath.Join(chartDir, "values-*.yaml")}
	for dir := filepath.Dir(chartDir); dir != "." && dir != "/" && len(globs) < 12; dir = filepath.Dir(dir) {
		globs = append(globs, filepath.Join(dir, "environments", "*.yaml"), filepath.Join(dir, "values", "*", "*.yaml"), filepath.Join(dir, "values", "*.yaml"))
		if _, err := os.Stat(filepath.Join(dir, ".syncdoctor.yaml")); err == nil {
			break
		}
	}
	for _, g := range globs {
		m, _ := filepath.Glob(g)
		out = append(out, m...)
	}
	return out
}

// TestConcurrentRenders renders one Parsed from many goroutines, with
// failing renders in between, and requires every result equal to a
// sequential render.
func TestConcurrentRenders(t *testing.T) {
	c := load(t, "testdata/all")
	if err := chartutil.ProcessDependenciesWithMerge(c, map[string]any{}); err != nil {
		t.Fatal(err)
	}
	p := Parse(c)
	want, err := p.Render(c, renderValues(t, c, map[string]any{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	vals := make([]chartutil.Values, n)
	for i := range vals {
		user := map[string]any{}
		if i%4 == 0 { // no such template: an error mid-render
			user = map[string]any{"tplDefines": `{{ include "local" . }}`}
		}
		vals[i] = renderValues(t, c, user)
	}
	errs := make(chan error, n)
	for i := range n {
		go func() {
			got, err := p.Render(c, vals[i], nil)
			switch {
			case i%4 == 0 && err == nil:
				errs <- fmt.Errorf("render %d: no error", i)
			case i%4 != 0 && err != nil:
				errs <- fmt.Errorf("render %d: %w", i, err)
			case i%4 != 0 && !maps.Equal(got, want):
				errs <- fmt.Errorf("render %d differs from the sequential render", i)
			default:
				errs <- nil
			}
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestRenderFuncs(t *testing.T) {
	c := &chart.Chart{Metadata: &chart.Metadata{Name: "f", Version: "1.0.0", APIVersion: "v2"}, Values: map[string]any{"v": "abc"}}
	c.Templates = []*chart.File{{Name: "templates/a.yaml", Data: []byte(`{{ .Values.v | sha256sum }} {{ tpl "{{ .Values.v | sha256sum }}" . }}`)}}
	p := Parse(c)
	got, err := p.RenderFuncs(c, renderValues(t, c, map[string]any{}), nil, template.FuncMap{"sha256sum": func(s string) string { return "H(" + s + ")" }})
	if err != nil {
		t.Fatal(err)
	}
	if want := "H(abc) H(abc)"; got["f/templates/a.yaml"] != want {
		t.Errorf("with sha256sum replaced: %q, want %q", got["f/templates/a.yaml"], want)
	}
	// The pooled executors keep Helm's function.
	plain, err := p.Render(c, renderValues(t, c, map[string]any{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain["f/templates/a.yaml"], "H(") {
		t.Errorf("replaced function leaked into a plain render: %q", plain["f/templates/a.yaml"])
	}
}

// TestRenderFuncsPooled renders with replacement maps of the same names
// one after another and at once: each render sees its own replacement
// (the pooled executors' trampolines), variadic replacements work, a
// replacement of another type falls back to a clone, and plain renders
// keep Helm's functions.
func TestRenderFuncsPooled(t *testing.T) {
	c := &chart.Chart{Metadata: &chart.Metadata{Name: "f", Version: "1.0.0", APIVersion: "v2"}, Values: map[string]any{"v": "abc"}}
	c.Templates = []*chart.File{{Name: "templates/a.yaml", Data: []byte(`{{ .Values.v | sha256sum }} {{ tpl "{{ .Values.v | sha1sum }}" . }} {{ list 1 2 | len }}`)}}
	p := Parse(c)
	vals := renderValues(t, c, map[string]any{})
	with := func(tag string) template.FuncMap {
		return template.FuncMap{
			"sha256sum": func(s string) string { return tag + "(" + s + ")" },
			"sha1sum":   func(s string) string { return tag + "1(" + s + ")" },
			"list":      func(v ...any) []any { return append(v, tag) },
		}
	}
	const n = 24
	errs := make(chan error, n)
	for i := range n {
		go func() {
			tag := fmt.Sprintf("T%d", i)
			got, err := p.RenderFuncs(c, vals, nil, with(tag))
			want := fmt.Sprintf("%s(abc) %s1(abc) 3", tag, tag)
			switch {
			case err != nil:
				errs <- err
			case got["f/templates/a.yaml"] != want:
				errs <- fmt.Errorf("render %d: %q, want %q", i, got["f/templates/a.yaml"], want)
			default:
				errs <- nil
			}
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	pooled := false
	for range 4 {
		x, _ := p.executor()
		pooled = pooled || len(x.tramps) > 0
		p.pool.put(x)
	}
	if !pooled {
		t.Error("executors of renders with replaced functions were not pooled")
	}
	other, err := p.RenderFuncs(c, vals, nil, template.FuncMap{"sha256sum": func(s any) string { return "any" }})
	if err != nil || !strings.HasPrefix(other["f/templates/a.yaml"], "any ") {
		t.Errorf("replacement of another type: %q, %v", other["f/templates/a.yaml"], err)
	}
	plain, err := p.Render(c, vals, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := p.Render(c, vals, nil); plain["f/templates/a.yaml"] != want["f/templates/a.yaml"] || strings.Contains(plain["f/templates/a.yaml"], "T") {
		t.Errorf("replaced function leaked into a plain render: %q", plain["f/templates/a.yaml"])
	}
}
