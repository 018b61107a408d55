package values

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/syncdoctor/syncdoctor/internal/render/engine"
)

const libChart = "apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n"

func TestIndexReads(t *testing.T) {
	helpers := `{{- define "lib.env" -}}
- name: LEVEL
  value: {{ .Values.logLevel | quote }}
{{- end -}}
{{- define "lib.db" -}}
host: {{ .host }}
port: {{ $.port }}
{{- end -}}
{{- define "lib.ctx" -}}
{{ .ctx.Values.region }} {{ .val.name }}
{{- end -}}
`
	cases := []struct {
		name   string
		tpl    string
		want   []string // reads: "path" or "path*" for whole
		reads  []string // ReadsPath true
		unread []string // ReadsPath false
	}{
		{name: "plain", tpl: "a: {{ .Values.a.b }}\n", want: []string{"a.b*"}, reads: []string{"a.b", "a"}, unread: []string{"c", "a.c"}},
		{name: "with rebinding", tpl: "{{ with .Values.db }}h: {{ .host }}{{ else }}{{ .Values.other }}{{ end }}", want: []string{"db", "db.host*", "other*"}, unread: []string{"db.port"}},
		{name: "range", tpl: "{{ range .Values.list }}- {{ .name }}\n{{ end }}", want: []string{"list*"}, reads: []string{"list.x"}},
		{name: "range key value and $", tpl: "{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }} {{ $.Values.top }}{{ end }}", want: []string{"m*", "top*"}},
		{name: "include with root", tpl: `{{ include "lib.env" . }}`, want: []string{"logLevel*"}, unread: []string{"host"}},
		{name: "include with sub path", tpl: `{{ include "lib.db" .Values.database }}`, want: []string{"database.host*", "database.port*"}, unread: []string{"database.user"}},
		{name: "include with dict", tpl: `{{ include "lib.ctx" (dict "ctx" $ "val" .Values.svc) }}`, want: []string{"region*", "svc.name*"}},
		{name: "template action", tpl: `{{ template "lib.db" .Values.cache }}`, want: []string{"cache.host*", "cache.port*"}},
		{name: "variables", tpl: "{{ $db := .Values.db }}{{ $x := $db.host }}h: {{ $x }}\n", want: []string{"db.host*"}, unread: []string{"db.port"}},
		{name: "assigned variable", tpl: "{{ $v := .Values.a }}{{ if .Values.b }}{{ $v = .Values.c }}{{ end }}{{ $v.k }}", want: []string{"a.k*", "b", "c.k*"}},
		{name: "toYaml whole subtree", tpl: "{{ toYaml .Values.resources | nindent 2 }}", want: []string{"resources*"}, reads: []string{"resources.limits.cpu"}},
		{name: "tpl literal", tpl: `{{ tpl "{{ .Values.a }}" . }}`, want: []string{"a*"}, unread: []string{"b"}},
		{name: "tpl computed", tpl: `{{ tpl .Values.cfg . }}`, want: []string{"*", "cfg*"}, reads: []string{"anything.at.all"}},
		{name: "tpl computed with sub context", tpl: `{{ tpl .Values.cfg .Values.ctx }}`, want: []string{"cfg*", "ctx*"}, unread: []string{"other"}},
		{name: "index literal", tpl: `{{ index .Values "my-svc" "port" }}`, want: []string{"my-svc.port*"}, unread: []string{"my-svc.host"}},
		{name: "index computed", tpl: `{{ $k := "x" | upper }}{{ index .Values.ports $k }}`, want: []string{"ports*"}},
		{name: "get and hasKey", tpl: `{{ if hasKey .Values.a "b" }}{{ get .Values.a "c" }}{{ end }}`, want: []string{"a.b", "a.c*"}},
		{name: "default passes through", tpl: `{{ default "x" .Values.a | quote }}`, want: []string{"a", "a*"}},
		{name: "unknown function reads whole", tpl: `{{ myFunc .Values.a }}`, want: []string{"a*"}},
		{name: "method on Files", tpl: `{{ .Files.Get .Values.path }}`, want: []string{"path*"}},
		{name: "root to toYaml", tpl: `{{ toYaml . }}`, want: []string{"*"}},
		{name: "declaration only", tpl: `{{ $unused := .Values.a }}`, want: nil, unread: []string{"a"}},
		{name: "eq compare", tpl: `{{ if eq .Values.mode "x" }}y{{ end }}`, want: []string{"mode"}},
		{name: "chain", tpl: `{{ (.Values.a).b }}`, want: []string{"a.b*"}},
		{name: "dig", tpl: `{{ dig "b" "c" "dflt" .Values.a }}`, want: []string{"a.b.c*"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ch := writeChart(t, map[string]string{
				"Chart.yaml":                    chartYAML + "dependencies:\n  - name: lib\n    version: 1.0.0\n",
				"templates/x.yaml":              c.tpl,
				"charts/lib/Chart.yaml":         libChart,
				"charts/lib/templates/_lib.tpl": helpers,
			})
			ix, err := IndexChart(ch)
			if err != nil {
				t.Fatal(err)
			}
			got := readSet(ix.Reads("web/templates/x.yaml"))
			for i, s := range got {
				if s == "" || s == "*" {
					got[i] = "*" // the whole root
				}
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("reads (-want +got):\n%s", diff)
			}
			for _, p := range c.reads {
				if !ix.ReadsPath(mustPath(t, p)) {
					t.Errorf("ReadsPath(%s) = false, want true", p)
				}
			}
			for _, p := range c.unread {
				if ix.ReadsPath(mustPath(t, p)) {
					t.Errorf("ReadsPath(%s) = true, want false", p)
				}
			}
		})
	}
}

