package values

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// guardView is the comparable part of a Guard.
type guardView struct {
	Line        int
	Kind        string
	Expr        string
	Tests       []string
	Negated     bool
	WholeOutput bool
	HasElse     bool
	Body        []string
	Else        []string
}

func viewGuards(gs []Guard) []guardView {
	var out []guardView
	for _, g := range gs {
		out = append(out, guardView{
			Line: g.Line, Kind: g.Kind, Expr: g.Expr, Tests: readSet(g.Tests), Negated: g.Negated,
			WholeOutput: g.WholeOutput, HasElse: g.HasElse, Body: readSet(g.BodyReads), Else: readSet(g.ElseReads),
		})
	}
	return out
}

func TestGuards(t *testing.T) {
	cases := []struct {
		name string
		tpl  string
		want []guardView
	}{
		{
			name: "whole file guard, body reads through include",
			tpl:  "{{- if .Values.database.host }}\napiVersion: batch/v1\nkind: Job\nenv:\n  {{- include \"env\" . | nindent 2 }}\n{{- end }}\n",
			want: []guardView{{
				Line: 1, Kind: "if", Expr: ".Values.database.host", Tests: []string{"database.host"}, WholeOutput: true,
				Body: []string{"secretRef.hostKey*"},
			}},
		},
		{
			name: "not whole output",
			tpl:  "kind: ConfigMap\n{{ if .Values.a }}a: {{ .Values.b }}{{ end }}\n",
			want: []guardView{{Line: 2, Kind: "if", Expr: ".Values.a", Tests: []string{"a"}, Body: []string{"b*"}}},
		},
		{
			name: "and or not",
			tpl:  "{{ if and .Values.x (or .Values.y .Values.z) }}1{{ end }}{{ if not .Values.off }}2{{ end }}",
			want: []guardView{
				{Line: 1, Kind: "if", Expr: "and .Values.x (or .Values.y .Values.z)", Tests: []string{"x", "y", "z"}},
				{Line: 1, Kind: "if", Expr: "not .Values.off", Tests: []string{"off"}, Negated: true},
			},
		},
		{
			name: "else and else if",
			tpl:  "{{ if .Values.a }}{{ .Values.b }}{{ else if .Values.c }}{{ .Values.d }}{{ else }}{{ .Values.e }}{{ end }}",
			want: []guardView{
				{Line: 1, Kind: "if", Expr: ".Values.a", Tests: []string{"a"}, HasElse: true, WholeOutput: false,
					Body: []string{"b*"}, Else: []string{"c", "d*", "e*"}},
				{Line: 1, Kind: "if", Expr: ".Values.c", Tests: []string{"c"}, HasElse: true, Body: []string{"d*"}, Else: []string{"e*"}},
			},
		},
		{
			name: "nested guards enclosing the file",
			tpl:  "{{- if .Values.enabled }}\n{{- with .Values.ingress }}\nhost: {{ .host }}\n{{- end }}\n{{- end }}\n",
			want: []guardView{
				{Line: 1, Kind: "if", Expr: ".Values.enabled", Tests: []string{"enabled"}, WholeOutput: true, Body: []string{"ingress", "ingress.host*"}},
				{Line: 2, Kind: "with", Expr: ".Values.ingress", Tests: []string{"ingress"}, WholeOutput: true, Body: []string{"ingress.host*"}},
			},
		},
		{
			name: "declarations and comments do not count as output",
			tpl:  "{{- $name := .Values.name }}\n{{/* note */}}\n{{- if .Values.on }}\nname: {{ $name }}\n{{- end }}\n",
			want: []guardView{{Line: 3, Kind: "if", Expr: ".Values.on", Tests: []string{"on"}, WholeOutput: true, Body: []string{"name*"}}},
		},
		{
			name: "else with output is not whole output",
			tpl:  "{{ if .Values.a }}x{{ else }}y{{ end }}",
			want: []guardView{{Line: 1, Kind: "if", Expr: ".Values.a", Tests: []string{"a"}, HasElse: true}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ch := writeChart(t, map[string]string{
				"Chart.yaml":         chartYAML,
				"templates/x.yaml":   c.tpl,
				"templates/_env.tpl": "{{ define \"env\" }}- name: DB_HOST\n  valueFrom: {{ .Values.secretRef.hostKey }}{{ end }}",
			})
			ix, err := IndexChart(ch)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, viewGuards(ix.Guards("templates/x.yaml"))); diff != "" {
				t.Errorf("guards (-want +got):\n%s", diff)
			}
		})
	}
}
