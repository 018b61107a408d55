package discover

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const repoURL = "https://example.com/gitops.git"

func localDir(u string) (string, bool) { return "", u == repoURL }

// appDetail is "name ns=destination path=source.path @declared" for one app.
func appDetail(r *Result) []string {
	var out []string
	for _, a := range r.Apps {
		s := a.App.Spec.GetSource()
		out = append(out, fmt.Sprintf("%s ns=%s path=%s parent=%s @%s", a.Name(), a.App.Spec.Destination.Namespace, s.Path, a.Parent, a.Declared))
	}
	return out
}

func TestApplicationSet(t *testing.T) {
	dirs := map[string]string{
		"apps/web/kustomization.yaml": "resources: []\n",
		"apps/api/kustomization.yaml": "resources: []\n",
		"apps/old/kustomization.yaml": "resources: []\n",
		"apps/.hidden/x.yaml":         "a: 1\n",
	}
	cases := []struct {
		name     string
		set      string
		extra    map[string]string
		apps     []string
		problems []string
	}{
		{
			name: "list, fasttemplate",
			set: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
  namespace: argocd
spec:
  generators:
    - list:
        elements:
          - env: dev
            values:
              ns: web-dev
          - env: prod
            values:
              ns: web-prod
  template:
    metadata:
      name: 'web-{{env}}'
    spec:
      project: default
      source:
        repoURL: https://example.com/gitops.git
        path: 'envs/{{env}}'
      destination:
        namespace: '{{values.ns}}'
`,
			apps: []string{
				"web-dev ns=web-dev path=envs/dev parent=envs @set.yaml:10:13",
				"web-prod ns=web-prod path=envs/prod parent=envs @set.yaml:13:13",
			},
		},
		{
			name: "list, go template with sprig and missingkey=error",
			set: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list:
        elements:
          - env: dev
            replicas: 1
          - env: prod
  template:
    metadata:
      name: 'web-{{ .env | upper | lower }}'
    spec:
      project: default
      source:
        repoURL: https://example.com/gitops.git
        path: 'envs/{{ .env }}/{{ .replicas }}'
      destination:
        namespace: web
`,
			apps:     []string{"web-dev ns=web path=envs/dev/1 parent=envs @set.yaml:11:13"},
			problems: []string{"discovery-error@set.yaml:13"},
		},
		{
			name: "git directories, fasttemplate, exclude",
			set: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: dirs
spec:
  generators:
    - git:
        repoURL: https://example.com/gitops.git
        revision: HEAD
        directories:
          - path: apps/*
          - path: apps/old
            exclude: true
  template:
    metadata:
      name: '{{path.basename}}-{{path[0]}}'
    spec:
      project: default
      source:
        repoURL: https://example.com/gitops.git
        path: '{{path}}'
      destination:
        namespace: '{{path.basenameNormalized}}'
`,
			extra: dirs,
			apps: []string{
				"api-apps ns=api path=apps/api parent=dirs @set.yaml:14:3",
				"web-apps ns=web path=apps/web parent=dirs @set.yaml:14:3",
			},
		},
		{
			name: "git directories, go template",
			set: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: dirs
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: https://example.com/gitops.git
        revision: HEAD
        directories:
          - path: 'apps/w*'
  template:
    metadata:
      name: '{{ .path.basename }}'
    spec:
      project: default
      source:
        repoURL: https://example.com/gitops.git
        path: '{{ .path.path }}'
      destination:
        namespace: '{{ index .path.segments 0 }}'
`,
			extra: dirs,
			apps:  []string{"web ns=apps path=apps/web parent=dirs @set.yaml:13:3"},
		},
		{
			name: "git files, fasttemplate with flattened keys",
			set: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: files
spec:
  generators:
    - git:
        repoURL: https://example.com/gitops.git
        revision: HEAD
        files:
          - path: 'clusters/*/config.json'
  template:
    metadata:
      name: '{{cluster.name}}-{{path.basename}}'
    spec:
      project: default
      source:
        repoURL: https://example.com/gitops.git
        path: '{{path}}'
      destination:
        namespace: '{{cluster.namespace}}'
`,
			extra: map[string]string{
				"clusters/eu/config.json":      `{"cluster": {"name": "eu", "namespace": "ns-eu"}}`,
				"clusters/us/east/config.json": `{"cluster": {"name": "us", "namespace": "ns-us"}}`,
				"clusters/other/settings.json": `{"cluster": {"name": "no"}}`,
			},
			// git pathspecs let '*' cross '/', so clusters/us/east matches.
			apps: []string{
				"eu-eu ns=ns-eu path=clusters/eu parent=files @set.yaml:12:3",
				"us-east ns=ns-us path=clusters/us/east parent=files @set.yaml:12:3",
			},
		},
		{
			name: "git files, go template, YAML list file",
			set: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: files
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: https://example.com/gitops.git
        revision: HEAD
        files:
          - path: 'teams/**/apps.yaml'
  template:
    metadata:
      name: '{{ .name }}-{{ .path.filenameNormalized }}'
    spec:
      project: default
      source:
        repoURL: https://example.com/gitops.git
        path: '{{ .path.path }}'
      destination:
        namespace: '{{ .name }}'
`,
			extra: map[string]string{"teams/a/apps.yaml": "- name: x\n- name: y\n"},
			// ArgoCD parses params files with sigs.k8s.io/yaml (YAML 1.1),
			// where a bare y is the boolean true.
			apps: []string{
				"x-apps.yaml ns=x path=teams/a parent=files @set.yaml:13:3",
				"true-apps.yaml ns=true path=teams/a parent=files @set.yaml:13:3",
			},
		},
		{
			name: "unsupported generator and foreign repository",
			set: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: c
spec:
  generators:
    - clusters: {}
    - git:
        repoURL: https://example.com/other.git
        revision: HEAD
        directories:
          - path: '*'
  template:
    metadata:
      name: '{{name}}'
    spec:
      project: default
      destination:
        server: '{{server}}'
`,
			problems: []string{"not-analyzed@set.yaml:7", "not-analyzed@set.yaml:8"},
		},
		{
			name: "matrix of git directories and list",
			set: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: mx
spec:
  generators:
    - matrix:
        generators:
          - git:
              repoURL: https://example.com/gitops.git
              revision: HEAD
              directories:
                - path: apps/web
          - list:
              elements:
                - env: dev
                - env: prod
  template:
    metadata:
      name: '{{path.basename}}-{{env}}'
    spec:
      project: default
      source:
        repoURL: https://example.com/gitops.git
        path: '{{path}}'
      destination:
        namespace: '{{env}}'
`,
			extra: dirs,
			apps: []string{
				"web-dev ns=dev path=apps/web parent=mx @set.yaml:16:19",
				"web-prod ns=prod path=apps/web parent=mx @set.yaml:17:19",
			},
		},
		{
			name: "templatePatch",
			set: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: tp
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - env: prod
            auto: true
  template:
    metadata:
      name: 'web-{{ .env }}'
    spec:
      project: default
      destination:
        namespace: web
  templatePatch: |
    spec:
      destination:
        namespace: 'web-{{ .env }}'
`,
			apps: []string{"web-prod ns=web-prod path= parent=tp @set.yaml:10:13"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"set.yaml": c.set}
			for k, v := range c.extra {
				files[k] = v
			}
			res := run(t, files, Options{LocalDir: localDir})
			if diff := cmp.Diff(c.apps, appDetail(res)); diff != "" {
				t.Errorf("apps (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.problems, problemSummary(res)); diff != "" {
				t.Errorf("problems (-want +got):\n%s\n%+v", diff, res.Problems)
			}
		})
	}
}

func TestApplicationSetFields(t *testing.T) {
	res := run(t, map[string]string{"set.yaml": `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
spec:
  generators:
    - list:
        elements:
          - env: dev
  template:
    metadata:
      name: 'web-{{env}}'
    spec:
      project: default
      ignoreDifferences:
        - kind: Deployment
          jsonPointers: [/spec/replicas]
      destination:
        namespace: web
`}, Options{})
	if len(res.Apps) != 1 {
		t.Fatalf("apps: %v %v", appSummary(res), res.Problems)
	}
	a := res.Apps[0]
	if a.Origin != "applicationset" || a.Parent != "envs" {
		t.Errorf("origin %s parent %s", a.Origin, a.Parent)
	}
	if got := a.Fields["spec.ignoreDifferences"].Line; got != 15 {
		t.Errorf("spec.ignoreDifferences line = %d, want 15", got)
	}
	if got := a.Fields["metadata.name"].Line; got != 12 {
		t.Errorf("metadata.name line = %d, want 12", got)
	}
}

func TestPathspecMatch(t *testing.T) {
	cases := []struct {
		pattern, file string
		want          bool
	}{
		{pattern: "a/*/c.json", file: "a/b/c.json", want: true},
		{pattern: "a/*/c.json", file: "a/b/x/c.json", want: true},
		{pattern: "a/*.json", file: "a/b.yaml", want: false},
		{pattern: "a", file: "a/b.json", want: true},
		{pattern: "a/b.json", file: "a/b.json", want: true},
		{pattern: "a/[bc].json", file: "a/c.json", want: true},
		{pattern: "a/[!bc].json", file: "a/c.json", want: false},
		{pattern: "a/?.json", file: "a/x.json", want: true},
	}
	for _, c := range cases {
		if got := pathspecMatch(c.pattern, c.file); got != c.want {
			t.Errorf("pathspecMatch(%q, %q) = %v, want %v", c.pattern, c.file, got, c.want)
		}
	}
}
