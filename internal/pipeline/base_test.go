package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
)

// baseRepo is a checkout in a sub-directory ("gitops") of its git work
// tree, as examples/gitops-demo is inside this repository.
var baseRepo = map[string]string{
	"README.md": "not part of the checkout\n",
	"gitops/.syncdoctor.yaml": `repos:
  - url: https://github.com/acme/billing.git
    dir: .
`,
	"gitops/apps/billing.yaml": `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: billing
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/acme/billing.git
    targetRevision: main
    path: charts/billing
  destination:
    server: https://kubernetes.default.svc
    namespace: billing
  syncPolicy:
    automated: {}
`,
	"gitops/charts/billing/Chart.yaml":  "apiVersion: v2\nname: billing\nversion: 1.0.0\n",
	"gitops/charts/billing/values.yaml": "image: acme/billing:1.0\nmigrations: 41\n",
	"gitops/charts/billing/templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
spec:
  selector:
    matchLabels: {app: billing}
  template:
    metadata:
      labels: {app: billing}
    spec:
      containers:
        - name: billing
          image: {{ .Values.image }}
`,
	"gitops/charts/billing/templates/migrate.yaml": `apiVersion: batch/v1
kind: Job
metadata:
  name: billing-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: acme/migrate:1.0
          args: ["--to", "{{ .Values.migrations }}"]
`,
}

// commitFiles writes files into the work tree of r and commits them all.
func commitFiles(t *testing.T, r *git.Repository, top string, files map[string]string, msg string) string {
	t.Helper()
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		p := filepath.Join(top, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := wt.Add(name); err != nil {
			t.Fatal(err)
		}
	}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(1700000000, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

func TestBaseRevision(t *testing.T) {
	tests := []struct {
		name    string
		change  map[string]string // committed on top of baseRepo
		base    func(first string) string
		wantErr string
		want    []string // "file:line message-substring" of hook-wont-run findings
	}{
		{
			name:   "only the hook changed",
			change: map[string]string{"gitops/charts/billing/values.yaml": "image: acme/billing:1.0\nmigrations: 42\n"},
			base:   func(first string) string { return first },
			want:   []string{"charts/billing/templates/migrate.yaml:6 PreSync hook Job/billing-migrate changed since the base revision"},
		},
		{
			name:   "the deployment changed too",
			change: map[string]string{"gitops/charts/billing/values.yaml": "image: acme/billing:1.1\nmigrations: 42\n"},
			base:   func(first string) string { return first },
		},
		{
			name:   "nothing changed in the checkout",
			change: map[string]string{"README.md": "edited\n"},
			base:   func(first string) string { return first },
		},
		{
			name:    "unknown revision",
			change:  map[string]string{"README.md": "edited\n"},
			base:    func(string) string { return "no-such-branch" },
			wantErr: "--base no-such-branch",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := t.TempDir()
			r, err := git.PlainInit(top, false)
			if err != nil {
				t.Fatal(err)
			}
			first := commitFiles(t, r, top, baseRepo, "first")
			commitFiles(t, r, top, tt.change, "second")
			run, err := pipeline.Offline(context.Background(), pipeline.Options{
				Root: filepath.Join(top, "gitops"), Offline: true, Base: tt.base(first), Checks: []string{"hook-wont-run"},
			})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, pipeline.ErrBase) {
					t.Fatalf("err = %v, want ErrBase naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(run.Input.Base) == 0 {
				t.Fatal("no base renders")
			}
			var got []string
			for _, f := range run.Result.Findings {
				if f.Check != "hook-wont-run" {
					continue
				}
				got = append(got, f.Location.String()+" "+f.Message)
				if !strings.Contains(fmtEvidence(f.Evidence), "/spec/template/spec/containers/0/args/1") ||
					!strings.Contains(fmtEvidence(f.Evidence), "no non-hook resource changed") || len(f.Fixes) != 1 {
					t.Errorf("evidence or fix missing: %+v", f)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("findings = %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("finding %d = %q, want prefix %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestBaseNotGit(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".syncdoctor.yaml"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := pipeline.Offline(context.Background(), pipeline.Options{Root: dir, Base: "HEAD~1"})
	if !errors.Is(err, pipeline.ErrBase) || !strings.Contains(err.Error(), "HEAD~1") {
		t.Fatalf("err = %v, want ErrBase naming HEAD~1", err)
	}
}

func fmtEvidence(ev []finding.Evidence) string {
	var b strings.Builder
	for _, e := range ev {
		b.WriteString(e.Label + ": " + e.Value + "\n")
	}
	return b.String()
}
