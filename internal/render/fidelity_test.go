package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syncdoctor/syncdoctor/internal/render/helmcli"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/testutil/gomod"
)

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
	// The module cache is read-only; let t.TempDir clean up and edits work.
	_ = filepath.Walk(to, func(p string, fi os.FileInfo, err error) error {
		if err == nil {
			_ = os.Chmod(p, fi.Mode()|0o200)
		}
		return nil
	})
}

func writeFile(t testing.TB, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFidelityWithHelmCLI renders charts in-process and with the real
// `helm template` of the same Helm version and requires the same
// documents, keyed by `# Source:` path and index.
func TestFidelityWithHelmCLI(t *testing.T) {
	bin := helmcli.Binary(t)
	tests := []struct {
		name    string
		prepare func(t *testing.T, root string) (chartDir, cliChartDir string)
		values  string
		ns      string
	}{
		{
			name: "fixture web chart",
			prepare: func(t *testing.T, root string) (string, string) {
				copyDir(t, filepath.Join(testRoot(t), "charts"), filepath.Join(root, "charts"))
				// The CLI needs the file:// library vendored, as `helm dependency build` would.
				copyDir(t, filepath.Join(root, "charts/web"), filepath.Join(root, "cli/web"))
				copyDir(t, filepath.Join(root, "charts/lib"), filepath.Join(root, "cli/web/charts/lib"))
				return "charts/web", "cli/web"
			},
			values: "replicas: 3\ncron:\n  enabled: true\ntags:\n  batch: true\nglobal:\n  team: search\n",
			ns:     "web",
		},
		{
			name: "metrics-server",
			prepare: func(t *testing.T, root string) (string, string) {
				copyDir(t, filepath.Join(gomod.Download(t, "sigs.k8s.io/metrics-server@v0.8.0"), "charts/metrics-server"), filepath.Join(root, "ms"))
				return "ms", "ms"
			},
			values: "replicas: 2\nargs: [--kubelet-insecure-tls]\npodDisruptionBudget:\n  enabled: true\n  minAvailable: 1\nserviceMonitor:\n  enabled: true\n",
			ns:     "kube-system",
		},
		{
			name: "external-secrets",
			prepare: func(t *testing.T, root string) (string, string) {
				dir := filepath.Join(root, "eso")
				copyDir(t, filepath.Join(gomod.Download(t, "github.com/external-secrets/external-secrets@v0.16.2"), "deploy/charts/external-secrets"), dir)
				// Vendor the (disabled) OCI dependency as packaging would.
				writeFile(t, filepath.Join(dir, "charts/bitwarden-sdk-server/Chart.yaml"), "apiVersion: v2\nname: bitwarden-sdk-server\nversion: v0.3.1\n")
				return "eso", "eso"
			},
			values: "installCRDs: true\nserviceMonitor:\n  enabled: true\nwebhook:\n  create: true\ncertController:\n  create: true\n",
			ns:     "external-secrets",
		},
		{
			name: "cert-manager",
			prepare: func(t *testing.T, root string) (string, string) {
				dir := filepath.Join(root, "cm")
				copyDir(t, filepath.Join(gomod.Download(t, "github.com/cert-manager/cert-manager@v1.21.2"), "deploy/charts/cert-manager"), dir)
				// The release tool stamps the version into Chart.yaml.
				data, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
				if err != nil {
					t.Fatal(err)
				}
				data = bytes.ReplaceAll(data, []byte("version: v0.0.0"), []byte("version: v1.21.2"))
				writeFile(t, filepath.Join(dir, "Chart.yaml"), string(data))
				return "cm", "cm"
			},
			values: "crds:\n  enabled: true\nreplicaCount: 2\nprometheus:\n  servicemonitor:\n    enabled: true\n",
			ns:     "cert-manager",
		},
	}
	const kube = "1.33.1"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			chartDir, cliChartDir := tc.prepare(t, root)
			writeFile(t, filepath.Join(root, "values/env.yaml"), tc.values)

			r := New(Options{Root: root, KubeVersion: kube, APIVersions: []string{"monitoring.coreos.com/v1"}, Offline: true})
			res, err := r.Render(context.Background(), &target.Target{
				Kind: target.SourceHelm, Dir: chartDir, ValueFiles: []string{"values/env.yaml"},
				ReleaseName: "my-release", Namespace: tc.ns,
			})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]any{}
			for _, o := range res.Objects {
				got[fmt.Sprintf("%s#%d", o.Source, o.Doc)] = o.Content
			}

			out, err := helmcli.Run(t, bin, root, "template", "my-release", filepath.Join(root, cliChartDir),
				"--namespace", tc.ns, "--kube-version", kube, "--api-versions", "monitoring.coreos.com/v1",
				"--include-crds", "--values", filepath.Join(root, "values/env.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := helmcli.Docs(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) < 3 {
				t.Fatalf("helm template produced only %d documents", len(want))
			}
			if diff := cmp.Diff(helmcli.Normal(want), helmcli.Normal(got)); diff != "" {
				t.Errorf("in-process render differs from helm template (-cli +ours):\n%s", diff)
			}
			t.Logf("%d documents identical", len(want))
		})
	}
}
