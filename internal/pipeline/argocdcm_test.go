package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/config"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
)

// argocdCM is an argocd-cm whose system-level ignoreDifferences hide the
// status of every APIService, behind a document that is not argocd-cm.
const argocdCM = `apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-rbac-cm, namespace: argocd}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
data:
  resource.customizations.ignoreDifferences.apiregistration.k8s.io_APIService: |
    jsonPointers:
      - /status
`

// renderedCM is an argocd-cm the app itself deploys, which ignores the
// status of every kind: it hides the drift unless the file given with
// --argocd-cm (which models 2.14's default, status of CRDs only) wins.
const renderedCM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
data:
  resource.compareoptions: |
    ignoreResourceStatusField: all
`

// TestArgoCDCM: the server-field-drift-terraform fixture (an exported
// APIService status, compared under ArgoCD 2.14) reports the status
// unless an argocd-cm named by --argocd-cm or argocdCM ignores it; a file
// in the checkout named by neither is not read.
func TestArgoCDCM(t *testing.T) {
	root := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "testdata", "repos", "server-field-drift-terraform"), root, strings.NewReplacer())
	write := func(rel, body string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("argocd/argocd-cm.yaml", argocdCM)
	// A ConfigMap the flag names that has no diff customizations: 2.14's
	// default (status of CRDs only) applies, as in a cluster without any.
	write("argocd/plain.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm, namespace: argocd}\ndata: {}\n")
	write("argocd/rbac.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-rbac-cm}\n")
	write("argocd/two.yaml", argocdCM+"---\n"+renderedCM)
	write("argocd/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm}\ndata:\n  resource.customizations.ignoreDifferences.a_b_c: x\n")
	outside := filepath.Join(t.TempDir(), "cm.yaml")
	if err := os.WriteFile(outside, []byte(argocdCM), 0o644); err != nil {
		t.Fatal(err)
	}
	base, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	withKey := *base
	withKey.ArgoCDCM = "argocd/argocd-cm.yaml"

	tests := []struct {
		name     string
		flag     string
		cfg      *config.Config
		rendered bool // the app also renders renderedCM
		want     int
		wantErr  string
	}{
		{name: "none: the file in the checkout is not read", want: 1},
		{name: "flag", flag: "argocd/argocd-cm.yaml", want: 0},
		{name: "flag absolute", flag: outside, want: 0},
		{name: "config key", cfg: &withKey, want: 0},
		{name: "rendered argocd-cm", rendered: true, want: 0},
		{name: "flag wins over rendered", flag: "argocd/plain.yaml", rendered: true, want: 1},
		{name: "no argocd-cm in file", flag: "argocd/rbac.yaml", wantErr: "--argocd-cm argocd/rbac.yaml: no ConfigMap named argocd-cm"},
		{name: "two argocd-cm", flag: "argocd/two.yaml", wantErr: "--argocd-cm argocd/two.yaml: 2 ConfigMaps named argocd-cm (lines 5 and 15)"},
		{name: "unparsable", flag: "argocd/broken.yaml", wantErr: "--argocd-cm argocd/broken.yaml:1: argocd-cm"},
		{name: "missing", flag: "argocd/nope.yaml", wantErr: "--argocd-cm argocd/nope.yaml"},
		{name: "config key missing", cfg: &config.Config{Repos: base.Repos, ArgoCDVersion: "2.14", ArgoCDCM: "nope.yaml", File: ".syncdoctor.yaml"}, wantErr: ".syncdoctor.yaml argocdCM nope.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmPath := filepath.Join(root, "adapter", "argocd-cm.yaml")
			if tc.rendered {
				write("adapter/argocd-cm.yaml", renderedCM)
				defer os.Remove(cmPath)
			}
			run, err := pipeline.Offline(context.Background(), pipeline.Options{
				Root: root, Offline: true, Checks: []string{"server-field-drift"}, ArgoCDCM: tc.flag, Config: tc.cfg,
			})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, f := range run.Result.Findings {
				if f.Check == "server-field-drift" {
					got++
				}
			}
			if got != tc.want {
				t.Errorf("server-field-drift findings = %d, want %d", got, tc.want)
			}
		})
	}
}
