package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckArgoCDCM: `check --argocd-cm FILE` applies the file's
// system-level ignoreDifferences (the exported APIService status of the
// server-field-drift-terraform fixture stops drifting), and a file without
// argocd-cm is a usage error naming it.
func TestCheckArgoCDCM(t *testing.T) {
	repo := filepath.Join("..", "..", "testdata", "repos", "server-field-drift-terraform")
	dir := t.TempDir()
	cm := filepath.Join(dir, "cm.yaml")
	body := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm, namespace: argocd}\ndata:\n" +
		"  resource.customizations.ignoreDifferences.apiregistration.k8s.io_APIService: |\n    jsonPointers: [/status]\n"
	if err := os.WriteFile(cm, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(other, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-rbac-cm}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{name: "without", args: nil, wantCode: ExitFindings, wantOut: "server-field-drift"},
		{name: "with", args: []string{"--argocd-cm", cm}, wantCode: ExitOK, wantOut: "no findings"},
		{name: "no argocd-cm", args: []string{"--argocd-cm", other}, wantCode: ExitUsage, wantErr: "--argocd-cm " + other + ": no ConfigMap named argocd-cm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"check", repo, "--offline", "--check", "server-field-drift"}, tc.args...)
			out, errOut, code := run(t, args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.wantCode, out, errOut)
			}
			if !strings.Contains(out, tc.wantOut) || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", out, errOut, tc.wantOut, tc.wantErr)
			}
		})
	}
}
