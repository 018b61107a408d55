package render

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/releaseutil"

	"github.com/syncdoctor/syncdoctor/internal/target"
)

// sortCases are engine outputs where Helm's sorter has corners: hooks
// (weights that are numbers, unknown events, test hooks), keys json
// matches only case-insensitively, values sigs.k8s.io/yaml coerces to
// strings, separators, blank and `_` files, parse errors.
var sortCases = []map[string]string{
	{
		"c/templates/a.yaml":  "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n",
		"c/templates/b.yaml":  "kind: Namespace\nmetadata: {name: n}\n---\n# only a comment\n---\nkind: Zeta\n---\nkind: Alpha\n---\n   \n",
		"c/templates/_h.tpl":  "kind: ConfigMap\n",
		"c/templates/e.yaml":  "   \n\n",
		"c/templates/h.yaml":  "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install, Post-Upgrade\n    helm.sh/hook-weight: \"-5\"\n    helm.sh/hook-delete-policy: before-hook-creation,Hook-Succeeded\n",
		"c/templates/h2.yaml": "kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n    helm.sh/hook-weight: 3\n    helm.sh/hook-output-log-policy: hook-failed\n",
		"c/templates/h3.yaml": "kind: Job\nmetadata:\n  name: u\n  annotations:\n    helm.sh/hook: pre-install,bogus\n",
		"c/templates/h4.yaml": "kind: Job\nmetadata:\n  name: v\n  annotations: {other: x}\n",
	},
	{"c/templates/k.yaml": "Kind: Secret\nMetadata:\n  Name: x\n  annotations:\n    helm.sh/hook: post-install\n"},
	{"c/templates/k.yaml": "kind: 5\nmetadata: {name: true}\n"},
	{"c/templates/k.yaml": "kind: ConfigMap\nmetadata: {name: a, annotations: {helm.sh/hook: pre-install, x: .nan}}\n"},
	{"c/templates/k.yaml": "kind: ConfigMap\nmetadata: null\n"},
	{"c/templates/k.yaml": "- a\n- b\n"},
	{"c/templates/k.yaml": "kind: [x]\n"},
	{"c/templates/k.yaml": "a: b: c\n", "c/templates/j.yaml": "kind: Service\n"},
	{"c/templates/k.yaml": "---\n   \n---\nkind: Service\n--- # c\nkind: Secret\n----\nkind: X\n"},
	{"c/templates/k.yaml": "kind: Service\r\n---\r\nkind: Secret\r\n"},
}

// TestSortManifestsMatchesHelm is the differential test of sortManifests
// against releaseutil.SortManifests on the corner cases and on the
// engine output of every chart in the fixtures and the demo.
func TestSortManifestsMatchesHelm(t *testing.T) {
	for i, files := range sortCases {
		compareSort(t, files, i)
	}
	n := 0
	for _, files := range fixtureEngineOutputs(t) {
		compareSort(t, files, -1)
		n++
	}
	if n < 10 {
		t.Fatalf("only %d fixture charts rendered", n)
	}
}

func compareSort(t *testing.T, files map[string]string, i int) {
	t.Helper()
	wantHooks, wantMans, wantErr := releaseutil.SortManifests(files, nil, releaseutil.InstallOrder)
	gotMans, gotHooks, gotErr := sortManifests(files, nil)
	if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
		t.Errorf("case %d: error %v, Helm: %v", i, gotErr, wantErr)
		return
	}
	if wantErr != nil {
		return
	}
	var mans []releaseutil.Manifest
	for _, m := range gotMans {
		mans = append(mans, releaseutil.Manifest{Name: m.path, Content: m.content, Head: m.head})
	}
	var hooks []*release.Hook
	for _, h := range gotHooks {
		if h.hook.Path != h.path || h.hook.Manifest != h.content {
			t.Errorf("case %d: hook %s carries another document", i, h.path)
		}
		hooks = append(hooks, h.hook)
	}
	if diff := cmp.Diff(wantMans, mans); diff != "" {
		t.Errorf("case %d: manifests differ from Helm's (-helm +ours):\n%s", i, diff)
	}
	if diff := cmp.Diff(wantHooks, hooks); diff != "" {
		t.Errorf("case %d: hooks differ from Helm's (-helm +ours):\n%s", i, diff)
	}
}

// fixtureEngineOutputs renders (engine only, chart defaults) every chart
// under the fixtures that renders.
func fixtureEngineOutputs(t *testing.T) []map[string]string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{Root: root, Offline: true})
	var out []map[string]string
	// testdata/hostile and the slow and bomb charts are left out: their renders
	// are what the guard and the timeout exist for.
	for _, top := range []string{"testdata/repos", "examples", "internal/render/testdata"} {
		_ = filepath.WalkDir(filepath.Join(root, top), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() != "Chart.yaml" || isSubchart(filepath.Dir(p)) || slices.Contains([]string{"slow", "bomb"}, filepath.Base(filepath.Dir(p))) {
				return nil
			}
			rel, _ := filepath.Rel(root, filepath.Dir(p))
			tg := &target.Target{Kind: target.SourceHelm, Dir: filepath.ToSlash(rel), ReleaseName: "r", Namespace: "ns"}
			ce, err := r.chartFor(context.Background(), tg)
			if err != nil || ce.chart.Metadata.Type == "library" {
				return nil
			}
			files, err := r.engineOutput(ce, tg, map[string]any{})
			if err == nil {
				out = append(out, files)
			}
			return nil
		})
	}
	return out
}

// isSubchart tells a vendored subchart (parent/charts/NAME) from a chart.
func isSubchart(dir string) bool {
	if filepath.Base(filepath.Dir(dir)) != "charts" {
		return false
	}
	_, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(dir)), "Chart.yaml"))
	return err == nil
}
