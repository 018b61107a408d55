// Package golden compares test output with files under testdata and
// rewrites them when the test binary runs with -update. It is imported by
// tests only.
//
// The package registers the -update flag itself, so a test binary that
// imports it must not define its own flag of that name: call Update instead.
package golden

import (
	"bytes"
	"flag"
	"github.com/syncdoctor/syncdoctor/internal/fix"
	"os"
	"path/filepath"
	"testing"
)

// update is the one -update flag of every test binary that uses golden files,
// in the shape of helm's internal/test/test.go.
var update = flag.Bool("update", false, "rewrite golden files under testdata with the current output")

// Update reports whether the test binary runs with -update, for tests that
// write golden artefacts of their own.
func Update() bool { return *update }

// Assert compares got with the golden file at path (relative to the test's
// package directory). Line endings are normalised to "\n" on both sides so a
// checkout with CRLF conversion still passes. With -update it writes got to
// path instead, creating directories as needed.
func Assert(t testing.TB, path string, got []byte) {
	t.Helper()
	got = normalize(got)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: %v", err)
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (run `go test -update` to create it)", err)
		return
	}
	want = normalize(want)
	if bytes.Equal(want, got) {
		return
	}
	t.Errorf("output differs from golden file %s (-want +got); run `go test -update` if the change is intended:\n%s",
		path, Diff(string(want), string(got)))
}

// Diff returns a unified diff from want to got ("" when equal). It is the
// diff `syncdoctor fix --dry-run` prints, so there is one diff in the tree.
func Diff(want, got string) string {
	return fix.UnifiedDiff("golden", []byte(want), []byte(got))
}

func normalize(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
}
