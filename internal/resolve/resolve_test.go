package resolve

import (
	"slices"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/syncdoctor/syncdoctor/internal/config"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/testutil/files"
)

const repoURL = "https://github.com/acme/platform.git"

func writeFiles(t *testing.T, fs map[string]string) string {
	t.Helper()
	return files.Tree(t, fs)
}

func app(name, file string, src *v1alpha1.ApplicationSource, ns string) *target.Application {
	return &target.Application{
		App: &v1alpha1.Application{
			ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec:       v1alpha1.ApplicationSpec{Source: src, Destination: v1alpha1.ApplicationDestination{Namespace: ns}},
		},
		Declared: finding.Location{File: file, Line: 1},
		Fields: map[string]finding.Location{
			"spec.source.repoURL":                {File: file, Line: 7},
			"spec.source.helm.valueFiles[1]":     {File: file, Line: 12},
			"spec.sources[0].helm.valueFiles[0]": {File: file, Line: 20},
		},
	}
}

func TestResolveValueFiles(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"charts/web/Chart.yaml":     "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"charts/web/values.yaml":    "",
		"environments/base.yaml":    "",
		"environments/prod.yaml":    "",
		"environments/extra/a.yaml": "",
		"environments/extra/b.yaml": "",
		"kustom/kustomization.yaml": "resources: []\n",
		"kustom/Chart.yaml":         "apiVersion: v2\nname: k\nversion: 0.1.0\n",
		"plain/cm.yaml":             "",
	})
	cfg := &config.Config{Repos: []config.Repo{{URL: repoURL, Dir: "."}}}
	opts := Options{Root: root, Config: cfg, Repos: NewRepoMap(cfg, nil), KubeVersion: "1.34.0"}
	helm := func(files ...string) *v1alpha1.ApplicationSource {
		return &v1alpha1.ApplicationSource{RepoURL: repoURL + "/", Path: "charts/web", Helm: &v1alpha1.ApplicationSourceHelm{ValueFiles: files}}
	}
	cases := []struct {
		name      string
		app       *target.Application
		wantKind  target.SourceKind
		wantFiles []string
		wantCheck string
		wantLine  int
	}{
		{
			name:      "relative, absolute and glob with explicit file last",
			app:       app("web", "apps/prod/web.yaml", helm("../../environments/base.yaml", "/environments/extra/*.yaml", "../../environments/extra/a.yaml"), "web"),
			wantKind:  target.SourceHelm,
			wantFiles: []string{"environments/base.yaml", "environments/extra/b.yaml", "environments/extra/a.yaml"},
		},
		{
			name:      "missing file is a render-error at its entry",
			app:       app("web", "apps/prod/web.yaml", helm("values.yaml", "../../environments/nope.yaml"), "web"),
			wantKind:  target.SourceHelm,
			wantFiles: []string{"charts/web/values.yaml"},
			wantCheck: "render-error", wantLine: 12,
		},
		{
			name:      "traversal outside the checkout is refused",
			app:       app("web", "apps/prod/web.yaml", helm("values.yaml", "../../../../etc/passwd"), "web"),
			wantKind:  target.SourceHelm,
			wantCheck: "render-error", wantLine: 12,
		},
		{
			name:      "external repository is not analysed",
			app:       app("x", "apps/x.yaml", &v1alpha1.ApplicationSource{RepoURL: "https://github.com/other/repo", Path: "."}, "x"),
			wantKind:  target.SourceExternal,
			wantCheck: "not-analyzed", wantLine: 7,
		},
		{
			name:     "kustomization wins over Chart.yaml",
			app:      app("k", "apps/k.yaml", &v1alpha1.ApplicationSource{RepoURL: "git@github.com:acme/platform.git", Path: "kustom"}, "k"),
			wantKind: target.SourceKustomize,
		},
		{
			name:     "plain directory",
			app:      app("p", "apps/p.yaml", &v1alpha1.ApplicationSource{RepoURL: "https://GitHub.com/acme/platform", Path: "plain"}, "p"),
			wantKind: target.SourceDirectory,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Resolve([]*target.Application{c.app}, opts)
			if len(res.Targets) != 1 {
				t.Fatalf("got %d targets, problems %+v", len(res.Targets), res.Problems)
			}
			tg := res.Targets[0]
			if tg.Kind != c.wantKind {
				t.Errorf("kind %s, want %s", tg.Kind, c.wantKind)
			}
			if c.wantFiles != nil && !slices.Equal(tg.ValueFiles, c.wantFiles) {
				t.Errorf("value files %v, want %v", tg.ValueFiles, c.wantFiles)
			}
			switch {
			case c.wantCheck == "" && tg.Blocked != nil:
				t.Errorf("unexpected block: %+v", tg.Blocked)
			case c.wantCheck != "" && (tg.Blocked == nil || tg.Blocked.Check != c.wantCheck || tg.Blocked.Location.Line != c.wantLine):
				t.Errorf("blocked %+v, want %s at line %d", tg.Blocked, c.wantCheck, c.wantLine)
			}
			if tg.KubeVersion != "1.34.0" || tg.ReleaseName != c.app.Name() {
				t.Errorf("kube %q release %q", tg.KubeVersion, tg.ReleaseName)
			}
		})
	}
}

