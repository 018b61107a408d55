package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/render"
	"github.com/syncdoctor/syncdoctor/internal/render/helmcli"
)

// fixtureRepos are the repositories whose every Helm Target the fidelity
// test compares with the real helm CLI.
func fixtureRepos(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, root := range []string{"../../testdata/repos", "../../examples"} {
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() && !strings.HasSuffix(e.Name(), ".golden") {
				out = append(out, filepath.Join(root, e.Name()))
			}
		}
	}
	return out
}

// TestFidelityFixtures renders every Helm Target of every fixture the way
// the pipeline does (ArgoCD's value file resolution, release name,
// namespace, inline values, parameters, skipCrds, kube and API versions)
// and requires the same documents as `helm template` with the flags ArgoCD
// would pass (argo-cd util/helm/cmd.go, template).
func TestFidelityFixtures(t *testing.T) {
	bin := helmcli.Binary(t)
	compared := 0
	for _, repo := range fixtureRepos(t) {
		t.Run(filepath.Base(repo), func(t *testing.T) {
			run, err := Offline(context.Background(), Options{Root: repo, Offline: true, Checks: []string{"render-error"}})
			if err != nil {
				t.Fatal(err)
			}
			var copyRoot string // the fixture copied once, with file:// dependencies built
			built := map[string]bool{}
			for _, r := range run.Input.Targets {
				if r.Chart == nil || r.Err != nil {
					continue
				}
				if copyRoot == "" {
					copyRoot = filepath.Join(t.TempDir(), "repo")
					if err := os.CopyFS(copyRoot, os.DirFS(repo)); err != nil {
						t.Fatal(err)
					}
				}
				chartDir := filepath.Join(copyRoot, filepath.FromSlash(r.Target.Dir))
				if !built[chartDir] {
					buildLocalDeps(t, bin, chartDir)
					built[chartDir] = true
				}
				want := cliRender(t, bin, copyRoot, chartDir, r)
				got := map[string]any{}
				for _, o := range r.Objects {
					got[fmt.Sprintf("%s#%d", o.Source, o.Doc)] = o.Content
				}
				// Documents that differ between two runs of helm itself
				// (randAlphaNum, genCA, now) cannot be compared; the
				// render-nondeterministic check is about exactly those.
				again := cliRender(t, bin, copyRoot, chartDir, r)
				for k := range want {
					if !cmp.Equal(helmcli.Normal(want[k]), helmcli.Normal(again[k])) {
						t.Logf("%s: %s differs between two helm runs; not compared", r.Target.ID(), k)
						delete(want, k)
						delete(got, k)
					}
				}
				if diff := cmp.Diff(helmcli.Normal(want), helmcli.Normal(got)); diff != "" {
					t.Errorf("%s: in-process render differs from helm template (-cli +ours):\n%s", r.Target.ID(), diff)
				}
				compared++
			}
		})
	}
	t.Logf("%d Helm targets identical to helm template", compared)
}

// buildLocalDeps vendors file:// dependencies as `helm dependency build`
// does before ArgoCD renders (ArgoCD runs it for charts with dependencies);
// syncdoctor loads them in memory instead.
func buildLocalDeps(t *testing.T, bin, chartDir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil || !strings.Contains(string(data), "file://") {
		return
	}
	if _, err := helmcli.Run(t, bin, chartDir, "dependency", "build", "--skip-refresh", "."); err != nil {
		t.Fatal(err)
	}
}

// cliRender runs `helm template` with the flags ArgoCD derives from the
// Target and returns the documents keyed "source#n".
func cliRender(t *testing.T, bin, root, chartDir string, r *check.Rendered) map[string]any {
	t.Helper()
	tg := r.Target
	kube := tg.KubeVersion
	if kube == "" {
		kube = render.DefaultKubeVersion
	}
	args := []string{"template", tg.ReleaseName, chartDir, "--namespace", tg.Namespace, "--kube-version", kube}
	for _, v := range tg.APIVersions {
		args = append(args, "--api-versions", v)
	}
	h := tg.Source.Helm
	if h == nil || !h.SkipCrds {
		args = append(args, "--include-crds")
	}
	for _, vf := range tg.ValueFiles {
		args = append(args, "--values", filepath.Join(root, filepath.FromSlash(vf)))
	}
	if h != nil {
		// ArgoCD writes values/valuesObject to a temporary file passed after
		// the value files (reposerver/repository/repository.go helmTemplate).
		if inline := inlineValues(t, h.ValuesYAML()); inline != "" {
			p := filepath.Join(t.TempDir(), "inline.yaml")
			if err := os.WriteFile(p, []byte(inline), 0o644); err != nil {
				t.Fatal(err)
			}
			args = append(args, "--values", p)
		}
		for _, p := range h.Parameters {
			flag := "--set"
			if p.ForceString {
				flag = "--set-string"
			}
			args = append(args, flag, p.Name+"="+p.Value)
		}
		for _, p := range h.FileParameters {
			args = append(args, "--set-file", p.Name+"="+filepath.Join(chartDir, p.Path))
		}
	}
	out, err := helmcli.Run(t, bin, root, args...)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := helmcli.Docs(out)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func inlineValues(t *testing.T, b []byte) string {
	t.Helper()
	if len(b) == 0 {
		return ""
	}
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if v == nil || slices.Contains([]string{"{}", "null"}, strings.TrimSpace(string(b))) {
		return ""
	}
	j, _ := json.Marshal(v)
	return string(j)
}
