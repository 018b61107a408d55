package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRepo writes a tiny GitOps repo: one chart, two environments, one of
// which points at a value file that does not exist.
func writeRepo(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		".syncdoctor.yaml":             "repos:\n  - url: https://git.example.com/acme/apps.git\n    dir: .\n",
		"charts/web/Chart.yaml":        "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"charts/web/values.yaml":       "replicas: 1\n",
		"charts/web/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  replicas: {{ .Values.replicas | quote }}\n",
		"envs/dev.yaml":                "replicas: 2\n",
		"apps/dev/web.yaml":            app("web-dev", "../../envs/dev.yaml"),
		"apps/prod/web.yaml":           app("web-prod", "../../envs/prod.yaml"),
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func app(name, valueFile string) string {
	return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ` + name + `
  namespace: argocd
spec:
  source:
    repoURL: https://git.example.com/acme/apps.git
    path: charts/web
    helm:
      valueFiles:
        - ` + valueFile + `
  destination:
    namespace: web
`
}

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, Streams{Out: &out, Err: &errb})
	return out.String(), errb.String(), code
}

func TestCommands(t *testing.T) {
	repo := writeRepo(t)
	cases := []struct {
		name      string
		args      []string
		wantCode  int
		wantOut   []string
		wantErr   []string
		wantNoOut bool
	}{
		{name: "version", args: []string{"version"}, wantCode: ExitOK, wantOut: []string{"syncdoctor "}},
		{name: "help", args: []string{"--help"}, wantCode: ExitOK, wantOut: []string{"check", "explain"}},
		{name: "checks", args: []string{"checks"}, wantCode: ExitOK, wantOut: []string{"ID", "render-error", "offline"}},
		{name: "explain", args: []string{"explain", "render-error"}, wantCode: ExitOK, wantOut: []string{"# render-error (error)"}},
		{name: "explain unknown", args: []string{"explain", "nope"}, wantCode: ExitUsage, wantErr: []string{`unknown check "nope"`, "render-error"}, wantNoOut: true},
		{name: "unknown flag", args: []string{"check", "--nope"}, wantCode: ExitUsage, wantErr: []string{"unknown flag"}},
		{name: "bad format", args: []string{"check", repo, "-o", "yaml"}, wantCode: ExitUsage, wantErr: []string{`unknown format "yaml"`}},
		{name: "two stdout formats", args: []string{"check", repo, "-o", "json", "-o", "text"}, wantCode: ExitUsage, wantErr: []string{"at most one format"}},
		{name: "bad fail-on", args: []string{"check", repo, "--fail-on", "loud"}, wantCode: ExitUsage, wantErr: []string{"--fail-on"}},
		{name: "missing dir", args: []string{"check", filepath.Join(repo, "nope")}, wantCode: ExitUsage, wantErr: []string{"not a readable directory"}},
		{
			name: "findings fail the run", args: []string{"check", repo, "--color", "never"}, wantCode: ExitFindings,
			wantOut: []string{"apps/prod/web.yaml:12:11", "render-error", "value file envs/prod.yaml of web-prod does not exist", "web-prod"},
		},
		{name: "fail-on none", args: []string{"check", repo, "--fail-on", "none"}, wantCode: ExitOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := run(t, c.args...)
			if code != c.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.wantCode, out, errOut)
			}
			for _, w := range c.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range c.wantErr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if c.wantNoOut && out != "" {
				t.Errorf("unexpected stdout:\n%s", out)
			}
		})
	}
}

func TestCheckJSONAndFiles(t *testing.T) {
	repo := writeRepo(t)
	sarif := filepath.Join(t.TempDir(), "out.sarif")
	out, errOut, code := run(t, "check", repo, "-o", "json", "-o", "sarif="+sarif)
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		SchemaVersion int `json:"schemaVersion"`
		Targets       []struct {
			App, Env string
			Objects  int
			Error    string
		}
		Findings []struct {
			Check    string
			Env      string
			Location struct {
				File string
				Line int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if doc.SchemaVersion != 1 || len(doc.Targets) != 2 {
		t.Fatalf("doc %+v", doc)
	}
	byEnv := map[string]int{}
	for _, tg := range doc.Targets {
		byEnv[tg.Env] = tg.Objects
	}
	if byEnv["dev"] != 1 || byEnv["prod"] != 0 {
		t.Errorf("objects per env %v", byEnv)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].Check != "render-error" || doc.Findings[0].Env != "prod" ||
		doc.Findings[0].Location.File != "apps/prod/web.yaml" || doc.Findings[0].Location.Line != 12 {
		t.Errorf("findings %+v", doc.Findings)
	}
	data, err := os.ReadFile(sarif)
	if err != nil || !bytes.Contains(data, []byte(`"ruleId": "render-error"`)) {
		t.Errorf("sarif file: %v\n%s", err, data)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(sarif), ".*tmp*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}
