package check_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/pipeline"
)

const demoRepo = "../../examples/gitops-demo"

// BenchmarkConfigRolloutDemo measures config-rollout over the bundled
// demo as a run pays for it: each iteration is a whole offline run with
// only render-error and config-rollout, on a fresh Renderer (templates
// parsed by the plain render, nothing from earlier iterations cached),
// timed against a run with render-error alone. The ×plain metric is the
// check's own cost (marker render, perturbation renders, confirmations,
// fix validation) in plain renders of the repo; issue 4's budget is 3.
func BenchmarkConfigRolloutDemo(b *testing.B) {
	var plain, withCheck time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := pipeline.Offline(context.Background(), pipeline.Options{Root: demoRepo, Offline: true, Checks: []string{"render-error"}}); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		run, err := pipeline.Offline(context.Background(), pipeline.Options{Root: demoRepo, Offline: true, Checks: []string{"render-error", "config-rollout"}})
		if err != nil {
			b.Fatal(err)
		}
		if len(run.Result.Findings) == 0 {
			b.Fatal("no findings on the demo")
		}
		plain += mid.Sub(start)
		withCheck += time.Since(mid)
	}
	b.ReportMetric(float64(withCheck-plain)/float64(plain), "×plain")
}

// BenchmarkPlainRenderDemo is the baseline: discover and render the demo
// once, with only the pipeline's own render-error check.
func BenchmarkPlainRenderDemo(b *testing.B) {
	for b.Loop() {
		if _, err := pipeline.Offline(context.Background(), pipeline.Options{Root: demoRepo, Offline: true, Checks: []string{"render-error"}}); err != nil {
			b.Fatal(err)
		}
	}
}
