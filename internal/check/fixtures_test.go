package check_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
	"github.com/syncdoctor/syncdoctor/internal/testutil/want"
)

// pendingChecks are check IDs fixtures may already expect although the
// check is still being built (DESIGN.md §2 and the open issues). Their
// wants are logged, not enforced; once a check registers, its wants bind.
// An ID in neither the registry nor this list is a typo and fails.
var pendingChecks = []string{
	"resource-not-rendered", "hook-wont-run", "config-rollout", "server-field-drift",
	"crd-default-drift", "ignore-rule-dead", "ignore-rule-broad", "render-nondeterministic",
	"hpa-scale-down", "replicas-hpa-fight", "hpa-pdb-conflict", "values-unused",
	"hook-not-run", "stale-pod-config",
}

// fixtureRoots are the directories whose sub-directories are fixture repos.
var fixtureRoots = []string{"../../testdata/repos", "../../examples"}

// TestFixtures runs every registered check over every fixture repository
// through the same pipeline the CLI uses, and compares the findings with
// the `want` comments in the fixture: a want with no finding fails, and so
// does a finding with no want.
func TestFixtures(t *testing.T) {
	var dirs []string
	for _, root := range fixtureRoots {
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() && !strings.HasSuffix(e.Name(), ".golden") {
				dirs = append(dirs, filepath.Join(root, e.Name()))
			}
		}
	}
	if len(dirs) == 0 {
		t.Fatal("no fixture repositories found")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			wants := loadWants(t, dir)
			run, err := pipeline.Offline(context.Background(), pipeline.Options{Root: dir, Offline: true})
			if err != nil {
				t.Fatalf("pipeline: %v", err)
			}
			for _, msg := range compare(wants, run.Result.Findings) {
				t.Error(msg)
			}
		})
	}
}

// loadWants returns the binding wants of one fixture.
func loadWants(t *testing.T, dir string) []want.Want {
	t.Helper()
	var keep []want.Want
	for _, w := range parseWants(t, dir) {
		switch _, registered := check.Lookup(w.Check); {
		case registered:
			keep = append(keep, w)
		case slices.Contains(pendingChecks, w.Check):
			t.Logf("%s:%d: pending want for %s (check not built yet)", w.File, w.Line, w.Check)
		default:
			t.Errorf("%s:%d: want names unknown check %q", w.File, w.Line, w.Check)
		}
	}
	return keep
}

// allWants parses the wants of every fixture under root.
func allWants(t *testing.T, root string) []want.Want {
	t.Helper()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var out []want.Want
	for _, e := range entries {
		if e.IsDir() && !strings.HasSuffix(e.Name(), ".golden") {
			out = append(out, parseWants(t, filepath.Join(root, e.Name()))...)
		}
	}
	return out
}

// parseWants reads every want comment and want.txt line of one fixture.
func parseWants(t *testing.T, dir string) []want.Want {
	t.Helper()
	var out []want.Want
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var ws []want.Want
		if rel == "want.txt" {
			ws, err = want.ParseSidecar(rel, data)
		} else {
			ws, err = want.ParseFile(rel, data)
		}
		if err != nil {
			return err
		}
		out = append(out, ws...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// compare matches wants and findings on (file, line, check, env) and
// returns one `file:line: ...` message per mismatch.
func compare(wants []want.Want, findings []finding.Finding) []string {
	var msgs []string
	used := make([]bool, len(findings))
	for _, w := range wants {
		matched := false
		for i := range findings {
			f := &findings[i]
			if !sameSpot(w, f) {
				continue
			}
			if len(w.Envs) > 0 && !slices.Contains(w.Envs, f.Env) {
				continue // reported below as unexpected unless another want covers it
			}
			if w.Message != nil && !w.Message.MatchString(f.Message) {
				continue
			}
			used[i], matched = true, true
		}
		if !matched {
			msgs = append(msgs, fmt.Sprintf("%s:%d: no %s finding%s%s", w.File, w.Line, w.Check, envSuffix(w.Envs), msgSuffix(w)))
		}
	}
	for i, f := range findings {
		if !used[i] {
			at := f.Location.String()
			if at == "" {
				at = "object " + f.Object.String()
			}
			msgs = append(msgs, fmt.Sprintf("%s: unexpected %s finding (app %s, env %s): %s", at, f.Check, f.App, f.Env, f.Message))
		}
	}
	return msgs
}

func sameSpot(w want.Want, f *finding.Finding) bool {
	if w.Check != f.Check {
		return false
	}
	if w.Object != "" {
		return f.Location.IsZero() && f.Object.String() == w.Object
	}
	return f.Location.File == w.File && f.Location.Line == w.Line
}

func envSuffix(envs []string) string {
	if len(envs) == 0 {
		return ""
	}
	return " in " + strings.Join(envs, ",")
}

func msgSuffix(w want.Want) string {
	if w.Message == nil {
		return ""
	}
	return fmt.Sprintf(" matching %q", w.Message)
}
