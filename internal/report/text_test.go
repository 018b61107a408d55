package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

func TestWrap(t *testing.T) {
	cases := []struct {
		name  string
		text  string
		width int
		want  []string
	}{
		{name: "no width", text: "a b c", width: 0, want: []string{"a b c"}},
		{name: "fits", text: "a b c", width: 5, want: []string{"a b c"}},
		{name: "wraps", text: "aa bb cc", width: 5, want: []string{"aa bb", "cc"}},
		{name: "long word", text: "a verylongword b", width: 4, want: []string{"a", "verylongword", "b"}},
		{name: "runes", text: "éé éé", width: 5, want: []string{"éé éé"}},
	}
	for _, c := range cases {
		if got := wrap(c.text, c.width); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestClean(t *testing.T) {
	if got := clean("a\x1b[31mb\tc\nd\u009be"); got != `a\x1b[31mb`+"\tc\nd"+`\x9be` {
		t.Errorf("got %q", got)
	}
}

func TestTextSummary(t *testing.T) {
	cases := []struct {
		name string
		res  *Result
		want string
	}{
		{name: "clean", res: &Result{Targets: make([]TargetSummary, 12)}, want: "no findings in 12 targets\n"},
		{
			name: "counts",
			res: &Result{Targets: make([]TargetSummary, 1), Findings: []finding.Finding{
				{Check: "a", Severity: finding.Error, Message: "m"},
				{Check: "b", Severity: finding.Warning, Message: "m"},
				{Check: "c", Severity: finding.Warning, Message: "m"},
			}},
			want: "3 findings (1 error, 2 warnings) in 1 target\n",
		},
	}
	for _, c := range cases {
		var b strings.Builder
		if err := (textReporter{}).Report(&b, c.res); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(b.String(), c.want) {
			t.Errorf("%s: output ends %q, want %q", c.name, b.String(), c.want)
		}
	}
}

// TestTextNoLocation shows the object ref where the file:line would be, and
// "-" when a finding has neither.
func TestTextNoLocation(t *testing.T) {
	res := &Result{Findings: []finding.Finding{
		{Check: "x", Severity: finding.Info, App: "a", Message: "m", Object: finding.ObjectRef{Kind: "ConfigMap", Namespace: "n", Name: "c"}},
		{Check: "y", Severity: finding.Info, App: "a", Message: "m"},
	}}
	var b strings.Builder
	if err := (textReporter{}).Report(&b, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"info     ConfigMap/n/c  x\n", "info     -  y\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in\n%s", want, b.String())
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errFail }

var errFail = errors.New("disk full")

func TestWriteErrors(t *testing.T) {
	for _, name := range Names() {
		r, _ := New(name, Options{})
		if err := r.Report(failWriter{}, fixture()); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}
