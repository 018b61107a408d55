package pipeline

import (
	"context"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/benchgen"
)

// BenchmarkOfflineDemo measures the whole offline run (discover, render,
// every check) over the bundled demo.
func BenchmarkOfflineDemo(b *testing.B) {
	benchOffline(b, "../../examples/gitops-demo", nil)
}

// BenchmarkDiscoverRender200 measures discover+render over a generated repo
// of 200 app × env Targets (66 services × 3 environments + 3 roots).
func BenchmarkDiscoverRender200(b *testing.B) {
	dir := b.TempDir()
	n, err := benchgen.Generate(dir, benchgen.Options{Services: 66})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n), "targets")
	benchOffline(b, dir, []string{"render-error"})
}

func benchOffline(b *testing.B, dir string, checks []string) {
	b.Helper()
	for b.Loop() {
		run, err := Offline(context.Background(), Options{Root: dir, Offline: true, Checks: checks})
		if err != nil {
			b.Fatal(err)
		}
		if len(run.Result.Targets) == 0 {
			b.Fatal("no targets")
		}
	}
}
