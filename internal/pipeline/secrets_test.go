package pipeline_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/pipeline"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

// planted marks secret material in testdata/secrets: Secret data and
// stringData, the values and parameters that feed them, an unused value
// under a Secret-fed path, a tpl string in an error, and a broken Secret
// manifest. Its base64 form is what Secret data holds.
const (
	planted    = "PLANTED"
	planted64  = "UExBTlRFRC" // base64 of "PLANTED-" at an aligned start
	secretRepo = "testdata/secrets"
)

// TestSecretsNeverPrinted runs every check and every reporter over the
// fixture and scans everything a user can see: no planted string may
// appear, in the clear or base64-encoded.
func TestSecretsNeverPrinted(t *testing.T) {
	root, err := filepath.Abs(secretRepo)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run, err := pipeline.Offline(ctx, pipeline.Options{Root: root, Offline: true})
	if err != nil {
		if strings.Contains(err.Error(), planted) {
			t.Errorf("run error leaks a secret: %v", err)
		}
		t.Fatal(err)
	}
	scan := func(where, s string) {
		t.Helper()
		for _, p := range []string{planted, planted64} {
			if i := strings.Index(s, p); i >= 0 {
				lo, hi := max(0, i-80), min(len(s), i+40)
				t.Errorf("%s shows secret material: …%s…", where, s[lo:hi])
			}
		}
	}
	if len(run.Result.Findings) == 0 {
		t.Fatal("no findings: the fixture must put secrets in findings' neighbourhoods")
	}
	for _, ts := range run.Result.Targets {
		scan("target "+ts.App+" error", ts.Error)
	}
	for _, r := range run.Input.Targets {
		if r.Err != nil {
			scan("render error of "+r.Target.App.Name(), r.Err.Error())
		}
	}
	for _, name := range report.Names() {
		rep, err := report.New(name, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := rep.Report(&buf, run.Result); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		scan(name+" report", buf.String())
	}
	checks := map[string]int{}
	for _, f := range run.Result.Findings {
		checks[f.Check]++
	}
	t.Logf("findings by check: %v", checks)
	for _, f := range run.Result.Findings {
		t.Logf("%s %s:%d %s", f.Check, f.Location.File, f.Location.Line, f.Message)
	}
}
