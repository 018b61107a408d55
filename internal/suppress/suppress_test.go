package suppress

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name string
		line string
		want []Directive
	}{
		{name: "yaml trailing", line: `replicas: 3 # syncdoctor:ignore replicas-hpa-fight reason="HPA off in dev"`,
			want: []Directive{{Line: 1, Column: 15, Checks: []string{"replicas-hpa-fight"}, Reason: "HPA off in dev", HasReason: true}}},
		{name: "yaml standalone, two ids", line: `  # syncdoctor:ignore a-b, c reason="x \"y\""`,
			want: []Directive{{Line: 1, Column: 5, Checks: []string{"a-b", "c"}, Reason: `x "y"`, HasReason: true, Standalone: true}}},
		{name: "template", line: `{{/* syncdoctor:ignore resource-not-rendered reason="dev only" */}}`,
			want: []Directive{{Line: 1, Column: 6, Checks: []string{"resource-not-rendered"}, Reason: "dev only", HasReason: true, Standalone: true}}},
		{name: "template trimming", line: `{{- if .Values.x }} {{- /* syncdoctor:ignore c */}}`,
			want: []Directive{{Line: 1, Column: 28, Checks: []string{"c"}}}},
		{name: "hcl", line: `  // syncdoctor:ignore c reason=""`,
			want: []Directive{{Line: 1, Column: 6, Checks: []string{"c"}, Standalone: true}}},
		{name: "in a string", line: `msg: "syncdoctor:ignore c"`},
		{name: "no id", line: `# syncdoctor:ignore`},
		{name: "want after", line: `# syncdoctor:ignore c # want: suppression-without-reason`,
			want: []Directive{{Line: 1, Column: 3, Checks: []string{"c"}, Standalone: true}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, Parse([]byte(c.line+"\n"))); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

type files map[string]string

func (f files) ReadFile(rel string) ([]byte, error) {
	if s, ok := f[rel]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

func TestApply(t *testing.T) {
	src := files{
		"values.yaml": "a: 1\n# syncdoctor:ignore c1 reason=\"known\"\nb: 2\nc: 3 # syncdoctor:ignore c2\nd: 4\n",
	}
	at := func(check string, line int) finding.Finding {
		return finding.Finding{Check: check, App: "web", Location: finding.Location{File: "values.yaml", Line: line}, Message: check}
	}
	base := &Baseline{set: map[string]bool{}}
	inBase := finding.Finding{Check: "c9", App: "api", Location: finding.Location{File: "x.yaml", Line: 3}, Message: "m"}
	base.set[inBase.Fingerprint()] = true
	moved := inBase
	moved.Location.Line = 40 // a baseline ignores lines
	cases := []struct {
		name string
		f    finding.Finding
		want Reason
	}{
		{name: "line above", f: at("c1", 3), want: ByComment},
		{name: "same line as standalone", f: at("c1", 2), want: ByComment},
		{name: "other check", f: at("c2", 3)},
		{name: "trailing, same line", f: at("c2", 4), want: ByComment},
		{name: "trailing does not cover next line", f: at("c2", 5)},
		{name: "ignored path", f: finding.Finding{Check: "c", Location: finding.Location{File: "vendor/x/values.yaml", Line: 1}}, want: ByPath},
		{name: "annotation", f: finding.Finding{Check: "c3", App: "web"}, want: ByAnnotation},
		{name: "annotation other app", f: finding.Finding{Check: "c3", App: "api"}},
		{name: "baseline", f: moved, want: ByBaseline},
	}
	opts := Options{Files: src, IgnorePaths: []string{"vendor"}, Apps: []AppIgnore{{App: "web", Checks: []string{"c3"}}}, Baseline: base}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kept, sup := Apply([]finding.Finding{c.f}, opts)
			var got Reason
			if len(sup) == 1 {
				got = sup[0].By
			}
			if got != c.want || len(kept)+len(sup) != 1 {
				t.Errorf("suppressed by %q, want %q (kept %d)", got, c.want, len(kept))
			}
		})
	}
}

func TestPathIgnored(t *testing.T) {
	cases := []struct {
		glob, file string
		want       bool
	}{
		{glob: "vendor/**", file: "vendor/a/b.yaml", want: true},
		{glob: "vendor/", file: "vendor/a.yaml", want: true},
		{glob: "charts/*", file: "charts/web/templates/x.yaml", want: true},
		{glob: "**/*.tpl", file: "charts/web/templates/_h.tpl", want: true},
		{glob: "vendor/**", file: "apps/vendor.yaml"},
		{glob: "./legacy", file: "legacy/x.yaml", want: true},
	}
	for _, c := range cases {
		if got := PathIgnored([]string{c.glob}, c.file); got != c.want {
			t.Errorf("PathIgnored(%q, %q) = %v", c.glob, c.file, got)
		}
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	finds := []finding.Finding{
		{Check: "b", App: "web", Location: finding.Location{File: "z.yaml", Line: 9}, Message: "m2"},
		{Check: "a", App: "web", Location: finding.Location{File: "a.yaml", Line: 1}, Message: "m1"},
		{Check: "a", App: "web", Location: finding.Location{File: "a.yaml", Line: 1}, Message: "m1"},
	}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, finds); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), `"fingerprint"`); n != 2 {
		t.Errorf("%d entries, want 2:\n%s", n, buf.String())
	}
	if strings.Index(buf.String(), "a.yaml") > strings.Index(buf.String(), "z.yaml") {
		t.Error("entries not sorted by file")
	}
	b, err := ReadBaseline("b.json", &buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range finds {
		f := finds[i]
		f.Location.Line += 10
		if !b.Has(&f) {
			t.Errorf("baseline misses %s after a line shift", f.Check)
		}
	}
	for _, bad := range []string{`{"version":2,"findings":[]}`, `{"version":1,"findings":[],"x":1}`, `[`} {
		if _, err := ReadBaseline("b.json", strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "b.json") {
			t.Errorf("ReadBaseline(%s) error = %v", bad, err)
		}
	}
	var nilB *Baseline
	if nilB.Has(&finds[0]) || nilB.Len() != 0 {
		t.Error("nil baseline holds something")
	}
}
