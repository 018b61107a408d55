package check_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/fix"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
	"github.com/syncdoctor/syncdoctor/internal/testutil/golden"
)

// TestFixedState is the fixed-state step of STYLE.md §5.4: every fixture
// with a NAME.golden/ directory is copied to a temporary directory, each
// finding's first machine-applicable fix is applied through internal/fix
// (the code path of `syncdoctor fix`), every changed file must equal its
// golden (and every golden must belong to a changed file), and a second
// run must find nothing but the findings that had no machine-applicable
// fix. With -update the goldens are rewritten.
func TestFixedState(t *testing.T) {
	for _, root := range fixtureRoots {
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() || strings.HasSuffix(e.Name(), ".golden") {
				continue
			}
			dir := filepath.Join(root, e.Name())
			t.Run(e.Name(), func(t *testing.T) {
				goldDir := dir + ".golden"
				if _, err := os.Stat(goldDir); err != nil {
					t.Skipf("no %s: not a fix test", filepath.Base(goldDir))
				}
				t.Parallel()
				fixedState(t, dir, goldDir)
			})
		}
	}
}

func fixedState(t *testing.T, dir, goldDir string) {
	ctx := context.Background()
	work := t.TempDir()
	copyTree(t, dir, work)
	run, err := pipeline.Offline(ctx, pipeline.Options{Root: work, Offline: true})
	if err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	plan, err := fix.Compute(work, run.Result.Findings)
	if err != nil {
		t.Fatalf("fix: %v", err)
	}
	if err := plan.Write(&fix.Writer{}); err != nil {
		t.Fatalf("fix: write: %v", err)
	}
	manual := map[string]bool{}
	for _, m := range plan.Manual {
		manual[m.Finding.Fingerprint()] = true
		t.Logf("%s: %s: manual fix (%s): %s", m.Finding.Location, m.Finding.Check, m.Reason, m.Finding.Message)
	}
	changed := map[string]bool{}
	for _, c := range plan.Changes {
		changed[c.File] = true
		golden.Assert(t, filepath.Join(goldDir, filepath.FromSlash(c.File)), c.New)
	}
	if !golden.Update() {
		for _, g := range goldenFiles(t, goldDir) {
			if !changed[g] {
				t.Errorf("%s: golden for a file the fixes did not change", g)
			}
		}
	}
	again, err := pipeline.Offline(ctx, pipeline.Options{Root: work, Offline: true})
	if err != nil {
		t.Fatalf("pipeline after fix: %v", err)
	}
	for _, f := range again.Result.Findings {
		if manual[f.Fingerprint()] || fix.Machine(&f) == nil {
			t.Logf("%s: %s open after fix, no machine-applicable fix: %s", at(&f), f.Check, f.Message)
			continue
		}
		t.Errorf("%s: %s still open after fix (app %s, env %s): %s", at(&f), f.Check, f.App, f.Env, f.Message)
	}
}

func at(f *finding.Finding) string {
	if s := f.Location.String(); s != "" {
		return s
	}
	return "object " + f.Object.String()
}

// goldenFiles lists the slash-separated files under dir.
func goldenFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// copyTree copies the regular files under src to dst, keeping modes.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		info, err := d.Info()
		if err != nil || !info.Mode().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, bytes.Clone(data), info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
