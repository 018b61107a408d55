package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/pipeline"
)

// TestCRDDirs: the ignore-rule-dead fixture without its CRD in the
// checkout, and in a group the operator catalog does not know, so
// crd-default-drift needs the CRD: it reports the ExternalSecret only when
// --crds names a directory that holds it.
func TestCRDDirs(t *testing.T) {
	root := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "testdata", "repos", "ignore-rule-dead"), root, strings.NewReplacer())
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(p, []byte(strings.ReplaceAll(string(b), "external-secrets.io", "secrets.acme.example")), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	crd := filepath.Join("secrets", "crds", "external-secrets.io_externalsecrets.yaml")
	data, err := os.ReadFile(filepath.Join(root, crd))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(root, "secrets", "crds")); err != nil {
		t.Fatal(err)
	}
	// A second document that is not a CRD must be skipped.
	data = append([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n"), data...)
	if err := os.WriteFile(filepath.Join(outside, "eso.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	inCheckout := filepath.Join(root, "vendor-crds")
	if err := os.MkdirAll(inCheckout, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inCheckout, "eso.yml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dirs    []string
		want    int
		wantErr string
	}{
		{name: "none", want: 0},
		{name: "absolute", dirs: []string{outside}, want: 1},
		{name: "checkout-relative", dirs: []string{"vendor-crds"}, want: 1},
		{name: "missing", dirs: []string{"nope"}, wantErr: "--crds nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run, err := pipeline.Offline(context.Background(), pipeline.Options{
				Root: root, Offline: true, Checks: []string{"crd-default-drift"}, CRDDirs: tc.dirs,
			})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, f := range run.Result.Findings {
				if f.Check == "crd-default-drift" {
					got++
					if f.Object.Name != "search-api-key" {
						t.Errorf("finding for %s", f.Object)
					}
				}
			}
			if got != tc.want {
				t.Errorf("crd-default-drift findings = %d, want %d", got, tc.want)
			}
		})
	}
}