func TestMultiSourceRef(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"envs/prod/values.yaml": "",
	})
	cfg := &config.Config{Repos: []config.Repo{{URL: repoURL, Dir: "."}}}
	a := app("web", "apps/web.yaml", nil, "web")
	a.App.Spec.Sources = v1alpha1.ApplicationSources{
		{RepoURL: repoURL, Path: "charts/web", Helm: &v1alpha1.ApplicationSourceHelm{
			ValueFiles:              []string{"$values/envs/$ARGOCD_APP_NAMESPACE/values.yaml", "$values/envs/prod/missing.yaml"},
			IgnoreMissingValueFiles: true,
		}},
		{RepoURL: repoURL, Ref: "values"},
	}
	a.App.Spec.Destination.Namespace = "prod"
	res := Resolve([]*target.Application{a}, Options{Root: root, Config: cfg, Repos: NewRepoMap(cfg, nil)})
	if len(res.Targets) != 1 {
		t.Fatalf("want one target (the ref source renders nothing), got %d", len(res.Targets))
	}
	tg := res.Targets[0]
	if !slices.Equal(tg.ValueFiles, []string{"envs/prod/values.yaml"}) || !slices.Equal(tg.MissingValueFiles, []string{"envs/prod/missing.yaml"}) {
		t.Errorf("files %v missing %v blocked %+v", tg.ValueFiles, tg.MissingValueFiles, tg.Blocked)
	}
	if !strings.HasSuffix(tg.ID(), "#0") {
		t.Errorf("multi-source ID %q", tg.ID())
	}
}

func TestNameEnvironments(t *testing.T) {
	mk := func(file string, vfs []string, ns string) *target.Target {
		a := app("a", file, &v1alpha1.ApplicationSource{Path: "charts/web"}, ns)
		return &target.Target{App: a, Dir: "charts/web", ValueFiles: vfs}
	}
	cases := []struct {
		name string
		ts   []*target.Target
		cfg  *config.Config
		want []string
	}{
		{
			name: "differing directory",
			ts:   []*target.Target{mk("apps/dev/web.yaml", nil, "web"), mk("apps/prod/web.yaml", nil, "web")},
			want: []string{"dev", "prod"},
		},
		{
			name: "differing file name with env token",
			ts:   []*target.Target{mk("apps/web-dev.yaml", nil, "web"), mk("apps/web-prod.yaml", nil, "web")},
			want: []string{"dev", "prod"},
		},
		{
			name: "same file, differing value files",
			ts: []*target.Target{
				mk("apps/all.yaml", []string{"environments/base.yaml", "environments/staging.yaml"}, "web"),
				mk("apps/all.yaml", []string{"environments/base.yaml", "environments/prod.yaml"}, "web"),
			},
			want: []string{"staging", "prod"},
		},
		{
			name: "values.yaml in env directories",
			ts: []*target.Target{
				mk("apps/all.yaml", []string{"envs/dev/values.yaml"}, "web"),
				mk("apps/all.yaml", []string{"envs/qa/values.yaml"}, "web"),
			},
			want: []string{"dev", "qa"},
		},
		{
			name: "single app falls back to well-known name, then namespace",
			ts:   []*target.Target{mk("clusters/production/addons.yaml", nil, "kube-system")},
			want: []string{"production"},
		},
		{
			name: "config wins",
			ts:   []*target.Target{mk("apps/dev/web.yaml", nil, "web")},
			cfg:  &config.Config{Environments: []config.Environment{{Name: "sandbox", Match: []string{"apps/dev/**"}}}},
			want: []string{"sandbox"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			NameEnvironments(c.ts, c.cfg)
			for i, tg := range c.ts {
				if tg.Env != c.want[i] {
					t.Errorf("target %d: env %q, want %q", i, tg.Env, c.want[i])
				}
			}
		})
	}
}
