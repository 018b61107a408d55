package check_test

import (
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/check"
)

// TestEveryCheckHasFixture keeps the rule that no check ships without a
// fixture line that expects it.
func TestEveryCheckHasFixture(t *testing.T) {
	seen := map[string]bool{}
	for _, root := range fixtureRoots {
		for _, w := range allWants(t, root) {
			seen[w.Check] = true
		}
	}
	for _, c := range check.All() {
		// Live-only checks need a cluster; their fixtures are the
		// envtest tests of internal/pipeline (live_test.go).
		if c.Modes&check.Offline == 0 {
			continue
		}
		if !seen[c.ID] {
			t.Errorf("check %s has no want in any fixture", c.ID)
		}
	}
}