func mustPath(t *testing.T, s string) Path {
	t.Helper()
	p, err := ParsePath(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestIndexSubchartsAndGlobals(t *testing.T) {
	_, ch := writeChart(t, map[string]string{
		"Chart.yaml":                    chartYAML + "dependencies:\n  - name: db\n    version: 1.0.0\n    alias: primary\n  - name: cache\n    version: 1.0.0\n",
		"templates/cm.yaml":             "a: {{ .Values.primary.extra }}\nb: {{ .Subcharts.cache.Values.ttl }}\n",
		"charts/db/Chart.yaml":          "apiVersion: v2\nname: db\nversion: 1.0.0\n",
		"charts/db/templates/s.yaml":    "size: {{ .Values.size }}\nregion: {{ .Values.global.region }}\n",
		"charts/cache/Chart.yaml":       "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
		"charts/cache/templates/_h.tpl": "{{ define \"cache.unused\" }}{{ .Values.never }}{{ end }}",
		"charts/cache/templates/c.yaml": "{{ toYaml .Values.conf }}",
	})
	ix, err := IndexChartDir(ch, "charts/web")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"global.region*", "primary.size*"}, readSet(ix.Reads("web/charts/primary/templates/s.yaml"))); diff != "" {
		t.Errorf("aliased subchart reads (-want +got):\n%s", diff)
	}
	rs := ix.Reads("web/charts/primary/templates/s.yaml")
	if len(rs) == 0 || rs[0].At.File != "charts/web/charts/db/templates/s.yaml" || rs[0].At.Line != 1 {
		t.Errorf("position of the first read = %v", rs)
	}
	for _, p := range []string{"primary.size", "primary.extra", "global.region", "primary.global.region", "cache.global.region", "cache.ttl", "cache.conf.x"} {
		if !ix.ReadsPath(mustPath(t, p)) {
			t.Errorf("ReadsPath(%s) = false, want true", p)
		}
	}
	for _, p := range []string{"db.size", "primary.other", "cache.never", "global.other"} {
		if ix.ReadsPath(mustPath(t, p)) {
			t.Errorf("ReadsPath(%s) = true, want false", p)
		}
	}
}

