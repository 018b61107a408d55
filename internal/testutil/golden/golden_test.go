package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	if d := Diff("a\nb\n", "a\nb\n"); d != "" {
		t.Errorf("equal inputs: %q", d)
	}
	d := Diff("a\nb\nc\n", "a\nB\nc\n")
	for _, want := range []string{"-b\n", "+B\n", " a\n", "@@ "} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
}

func TestAssertNormalisesCRLF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte("a\r\nb\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	Assert(t, path, []byte("a\nb\n"))
}

// recorder captures failures so the mismatch message itself can be tested.
type recorder struct {
	testing.TB
	msg string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Errorf(format string, a ...any) { r.msg = format }
func (r *recorder) Fatalf(format string, a ...any) { r.msg = "fatal: " + format }

func TestAssertMismatch(t *testing.T) {
	if Update() {
		t.Skip("-update rewrites instead of comparing")
	}
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Assert(r, path, []byte("b\n"))
	if !strings.Contains(r.msg, "differs from golden") {
		t.Errorf("mismatch not reported: %q", r.msg)
	}
	r.msg = ""
	Assert(r, filepath.Join(t.TempDir(), "missing.golden"), []byte("b\n"))
	if !strings.HasPrefix(r.msg, "fatal: ") {
		t.Errorf("missing golden not fatal: %q", r.msg)
	}
}
