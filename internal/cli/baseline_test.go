package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBaseline adopts syncdoctor on a repo with debt: --write-baseline
// records the findings, --baseline then suppresses them (exit 0, counted),
// and rewriting the baseline keeps what it already held.
func TestBaseline(t *testing.T) {
	root := writeRepo(t)
	base := filepath.Join(t.TempDir(), "baseline.json")
	if _, _, code := run(t, "check", root, "--write-baseline", base); code != ExitFindings {
		t.Fatalf("first run: exit %d, want %d", code, ExitFindings)
	}
	out, stderr, code := run(t, "check", root, "--baseline", base)
	if code != ExitOK || !strings.Contains(out, "suppressed") {
		t.Fatalf("with baseline: exit %d\n%s%s", code, out, stderr)
	}
	if _, _, code := run(t, "check", root, "--baseline", base, "--write-baseline", base); code != ExitOK {
		t.Fatalf("rewrite: exit %d", code)
	}
	if _, _, code := run(t, "check", root, "--baseline", base); code != ExitOK {
		t.Errorf("rewritten baseline lost findings: exit %d", code)
	}
	if _, stderr, code := run(t, "check", root, "--baseline", filepath.Join(root, "missing.json")); code != ExitUsage || !strings.Contains(stderr, "--baseline") {
		t.Errorf("missing baseline: exit %d, stderr %q", code, stderr)
	}
}
