package discover

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/testutil/files"
)

// writeRepo writes files (checkout-relative path → content) under a fresh
// temporary directory and returns it.
func writeRepo(t testing.TB, fs map[string]string) string {
	t.Helper()
	return files.Tree(t, fs)
}

func run(t *testing.T, files map[string]string, opts Options) *Result {
	t.Helper()
	opts.Root = writeRepo(t, files)
	res, err := Discover(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// appSummary is "name@file:line origin" for compact comparisons.
func appSummary(r *Result) []string {
	var out []string
	for _, a := range r.Apps {
		out = append(out, fmt.Sprintf("%s@%s %s", a.Name(), a.Declared, a.Origin))
	}
	return out
}

// problemSummary is "check@file:line" for compact comparisons.
func problemSummary(r *Result) []string {
	var out []string
	for _, p := range r.Problems {
		l := p.Location
		l.Column = 0
		out = append(out, p.Check+"@"+l.String())
	}
	return out
}

const appDoc = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: %s
spec:
  project: default
  source:
    repoURL: https://example.com/repo.git
    path: charts/web
    helm:
      valueFiles:
        - values.yaml
        - values-prod.yaml
  destination:
    namespace: web
`

func TestDiscoverYAML(t *testing.T) {
	cases := []struct {
		name     string
		files    map[string]string
		opts     Options
		apps     []string
		problems []string
	}{
		{
			name: "multi-document file with other kinds",
			files: map[string]string{"apps/all.yaml": "# leading comment\n" +
				"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n" +
				fmt.Sprintf(appDoc, "one") + "---\n---\n" + fmt.Sprintf(appDoc, "two")},
			apps: []string{"one@apps/all.yaml:7:1 yaml", "two@apps/all.yaml:24:1 yaml"},
		},
		{
			name:  "CRLF line endings",
			files: map[string]string{"a.yaml": strings.ReplaceAll("---\n"+fmt.Sprintf(appDoc, "crlf"), "\n", "\r\n")},
			apps:  []string{"crlf@a.yaml:2:1 yaml"},
		},
		{
			name: "JSON file",
			files: map[string]string{"a.json": `{
  "apiVersion": "argoproj.io/v1alpha1",
  "kind": "Application",
  "metadata": {"name": "js"},
  "spec": {"destination": {"namespace": "x"}}
}`},
			apps: []string{"js@a.json:2:3 yaml"},
		},
		{
			name: "anchors and merge keys",
			files: map[string]string{"a.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: anch\n" +
				"spec:\n  source: &src\n    repoURL: r\n    path: p\n  sources:\n    - *src\n    - <<: *src\n      path: q\n"},
			apps: []string{"anch@a.yaml:1:1 yaml"},
		},
		{
			name: "broken YAML in a file that mentions ArgoCD",
			files: map[string]string{"apps/bad.yaml": fmt.Sprintf(appDoc, "before") +
				"---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: [broken\n  x: 1\n"},
			apps:     []string{"before@apps/bad.yaml:1:1 yaml"},
			problems: []string{"discovery-error@apps/bad.yaml:20"},
		},
		{
			name:     "mapping values error on a given line",
			files:    map[string]string{"bad.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a: b\n"},
			problems: []string{"discovery-error@bad.yaml:4"},
		},
		{
			name:     "broken values file is quiet",
			files:    map[string]string{"charts-values/values.yaml": "a: [\n  b: c: d\n"},
			problems: nil,
		},
		{
			name:     "duplicate key in an Application",
			files:    map[string]string{"dup.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: d\n  name: e\n"},
			problems: []string{"discovery-error@dup.yaml:5"},
		},
		{
			name: "wrong type points at the field",
			files: map[string]string{"t.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: t\n" +
				"spec:\n  syncPolicy: yes-please\n"},
			problems: []string{"discovery-error@t.yaml:6"},
		},
		{
			name: "chart directories, .git, node_modules and excludes are skipped",
			files: map[string]string{
				"charts/web/Chart.yaml":           "name: web\n",
				"charts/web/templates/app.yaml":   fmt.Sprintf(appDoc, "{{ .Values.name }}"),
				".git/x.yaml":                     fmt.Sprintf(appDoc, "git"),
				"node_modules/p/x.yaml":           fmt.Sprintf(appDoc, "npm"),
				"vendor/x.yaml":                   fmt.Sprintf(appDoc, "vendored"),
				"apps/keep.yml":                   fmt.Sprintf(appDoc, "keep"),
				"apps/testdata/fixtures/app.yaml": fmt.Sprintf(appDoc, "fixture"),
			},
			opts: Options{Exclude: []string{"vendor/**", "**/testdata/**"}},
			apps: []string{"keep@apps/keep.yml:1:1 yaml"},
		},
		{
			name:  "other ArgoCD kinds are ignored",
			files: map[string]string{"p.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: p\n"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := run(t, c.files, c.opts)
			if diff := cmp.Diff(c.apps, appSummary(res)); diff != "" {
				t.Errorf("apps (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.problems, problemSummary(res)); diff != "" {
				t.Errorf("problems (-want +got):\n%s\n%+v", diff, res.Problems)
			}
		})
	}
}

func TestApplicationContent(t *testing.T) {
	res := run(t, map[string]string{"a.yaml": "---\n" + fmt.Sprintf(appDoc, "web") +
		"  ignoreDifferences:\n    - kind: Deployment\n      jsonPointers: [/spec/replicas]\n"}, Options{})
	if len(res.Apps) != 1 {
		t.Fatalf("apps: %v", appSummary(res))
	}
	a := res.Apps[0]
	if got := a.App.Spec.Source.Helm.ValueFiles; !slices.Equal(got, []string{"values.yaml", "values-prod.yaml"}) {
		t.Errorf("valueFiles = %v", got)
	}
	if a.DocIndex != 0 {
		t.Errorf("DocIndex = %d", a.DocIndex)
	}
	want := map[string]finding.Location{
		"metadata.name":                             {File: "a.yaml", Line: 5, Column: 3},
		"spec.source.helm.valueFiles[1]":            {File: "a.yaml", Line: 14, Column: 11},
		"spec.ignoreDifferences":                    {File: "a.yaml", Line: 17, Column: 3},
		"spec.ignoreDifferences[0].kind":            {File: "a.yaml", Line: 18, Column: 7},
		"spec.ignoreDifferences[0].jsonPointers[0]": {File: "a.yaml", Line: 19, Column: 22},
	}
	for k, w := range want {
		if got := a.Fields[k]; got != w {
			t.Errorf("Fields[%s] = %v, want %v", k, got, w)
		}
	}
}

func TestMergeKeyFields(t *testing.T) {
	res := run(t, map[string]string{"a.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: m\n" +
		"spec:\n  source: &src\n    repoURL: r\n    path: p\n  sources:\n    - <<: *src\n      path: q\n"}, Options{})
	a := res.Apps[0]
	if got := a.App.Spec.Sources[0].Path; got != "q" {
		t.Errorf("merged path = %q", got)
	}
	if got := a.App.Spec.Sources[0].RepoURL; got != "r" {
		t.Errorf("merged repoURL = %q", got)
	}
	if got := a.Fields["spec.sources[0].path"].Line; got != 11 {
		t.Errorf("explicit key line = %d, want 11", got)
	}
	if got := a.Fields["spec.sources[0].repoURL"].Line; got != 7 {
		t.Errorf("merged key line = %d, want 7 (the anchor)", got)
	}
}

func TestSymlinkOutsideRootRefused(t *testing.T) {
	outside := writeRepo(t, map[string]string{"app.yaml": fmt.Sprintf(appDoc, "outside")})
	root := writeRepo(t, map[string]string{"apps/in.yaml": fmt.Sprintf(appDoc, "inside")})
	if err := os.Symlink(filepath.Join(outside, "app.yaml"), filepath.Join(root, "apps", "link.yaml")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	res, err := Discover(context.Background(), Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"inside@apps/in.yaml:1:1 yaml"}, appSummary(res)); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"not-analyzed@apps/link.yaml"}, problemSummary(res)); diff != "" {
		t.Error(diff)
	}
}

func TestLargeFile(t *testing.T) {
	big := fmt.Sprintf(appDoc, "big") + "# " + strings.Repeat("x", 2000) + "\n"
	res := run(t, map[string]string{"big.yaml": big, "bigplain.yaml": "# " + strings.Repeat("y", 3000)}, Options{MaxFileSize: 1000})
	if len(res.Apps) != 0 {
		t.Errorf("apps: %v", appSummary(res))
	}
	if diff := cmp.Diff([]string{"not-analyzed@big.yaml"}, problemSummary(res)); diff != "" {
		t.Error(diff)
	}
}

func TestRootUnreadable(t *testing.T) {
	if _, err := Discover(context.Background(), Options{Root: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Error("want an error for a missing root")
	}
}
