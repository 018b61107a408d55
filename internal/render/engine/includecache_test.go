package engine

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"helm.sh/helm/v3/pkg/chart"
)

// cacheChart is a chart of the given templates (under templates/).
func cacheChart(templates map[string]string) *chart.Chart {
	c := &chart.Chart{Metadata: &chart.Metadata{Name: "p", Version: "1.0.0", APIVersion: "v2", AppVersion: "2.0"}}
	for name, text := range templates {
		c.Templates = append(c.Templates, &chart.File{Name: "templates/" + name, Data: []byte(text)})
	}
	return c
}

// TestIncludeCacheable pins which named templates a render may answer from
// its include cache, and proves on each chart that the output is Helm's.
func TestIncludeCacheable(t *testing.T) {
	helpers := `
{{- define "name" -}}{{ default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}{{- end }}
{{- define "fullname" -}}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}{{ .Release.Name | trunc 63 }}{{ else }}{{ printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}{{ end }}
{{- end }}
{{- define "selector" -}}app: {{ include "name" . }}
instance: {{ .Release.Name }}{{- end }}
{{- define "labels" -}}{{ include "selector" . }}
version: {{ .Chart.AppVersion | quote }}
managed: {{ $.Release.Service }}{{- end }}
{{- define "checksum" -}}{{ toJson .Values.config | sha256sum }}{{- end }}
{{- define "rangeVals" -}}{{ range $k, $v := .Values.config }}{{ $k }}={{ $v }};{{ end }}{{- end }}
{{- define "withVals" -}}{{ with .Values.config }}{{ toYaml . }}{{ end }}{{- end }}
{{- define "files" -}}{{ .Files.Get "x.txt" | b64enc }}{{ .Capabilities.APIVersions.Has "v1" }}{{- end }}
{{- define "tname" -}}{{ .Template.Name }}{{- end }}
{{- define "dump" -}}{{ toYaml . | sha256sum }}{{- end }}
{{- define "viaVar" -}}{{ $r := . }}{{ $r.Template.Name }}{{- end }}
{{- define "viaDollar" -}}{{ $.Template.BasePath }}{{- end }}
{{- define "withRoot" -}}{{ with . }}{{ .Template.Name }}{{ end }}{{- end }}
{{- define "viaDict" -}}{{ include "inner" (dict "root" .) }}{{- end }}
{{- define "inner" -}}{{ .root.Template.Name }}{{- end }}
{{- define "tmplAction" -}}{{ template "tname" . }}{{- end }}
{{- define "pipeRoot" -}}{{ . | include "name" }}{{- end }}
{{- define "ifRoot" -}}{{ if . }}yes{{ end }}{{- end }}
{{- define "keysOf" -}}{{ keys .Values.config | join "," | len }}{{- end }}
{{- define "asMap" -}}{{ .AsMap.Template.Name }}{{- end }}
{{- define "table" -}}{{ (.Table "Template").Name }}{{- end }}
{{- define "yamlOf" -}}{{ .YAML | sha256sum }}{{- end }}
{{- define "subTpl" -}}{{ toJson .sub.Template }}{{- end }}
{{- define "rand" -}}{{ randAlphaNum 16 }}{{- end }}
{{- define "clock" -}}{{ now | date "2006" }}{{- end }}
{{- define "rec" -}}{{ if .Values.deeper }}{{ include "rec" (dict "Values" .Values.deeper) }}{{ end }}{{- end }}
`
	uses := `name: {{ include "fullname" . }}
labels: {{ include "labels" . | nindent 2 }}
sum: {{ include "checksum" . }} {{ include "rangeVals" . }} {{ include "withVals" . | quote }} {{ include "files" . }}
own: {{ include "tname" . }} {{ include "dump" . }} {{ include "viaVar" . }} {{ include "viaDollar" . }} {{ include "withRoot" . }}
{{ include "viaDict" . }} {{ include "tmplAction" . }} {{ include "pipeRoot" . }} {{ include "ifRoot" . }} {{ include "keysOf" . }}
{{ include "rec" . }} {{ include "fullname" . }} {{ include "labels" . | sha1sum }}
{{ include "asMap" . }} {{ include "table" . }} {{ include "yamlOf" . }} {{ include "subTpl" (dict "sub" .) }}
`
	c := cacheChart(map[string]string{"_helpers.tpl": helpers, "a.yaml": uses, "b.yaml": uses})
	c.Files = []*chart.File{{Name: "x.txt", Data: []byte("hello")}}
	p := Parse(c)
	if p.err != nil {
		t.Fatal(p.err)
	}
	var got []string
	for name := range p.cacheable {
		if !strings.Contains(name, "/") {
			got = append(got, name)
		}
	}
	slices.Sort(got)
	want := []string{"checksum", "files", "fullname", "labels", "name", "rangeVals", "selector", "withVals"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cacheable named templates (-want +got):\n%s", diff)
	}
	compare(t, c, map[string]any{"config": map[string]any{"A": "1", "B": 2}, "deeper": map[string]any{"deeper": map[string]any{}}})
}

