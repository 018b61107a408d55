package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixableRepo is one chart and one environment whose value file sets a
// key no template reads: values-unused proposes deleting it.
func fixableRepo(t *testing.T) string {
	t.Helper()
	root := writeRepo(t)
	if err := os.Remove(filepath.Join(root, "apps/prod/web.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "envs/dev.yaml"), []byte("replicas: 2\n# nobody reads this\nunusedKey: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestFixCommand(t *testing.T) {
	cases := []struct {
		name     string
		repo     func(*testing.T) string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
		wantFile string // content of envs/dev.yaml afterwards, when set
	}{
		{name: "dry run prints the diff and writes nothing", repo: fixableRepo, args: []string{"--dry-run"}, wantCode: ExitOK,
			wantOut:  []string{"--- a/envs/dev.yaml", "-unusedKey: 1"},
			wantFile: "replicas: 2\n# nobody reads this\nunusedKey: 1\n"},
		{name: "fix applies and re-checks", repo: fixableRepo, wantCode: ExitOK,
			wantOut: []string{"fixed envs/dev.yaml", "0 findings still open"}, wantFile: "replicas: 2\n"},
		{name: "open findings exit 1", repo: writeRepo, wantCode: ExitFindings, wantOut: []string{"still open"}},
		{name: "bad flag", repo: writeRepo, args: []string{"--nope"}, wantCode: ExitUsage, wantErr: []string{"unknown flag"}},
		{name: "two dirs", repo: writeRepo, args: []string{"x"}, wantCode: ExitUsage, wantErr: []string{"accepts at most 1 arg"}},
		{name: "missing dir", repo: func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope") }, wantCode: ExitUsage, wantErr: []string{"not a readable directory"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			repo := tc.repo(t)
			args := append([]string{"fix", repo, "--offline"}, tc.args...)
			out, errOut, code := run(t, args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, out, errOut)
			}
			for _, s := range tc.wantOut {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
			if tc.wantFile != "" {
				got, _ := os.ReadFile(filepath.Join(repo, "envs/dev.yaml"))
				if string(got) != tc.wantFile {
					t.Errorf("envs/dev.yaml = %q, want %q", got, tc.wantFile)
				}
			}
		})
	}
}
