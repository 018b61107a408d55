package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// TestDecodeRoundTrip decodes the JSON of the fixture and expects back
// everything the schema carries: the fixture minus Root, GeneratedAt,
// Checks, Series and fix edits.
func TestDecodeRoundTrip(t *testing.T) {
	out := render(t, "json", Options{}, fixture())
	got, err := Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	want := fixture()
	want.Root, want.Checks = "", nil
	want.GeneratedAt = time.Time{}
	for i := range want.Targets {
		want.Targets[i].Series = nil
	}
	for i := range want.Findings {
		for j := range want.Findings[i].Fixes {
			want.Findings[i].Fixes[j].Edits = nil
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if again := render(t, "json", Options{}, got); !bytes.Equal(again, out) {
		t.Error("re-encoding a decoded report changes it")
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name  string
		input string
		want  string
	}{
		{name: "syntax", input: "{\n  \"schemaVersion\": 1,\n  \"tool\": }", want: "line 3"},
		{name: "type", input: "{\n\"schemaVersion\": \"1\"}", want: "line 2"},
		{name: "version", input: `{"schemaVersion": 2}`, want: "schemaVersion 2 is not supported"},
		{name: "severity", input: `{"schemaVersion": 1, "findings": [{"check": "c", "severity": "fatal"}]}`, want: `findings[0]: check c: unknown severity "fatal"`},
		{name: "no check", input: `{"schemaVersion": 1, "findings": [{"severity": "info"}]}`, want: "findings[0]: check is missing"},
	}
	for _, c := range cases {
		_, err := Decode(strings.NewReader(c.input))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

// TestDecodeIgnoresUnknownFields keeps version 1 readers working when a
// later version 1 writer adds an optional field.
func TestDecodeIgnoresUnknownFields(t *testing.T) {
	res, err := Decode(strings.NewReader(`{"schemaVersion": 1, "tool": {"name": "syncdoctor", "version": "9"}, "later": true,
		"findings": [{"check": "c", "severity": "warning", "message": "m", "later": 1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Severity != finding.Warning {
		t.Errorf("got %+v", res.Findings)
	}
}

func TestJSONInvalidSeverity(t *testing.T) {
	res := fixture()
	res.Findings[0].Severity = 0
	for _, format := range []string{"json", "sarif"} {
		r, _ := New(format, Options{})
		if err := r.Report(&bytes.Buffer{}, res); err == nil || !strings.Contains(err.Error(), "invalid severity") {
			t.Errorf("%s: error %v", format, err)
		}
	}
}

// TestJSONDocumented keeps docs/json.md in step with the format: every key
// the golden output uses is documented, and the example decodes.
func TestJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "json.md"))
	if err != nil {
		t.Fatal(err)
	}
	gold, err := os.ReadFile(filepath.Join("testdata", "json.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`"(\w+)":`).FindAllStringSubmatch(string(gold), -1) {
		if !strings.Contains(string(doc), "`"+m[1]+"`") {
			t.Errorf("field %q is not documented in docs/json.md", m[1])
		}
	}
	_, example, ok := strings.Cut(string(doc), "```json\n")
	example, _, _ = strings.Cut(example, "```")
	if !ok {
		t.Fatal("docs/json.md has no example")
	}
	if _, err := Decode(strings.NewReader(example)); err != nil {
		t.Errorf("docs/json.md example: %v", err)
	}
}