// TestIncludeCacheOffWhenChartWrites: one template writing to the values
// turns the cache off for the whole chart, so an include after the write
// sees the new value.
func TestIncludeCacheOffWhenChartWrites(t *testing.T) {
	c := cacheChart(map[string]string{
		"_h.tpl": `{{- define "n" -}}{{ .Values.n }}{{- end }}`,
		"a.yaml": `{{ include "n" . }} {{ $_ := set .Values "n" 2 }}{{ include "n" . }}`,
		"b.yaml": `{{ include "n" . }}`,
	})
	p := Parse(c)
	if p.cacheable != nil {
		t.Errorf("a chart calling set has cacheable templates: %v", p.cacheable)
	}
	compare(t, c, map[string]any{"n": 1})
	out, err := p.Render(c, renderValues(t, c, map[string]any{"n": 1}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := out["p/templates/a.yaml"]; got != "1 2" {
		t.Errorf("a.yaml = %q, want %q", got, "1 2")
	}
}

// TestSortAlphaInPlace: sortAlpha sorts .Chart.Keywords in place, which
// later templates of the render see (so nothing is cached: it is a
// mutator) and later renders must not (helm template renders once).
func TestSortAlphaInPlace(t *testing.T) {
	c := cacheChart(map[string]string{
		"_h.tpl": `{{- define "kw" -}}{{ join "," .Chart.Keywords }}{{- end }}`,
		"a.yaml": `{{ include "kw" . }} {{ $_ := sortAlpha .Chart.Keywords }}{{ include "kw" . }}`,
	})
	c.Metadata.Keywords = []string{"b", "a"}
	p := Parse(c)
	if p.cacheable != nil {
		t.Errorf("a chart calling sortAlpha has cacheable templates: %v", p.cacheable)
	}
	for i := range 2 {
		out, err := p.Render(c, renderValues(t, c, nil), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := out["p/templates/a.yaml"]; got != "b,a a,b" {
			t.Errorf("render %d: a.yaml = %q, want %q", i, got, "b,a a,b")
		}
	}
	if got := c.Metadata.Keywords; got[0] != "b" {
		t.Errorf("the chart's keywords were sorted in place: %v", got)
	}
}

// TestIncludeCacheRandom: an include of a random helper runs every time
// (Helm gives two different strings), which compare cannot see since it
// drops what differs between two Helm renders.
func TestIncludeCacheRandom(t *testing.T) {
	c := cacheChart(map[string]string{
		"_h.tpl": `{{- define "pw" -}}{{ randAlphaNum 24 }}{{- end }}{{- define "wrap" -}}{{ include "pw" . }}{{- end }}`,
		"a.yaml": `{{ include "pw" . }} {{ include "pw" . }} {{ include "wrap" . }} {{ include "wrap" . }}`,
	})
	p := Parse(c)
	out, err := p.Render(c, renderValues(t, c, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(out["p/templates/a.yaml"])
	if len(f) != 4 || f[0] == f[1] || f[2] == f[3] {
		t.Errorf("random includes repeated themselves: %q", f)
	}
}
