package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/cli"
	"github.com/syncdoctor/syncdoctor/internal/live/livetest"
)

// testLiveCLI runs `syncdoctor live` in-process as a user would: against
// the envtest kubeconfig, then against a server nobody listens on.
func testLiveCLI(t *testing.T, env *livetest.Env) {
	base := filepath.Join(t.TempDir(), "baseline.json")
	t.Run("json findings exit 1", func(t *testing.T) {
		out, errOut, code := runCLI(t, "live", "--kubeconfig", env.Kubeconfig, "--repo", liveRepo, "-o", "json", "--write-baseline", base)
		if code != cli.ExitFindings {
			t.Fatalf("exit %d, want %d\nstderr:\n%s", code, cli.ExitFindings, errOut)
		}
		var doc struct {
			Findings []struct {
				Check, Severity, App string
				Object               struct{ Kind, Namespace, Name string }
				Location             *struct {
					File string
					Line int
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("json: %v\n%s", err, out)
		}
		var got []string
		for _, f := range doc.Findings {
			got = append(got, f.Check+" "+f.App+" "+f.Object.Kind+"/"+f.Object.Name)
			if f.Check == "hpa-scale-down" && (f.Location == nil || f.Location.File != "manifests/api/hpa.yaml") {
				t.Errorf("hpa-scale-down location = %+v, want the checkout's manifests/api/hpa.yaml", f.Location)
			}
		}
		slices.Sort(got)
		want := []string{
			"hook-not-run web Job/db-migrate",
			"hpa-scale-down api HorizontalPodAutoscaler/api",
			"out-of-sync metrics-server APIService/v1beta1.metrics.k8s.io",
			"out-of-sync shop-secrets ExternalSecret/db-credentials",
			"out-of-sync webhooks MutatingWebhookConfiguration/policy-defaults",
			"stale-pod-config web Deployment/web",
		}
		if !slices.Equal(got, want) {
			t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("baseline suppresses them", func(t *testing.T) {
		if _, err := os.Stat(base); err != nil {
			t.Skipf("no baseline written: %v", err)
		}
		out, errOut, code := runCLI(t, "live", "--kubeconfig", env.Kubeconfig, "--repo", liveRepo, "-o", "json", "--baseline", base)
		if code != cli.ExitOK {
			t.Fatalf("exit %d, want %d with every finding in the baseline\nstdout:\n%s\nstderr:\n%s", code, cli.ExitOK, out, errOut)
		}
		if !strings.Contains(out, `"suppressed": 6`) {
			t.Errorf("want 6 suppressed findings:\n%s", out)
		}
	})

	t.Run("unreachable cluster exit 2", func(t *testing.T) {
		kc := filepath.Join(t.TempDir(), "kubeconfig")
		data := `apiVersion: v1
kind: Config
clusters: [{name: gone, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: gone, user: {token: not-a-secret}}]
contexts: [{name: gone, context: {cluster: gone, user: gone}}]
current-context: gone
`
		if err := os.WriteFile(kc, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := runCLI(t, "live", "--kubeconfig", kc, "--repo", liveRepo, "-o", "json")
		if code != cli.ExitUsage {
			t.Errorf("exit %d, want %d", code, cli.ExitUsage)
		}
		for _, w := range []string{"cannot reach the cluster", "https://127.0.0.1:1", "connection refused"} {
			if !strings.Contains(errOut, w) {
				t.Errorf("stderr lacks %q:\n%s", w, errOut)
			}
		}
		if out != "" {
			t.Errorf("no report is written when nothing could be read; stdout:\n%s", out)
		}
	})
}

// runCLI runs syncdoctor in-process with its own chart cache.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cache := t.TempDir()
	var out, errb bytes.Buffer
	code = cli.Main(context.Background(), args, cli.Streams{
		Out: &out, Err: &errb,
		Getenv: func(k string) string {
			if k == "SYNCDOCTOR_CACHE" {
				return cache
			}
			return ""
		},
	})
	return out.String(), errb.String(), code
}
