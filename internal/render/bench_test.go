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
	for i := 0; i < 10; i++ {
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

// BenchmarkRender measures a full render of a 30-template chart including
// loading it (a fresh Renderer each time).
func BenchmarkRender(b *testing.B) {
	root := makeBenchChart(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := New(Options{Root: root}).Render(context.Background(), benchTarget()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderValues measures re-rendering the cached chart with new
// values, the perturbation-analysis path.
func BenchmarkRenderValues(b *testing.B) {
	root := makeBenchChart(b)
	r := New(Options{Root: root})
	res, err := r.Render(context.Background(), benchTarget())
	if err != nil {
		b.Fatal(err)
	}
	vals := values.DeepCopy(res.Values)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		vals["replicas"] = i
		if _, err := r.RenderValues(context.Background(), benchTarget(), vals); err != nil {
			b.Fatal(err)
		}
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
