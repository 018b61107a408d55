package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// TestBase runs check --base: a hook changed in the last commit while
// nothing else did is reported against HEAD~1; a revision that does not
// exist, or a checkout outside git, is a usage error naming the revision.
func TestBase(t *testing.T) {
	root := writeRepo(t)
	hook := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: web-seed\n  annotations:\n    argocd.argoproj.io/hook: PostSync\n" +
		"spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: seed\n          image: acme/seed:{{ .Values.seed }}\n"
	commit := func(files map[string]string) {
		t.Helper()
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := git.PlainOpen(root)
		if err != nil {
			t.Fatal(err)
		}
		wt, err := r.Worktree()
		if err != nil {
			t.Fatal(err)
		}
		if err := wt.AddGlob("."); err != nil {
			t.Fatal(err)
		}
		if _, err := wt.Commit("c", &git.CommitOptions{Author: &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(1700000000, 0)}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := git.PlainInit(root, false); err != nil {
		t.Fatal(err)
	}
	commit(map[string]string{"charts/web/templates/seed.yaml": hook, "charts/web/values.yaml": "replicas: 1\nseed: \"1\"\n"})
	commit(map[string]string{"charts/web/values.yaml": "replicas: 1\nseed: \"2\"\n"})

	out, stderr, code := run(t, "check", root, "--base", "HEAD~1", "--check", "hook-wont-run", "--color", "never")
	if code != ExitFindings || !strings.Contains(out, "charts/web/templates/seed.yaml:6") || !strings.Contains(out, "PostSync hook Job/web-seed changed since the base revision") {
		t.Fatalf("--base HEAD~1: exit %d\n%s%s", code, out, stderr)
	}
	if out, _, code := run(t, "check", root, "--base", "HEAD", "--check", "hook-wont-run"); code != ExitOK {
		t.Errorf("--base HEAD: exit %d, want %d\n%s", code, ExitOK, out)
	}
	if _, stderr, code := run(t, "check", root, "--base", "nope-rev"); code != ExitUsage || !strings.Contains(stderr, "--base nope-rev") {
		t.Errorf("unknown revision: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := run(t, "check", t.TempDir(), "--base", "HEAD"); code != ExitUsage || !strings.Contains(stderr, "--base HEAD") {
		t.Errorf("not a git repository: exit %d, stderr %q", code, stderr)
	}
}
