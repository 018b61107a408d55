package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	cases := []struct {
		name string
		want string
		got  string
		diff string
	}{
		{name: "equal", want: "a\nb\n", got: "a\nb\n", diff: ""},
		{name: "changed line", want: "a\nb\nc\n", got: "a\nB\nc\n", diff: "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{name: "added at end", want: "a\n", got: "a\nb\n", diff: "@@ -1,1 +1,2 @@\n a\n+b\n"},
		{name: "missing newline", want: "a\n", got: "a", diff: "@@ -1,1 +1,1 @@\n-a\n+a\n\\ no newline at end\n"},
		{
			name: "two hunks",
			want: "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			got:  "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n",
			diff: "@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n@@ -9,4 +10,3 @@\n 9\n 10\n 11\n-12\n",
		},
	}
	for _, c := range cases {
		if got := Diff(c.want, c.got); got != c.diff {
			t.Errorf("%s: Diff =\n%s\nwant\n%s", c.name, got, c.diff)
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
