package check_test

import (
	"context"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
)

const demoRepo = "../../examples/gitops-demo"

// BenchmarkConfigRolloutDemo measures config-rollout alone (marker render,
// perturbation renders, fix validation) over the bundled demo; compare it
// with BenchmarkPlainRenderDemo, one plain discover+render of the same repo.
func BenchmarkConfigRolloutDemo(b *testing.B) {
	run, err := pipeline.Offline(context.Background(), pipeline.Options{Root: demoRepo, Offline: true, Checks: []string{"render-error"}})
	if err != nil {
		b.Fatal(err)
	}
	c, ok := check.Lookup("config-rollout")
	if !ok {
		b.Fatal("config-rollout not registered")
	}
	for b.Loop() {
		if fs := c.Run(context.Background(), run.Input); len(fs) == 0 {
			b.Fatal("no findings on the demo")
		}
	}
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