func TestIndexParseErrorIsConservative(t *testing.T) {
	_, ch := writeChart(t, map[string]string{
		"Chart.yaml":        chartYAML,
		"templates/ok.yaml": "a: {{ .Values.a }}\n",
	})
	ch.Templates = append(ch.Templates, nil)
	ch.Templates[len(ch.Templates)-1] = ch.Templates[0]
	bad := *ch.Templates[0]
	bad.Name = "templates/bad.yaml"
	bad.Data = []byte("line1\n{{ if .Values.x }\n")
	ch.Templates[len(ch.Templates)-1] = &bad
	ix, err := IndexChartDir(ch, "charts/web")
	if err == nil {
		t.Fatal("want a parse error")
	}
	if ix.Incomplete() == "" || !ix.ReadsPath(Path{"never", "read"}) {
		t.Error("an index with an unparsed template must treat every path as read")
	}
}

// TestTemplateNamesMatchIndex: TemplateNames, which resource-not-rendered
// uses to skip building an index, lists exactly the templates the index
// analyses, on every fixture chart that loads.
func TestTemplateNamesMatchIndex(t *testing.T) {
	restore := quietLog()
	defer restore()
	charts := 0
	for dir, c := range fixtureCharts(t) {
		ix, err := IndexChart(c)
		if err != nil {
			continue // a template that does not parse is left out of the index only
		}
		charts++
		if diff := cmp.Diff(ix.Templates(), TemplateNames(c)); diff != "" {
			t.Errorf("%s: TemplateNames differs from the index (-index +names):\n%s", dir, diff)
		}
	}
	if charts < 30 {
		t.Fatalf("only %d fixture charts indexed", charts)
	}
}

// TestIndexParsedMatchesParse: an index built from the parse trees of
// render/engine (the renderer's, per processed chart) equals the one built
// by parsing every template, on every fixture chart; and the trees are
// taken, not parsed again, on most of them.
func TestIndexParsedMatchesParse(t *testing.T) {
	restore := quietLog()
	defer restore()
	charts, reused := 0, 0
	for dir, c := range fixtureCharts(t) {
		processed, err := loader.LoadDir(dir)
		if err != nil || chartutil.ProcessDependenciesWithMerge(processed, map[string]any{}) != nil {
			continue
		}
		trees, texts, ok := engine.Parse(processed).Trees()
		if !ok {
			continue
		}
		charts++
		want, wantErr := IndexChartDir(c, "x")
		got, gotErr := IndexChartParsed(c, "x", trees, texts)
		if (wantErr == nil) != (gotErr == nil) || want.Incomplete() != got.Incomplete() {
			t.Errorf("%s: errors %v / %v, incomplete %q / %q", dir, wantErr, gotErr, want.Incomplete(), got.Incomplete())
			continue
		}
		if diff := cmp.Diff(want.Templates(), got.Templates()); diff != "" {
			t.Errorf("%s: templates differ (-parsed +reused):\n%s", dir, diff)
		}
		for _, name := range want.Templates() {
			if diff := cmp.Diff(want.Reads(name), got.Reads(name)); diff != "" {
				t.Errorf("%s: reads of %s differ (-parsed +reused):\n%s", dir, name, diff)
			}
			if diff := cmp.Diff(want.Guards(name), got.Guards(name)); diff != "" {
				t.Errorf("%s: guards of %s differ (-parsed +reused):\n%s", dir, name, diff)
			}
		}
		files := map[string]string{}
		eachTemplate(buildScopes(c, true), func(_ *scope, f *chart.File, name string) { files[name] = string(f.Data) })
		if treesByFile(files, trees, texts) != nil {
			reused++
		}
	}
	if charts < 30 || reused < charts/2 {
		t.Fatalf("%d fixture charts compared, trees reusable for %d", charts, reused)
	}
	t.Logf("%d charts, trees reusable for %d", charts, reused)
}
