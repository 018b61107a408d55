package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchemaURL is the identity the OASIS schema declares; it is only a
// name here: the compiler gets the document from disk and never fetches.
const sarifSchemaURL = "https://json.schemastore.org/sarif-2.1.0-rtm.5.json"

// TestSARIFSchema validates our SARIF output against the OASIS SARIF 2.1.0
// JSON schema, which scripts/install-test-assets takes from the npm
// registry (SYNCDOCTOR_SARIF_SCHEMA). Missing, the test skips, and fails
// under CI.
func TestSARIFSchema(t *testing.T) {
	path := os.Getenv("SYNCDOCTOR_SARIF_SCHEMA")
	if path == "" {
		home, _ := os.UserHomeDir()
		path = filepath.Join(home, ".cache", "syncdoctor", "sarif", "sarif-schema-2.1.0.json")
	}
	f, err := os.Open(path)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("SARIF schema not found at %s (run scripts/install-test-assets)", path)
		}
		t.Skipf("SARIF schema not found at %s; run scripts/install-test-assets", path)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noFetch{})
	if err := c.AddResource(sarifSchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(sarifSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		res  *Result
	}{
		{name: "findings", res: fixture()},
		{name: "clean", res: cleanResult()},
	} {
		var buf bytes.Buffer
		rep, err := New("sarif", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := rep.Report(&buf, tc.res); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: SARIF output does not match the SARIF 2.1.0 schema:\n%v", tc.name, err)
		}
	}
	// The schema must be able to say no: a result level SARIF does not
	// define is rejected.
	bad := map[string]any{"version": "2.1.0", "runs": []any{map[string]any{
		"tool":    map[string]any{"driver": map[string]any{"name": "x"}},
		"results": []any{map[string]any{"level": "loud", "message": map[string]any{"text": "m"}}},
	}}}
	if err := schema.Validate(bad); err == nil {
		t.Error("a result with level \"loud\" passed the schema")
	}
}

// noFetch refuses every URL: the schema must validate from the one file.
type noFetch struct{}

func (noFetch) Load(url string) (any, error) {
	return nil, errors.New("not fetching " + url)
}
