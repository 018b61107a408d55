package report

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/testutil/golden"
)

func TestGolden(t *testing.T) {
	cases := []struct {
		name   string
		format string
		opts   Options
		res    *Result
	}{
		{name: "text", format: "text", res: fixture()},
		{name: "text-color", format: "text", opts: Options{Color: true, Width: 72}, res: fixture()},
		{name: "text-clean", format: "text", res: cleanResult()},
		{name: "json", format: "json", res: fixture()},
		{name: "json-clean", format: "json", res: cleanResult()},
		{name: "sarif", format: "sarif", res: fixture()},
		{name: "markdown", format: "markdown", res: fixture()},
		{name: "markdown-clean", format: "markdown", res: cleanResult()},
		{name: "html", format: "html", res: fixture()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			golden.Assert(t, filepath.Join("testdata", c.name+".golden"), render(t, c.format, c.opts, c.res))
		})
	}
}

func render(t *testing.T, format string, opts Options, res *Result) []byte {
	t.Helper()
	r, err := New(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Report(&buf, res); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func TestNames(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) || !slices.Contains(names, "text") || !slices.Contains(names, "sarif") {
		t.Errorf("Names() = %v", names)
	}
	if _, err := New("yaml", Options{}); err == nil || !strings.Contains(err.Error(), "html, json, markdown, sarif, text") {
		t.Errorf("New(unknown) error = %v", err)
	}
}

// TestDeterministic renders every format twice: no map order or clock may
// leak into the output.
func TestDeterministic(t *testing.T) {
	for _, name := range Names() {
		a, b := render(t, name, Options{}, fixture()), render(t, name, Options{}, fixture())
		if !bytes.Equal(a, b) {
			t.Errorf("%s output differs between runs", name)
		}
	}
}

// TestOnlyGivenFields plants strings in the fields reporters must not print
// (HPA series are for the html plots only, edits are for `syncdoctor fix`)
// and a colour sequence in user text.
func TestOnlyGivenFields(t *testing.T) {
	const planted, plantedSeries = "PLANTED-s3cr3t", "PLANTED-series"
	res := fixture()
	res.Targets[2].Series = []HPASeries{{Label: plantedSeries}}
	res.Findings[0].Evidence[0].Value += "\x1b[2J"
	for i := range res.Findings {
		for j := range res.Findings[i].Fixes {
			for k := range res.Findings[i].Fixes[j].Edits {
				e := &res.Findings[i].Fixes[j].Edits[k]
				e.Path += planted
				if e.Op != "replace-text" {
					e.Value += planted
				}
			}
		}
	}
	for _, name := range Names() {
		out := string(render(t, name, Options{Color: true}, res))
		if strings.Contains(out, planted) || (name != "html" && strings.Contains(out, plantedSeries)) {
			t.Errorf("%s prints a field it was not given to print", name)
		}
		if strings.Contains(out, "\x1b[2J") {
			t.Errorf("%s passes a control sequence from user text through", name)
		}
	}
}
