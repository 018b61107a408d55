package pipeline

import (
	"context"
	"fmt"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/benchgen"
	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

// genRepo writes a benchgen repo of services × 3 environments.
func genRepo(b *testing.B, services int) string {
	b.Helper()
	dir := b.TempDir()
	n, err := benchgen.Generate(dir, benchgen.Options{Services: services})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n), "targets")
	return dir
}

// BenchmarkCheckAll200 measures the whole offline run, every check, over
// a generated repo of about 200 app × env Targets; compare it with
// BenchmarkDiscoverRender200 (the plain render of the same repo).
func BenchmarkCheckAll200(b *testing.B) {
	benchOffline(b, genRepo(b, 66), nil)
}

// BenchmarkCheckAllScale runs the whole check at three sizes, to show how
// time grows with app × envs.
func BenchmarkCheckAllScale(b *testing.B) {
	for _, services := range []int{16, 56, 166} {
		b.Run(fmt.Sprintf("targets=%d", services*3+3), func(b *testing.B) {
			benchOffline(b, genRepo(b, services), nil)
		})
	}
}

// BenchmarkEachCheck measures each registered check alone over the
// already rendered 200-Target repo (the perturbation checks re-render).
func BenchmarkEachCheck(b *testing.B) {
	run, err := Offline(context.Background(), Options{Root: genRepo(b, 66), Offline: true, Checks: []string{"render-error"}})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range check.All() {
		if c.Modes&check.Offline == 0 {
			continue
		}
		b.Run(c.ID, func(b *testing.B) {
			for b.Loop() {
				// A fresh Input per iteration: memoised facts are not reused.
				in := check.Input{Apps: run.Input.Apps, Targets: run.Input.Targets, Problems: run.Input.Problems, Config: run.Input.Config, Renderer: run.Input.Renderer, Files: run.Input.Files}
				c.Run(context.Background(), &in)
			}
		})
	}
}

// BenchmarkReport measures every output format over the whole run's
// Result of the 200-Target repo.
func BenchmarkReport(b *testing.B) {
	run, err := Offline(context.Background(), Options{Root: genRepo(b, 66), Offline: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range report.Names() {
		rep, err := report.New(f, report.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				if err := rep.Report(discard{}, run.Result); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
