package discover

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzTerraform feeds arbitrary bytes to the Terraform extractor as a
// module's .tf file (beside a valid Application resource and a tfvars
// file made of the same bytes); it must never panic, and every problem it
// reports must name a file.
func FuzzTerraform(f *testing.F) {
	f.Add([]byte(`resource "kubernetes_manifest" "app" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Application"
    metadata   = { name = var.name, namespace = "argocd" }
    spec       = { source = { repoURL = local.repo, path = "charts/${var.name}" } }
  }
}
variable "name" { default = "web" }
locals { repo = "https://git.example.com/x.git" }
`))
	f.Add([]byte(`resource "kubernetes_manifest" "a" { manifest = yamldecode(file("${path.module}/../../../etc/passwd")) }`))
	f.Add([]byte(`resource "kubernetes_manifest" "a" { for_each = toset(["a","b"]) manifest = { kind = each.key } }`))
	f.Add([]byte("variable \"x\" {\n  default = ${{{\n}\n"))
	f.Add([]byte(`resource "kubernetes_manifest" "a" { count = 1000000000 manifest = { kind = "Application" } }`))
	// A hostile input that used to hang discovery (the others, in
	// TestTerraformHostile, are too big for seeds: the fuzzer would spend
	// its time minimizing their mutations).
	f.Add([]byte("locals { x = indent(999999999, \"a\\nb\") }\nresource \"kubernetes_manifest\" \"a\" { manifest = { kind = local.x } }\n"))
	// One directory for every input (the fuzz function runs one input at
	// a time): a temporary directory per input made each run mostly file
	// system work, and every run counts while the fuzzer minimizes an
	// input, thousands of runs without progress on the exec counter.
	root := f.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "tf"), 0o755); err != nil {
		f.Fatal(err)
	}
	app := "resource \"kubernetes_manifest\" \"ok\" {\n  manifest = {\n    apiVersion = \"argoproj.io/v1alpha1\"\n    kind = \"Application\"\n    metadata = { name = \"ok\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(root, "tf", "app.tf"), []byte(app), 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"main.tf", "terraform.tfvars"} {
			if err := os.WriteFile(filepath.Join(root, "tf", name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Discover(context.Background(), Options{Root: root, LocalDir: func(string) (string, bool) { return "", true }})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Problems {
			if p.Location.File == "" {
				t.Errorf("problem without a file: %+v", p)
			}
		}
	})
}
