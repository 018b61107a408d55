package diffsem

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRespectIgnoreDifferencesLeavesDiffAlone pins what
// Options.RespectIgnoreDifferences means: nothing to the comparison. In
// argo-cd v3.5.7 (and v2.14) the sync option is read only by
// controller/sync.go SyncAppState, which hands the sync targets patched
// with live values at the ignored paths (normalizeTargetResources); the
// comparison (controller/state.go CompareAppState, util/argo/diff) never
// reads it. So every testdata case must come out the same with it set.
func TestRespectIgnoreDifferencesLeavesDiffAlone(t *testing.T) {
	wants, err := filepath.Glob("testdata/*-want.txt")
	if err != nil || len(wants) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, wantFile := range wants {
		name := strings.TrimSuffix(filepath.Base(wantFile), "-want.txt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			desired, live, cfg, opts := loadCase(t, name)
			if cfg.JQTimeout != "" {
				t.Skip("timing case: the outcome is the timeout, not the rule")
			}
			plain := Compare(desired, live, cfg.IgnoreDifferences, opts)
			opts.RespectIgnoreDifferences = true
			respect := Compare(desired, live, cfg.IgnoreDifferences, opts)
			if (plain.Err == nil) != (respect.Err == nil) {
				t.Fatalf("Err = %v, with RespectIgnoreDifferences %v", plain.Err, respect.Err)
			}
			if plain.Modified != respect.Modified {
				t.Errorf("Modified = %v, with RespectIgnoreDifferences %v", plain.Modified, respect.Modified)
			}
			if d := cmp.Diff(plain.Paths, respect.Paths, cmpEmpty); d != "" {
				t.Errorf("Paths change with RespectIgnoreDifferences (-without +with):\n%s", d)
			}
		})
	}
}
