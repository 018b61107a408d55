package render

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// makeBenchChart writes a chart with 30 templates (deployments, services
// and config maps sharing a helper) and returns the checkout root.
func makeBenchChart(tb testing.TB) string {
	tb.Helper()
	return makeBenchChartN(tb, 10)
}

// makeBenchChartN writes the bench chart with n each of deployments,
// services and config maps (3n templates and a helper).
func makeBenchChartN(tb testing.TB, n int) string {
	tb.Helper()
	root := tb.TempDir()
	write := func(p, s string) {
		writeFile(tb, filepath.Join(root, "chart", p), s)
	}
	write("Chart.yaml", "apiVersion: v2\nname: bench\nversion: 1.0.0\n")
	write("values.yaml", "replicas: 2\nimage: {repository: nginx, tag: \"1.27\"}\nlabels: {team: bench}\nenv: {A: \"1\", B: \"2\"}\n")
	write("templates/_helpers.tpl", `{{- define "bench.labels" -}}
app: {{ .Chart.Name }}
release: {{ .Release.Name }}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}
`)
	for i := range n {
		write(fmt.Sprintf("templates/deploy-%d.yaml", i), fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-%[1]d
  labels: {{- include "bench.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {{- include "bench.labels" . | nindent 6 }}
  template:
    metadata:
      labels: {{- include "bench.labels" . | nindent 8 }}
    spec:
      containers:
        - name: c
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          env:
          {{- range $k, $v := .Values.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
          {{- end }}
`, i))
		write(fmt.Sprintf("templates/svc-%d.yaml", i), fmt.Sprintf("apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-%d\n  labels: {{- include \"bench.labels\" . | nindent 4 }}\nspec:\n  ports: [{port: 80}]\n", i))
		write(fmt.Sprintf("templates/cm-%d.yaml", i), fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-%d\ndata:\n  values: {{ toYaml .Values | quote }}\n", i))
	}
	return root
}

func benchTarget() *target.Target {
	return &target.Target{Kind: target.SourceHelm, Dir: "chart", ReleaseName: "b", Namespace: "bench"}
}

// benchSizes are the chart sizes the render benchmarks cover, in
// templates: a small service chart, the generated monorepo's size, and a
// large platform chart.
var benchSizes = []int{3, 15, 30, 120}

// BenchmarkRender measures a full render including loading the chart (a
// fresh Renderer each time: load, dependency processing, parse, execute,
// decode), per chart size.
func BenchmarkRender(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("templates=%d", n), func(b *testing.B) {
			root := makeBenchChartN(b, n/3)
			for b.Loop() {
				if _, err := New(Options{Root: root}).Render(context.Background(), benchTarget()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderValues measures re-rendering the cached chart with new
// values (parsed templates reused), per chart size: the cost of one more
// app × env of a chart, and of a perturbation render.
func BenchmarkRenderValues(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("templates=%d", n), func(b *testing.B) {
			root := makeBenchChartN(b, n/3)
			r := New(Options{Root: root})
			res, err := r.Render(context.Background(), benchTarget())
			if err != nil {
				b.Fatal(err)
			}
			vals := values.DeepCopy(res.Values)
			i := 0
			for b.Loop() {
				i++
				vals["replicas"] = i
				if _, err := r.RenderValues(context.Background(), benchTarget(), vals); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestConcurrentRenders(t *testing.T) {
	root := makeBenchChart(t)
	r := New(Options{Root: root})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			objs, err := r.RenderValues(context.Background(), benchTarget(), map[string]any{"replicas": i})
			if err == nil && len(objs) != 30 {
				err = fmt.Errorf("%d objects", len(objs))
			}
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
