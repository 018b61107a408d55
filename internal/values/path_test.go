package values

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPathString(t *testing.T) {
	cases := []struct {
		name string
		path Path
		want string
	}{
		{name: "empty", path: nil, want: ""},
		{name: "plain", path: Path{"auth-service", "autoscaling", "minReplicas"}, want: "auth-service.autoscaling.minReplicas"},
		{name: "dotted key", path: Path{"podAnnotations", "app.kubernetes.io/name"}, want: `podAnnotations["app.kubernetes.io/name"]`},
		{name: "dotted first", path: Path{"a.b", "c"}, want: `["a.b"].c`},
		{name: "empty key", path: Path{"a", "", "b"}, want: `a[""].b`},
		{name: "quote and bracket", path: Path{`x"]`, "y"}, want: `["x\"]"].y`},
	}
	for _, c := range cases {
		got := c.path.String()
		if got != c.want {
			t.Errorf("%s: String() = %q, want %q", c.name, got, c.want)
		}
		back, err := ParsePath(got)
		if err != nil {
			t.Errorf("%s: ParsePath(%q): %v", c.name, got, err)
			continue
		}
		if diff := cmp.Diff(c.path, back, cmp.Comparer(func(a, b Path) bool { return a.Equal(b) })); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", c.name, diff)
		}
	}
}

func TestParsePathErrors(t *testing.T) {
	for _, s := range []string{".a", "a.", "a..b", `a["b"`, `a["b"]c`, "a]", `a"b`, `[b]`, `a.["b"]`} {
		if p, err := ParsePath(s); err == nil {
			t.Errorf("ParsePath(%q) = %q, want error", s, p)
		}
	}
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"", "a.b", `a["b.c"].d`, `["\x00"]`, "a..", `[""]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			return
		}
		back, err := ParsePath(p.String())
		if err != nil {
			t.Fatalf("ParsePath(%q).String() = %q does not parse: %v", s, p.String(), err)
		}
		if !back.Equal(p) {
			t.Fatalf("round trip of %q: %q != %q", s, back, p)
		}
	})
}
