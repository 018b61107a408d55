// Package benchgen writes realistic synthetic GitOps monorepos for
// benchmarks: a library chart, N service charts of about fifteen templates
// each, M environments with layered value files, and an app-of-apps per
// environment. The same generator backs `go test -bench` and bench/gen.
package benchgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Options sizes the repository.
type Options struct {
	Services int      // service charts
	Envs     []string // environment names; default dev, staging, prod
	RepoURL  string   // default https://git.example.com/acme/platform.git
	// Distinct gives every service's templates a first line of their own
	// (a template comment naming the service, which renders nothing), so that no two charts share a
	// template text: caches keyed by text then gain nothing across charts,
	// as in a repository whose charts were written separately.
	Distinct bool
}

// Generate writes the repository under dir and returns the number of
// app × env Targets it declares.
func Generate(dir string, o Options) (int, error) {
	if len(o.Envs) == 0 {
		o.Envs = []string{"dev", "staging", "prod"}
	}
	if o.RepoURL == "" {
		o.RepoURL = "https://git.example.com/acme/platform.git"
	}
	files := map[string]string{
		".syncdoctor.yaml":                  fmt.Sprintf("repos:\n  - url: %s\n    dir: .\n", o.RepoURL),
		"charts/lib/Chart.yaml":             "apiVersion: v2\nname: lib\ntype: library\nversion: 1.0.0\n",
		"charts/lib/templates/_helpers.tpl": libHelpers,
		"environments/base.yaml":            "global:\n  domain: example.com\nresources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n",
	}
	for _, env := range o.Envs {
		files["environments/"+env+".yaml"] = fmt.Sprintf("global:\n  env: %s\nreplicaCount: 2\nautoscaling:\n  enabled: true\n  minReplicas: 2\n  maxReplicas: 10\n", env)
		files["apps/"+env+"/root.yaml"] = application("root-"+env, o.RepoURL, "apps/"+env, "", nil)
	}
	for i := 0; i < o.Services; i++ {
		name := fmt.Sprintf("svc-%03d", i)
		chart := "charts/" + name
		files[chart+"/Chart.yaml"] = fmt.Sprintf("apiVersion: v2\nname: %s\nversion: 0.1.%d\ndependencies:\n  - name: lib\n    version: 1.0.0\n    repository: file://../lib\n", name, i)
		files[chart+"/values.yaml"] = serviceValues
		for tname, body := range serviceTemplates {
			if o.Distinct {
				body = fmt.Sprintf("{{/* %s %s */}}\n", name, tname) + body
			}
			files[chart+"/templates/"+tname] = body
		}
		for _, env := range o.Envs {
			files["apps/"+env+"/"+name+".yaml"] = application(name+"-"+env, o.RepoURL, chart, env,
				[]string{"../../environments/base.yaml", "../../environments/" + env + ".yaml"})
		}
	}
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return 0, err
		}
	}
	return o.Services*len(o.Envs) + len(o.Envs), nil
}

func application(name, repo, path, ns string, valueFiles []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: %s\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: %s\n    path: %s\n", name, repo, path)
	if len(valueFiles) > 0 {
		b.WriteString("    helm:\n      valueFiles:\n")
		for _, v := range valueFiles {
			fmt.Fprintf(&b, "        - %s\n", v)
		}
	}
	if ns == "" {
		ns = "argocd"
	}
	fmt.Fprintf(&b, "  destination:\n    server: https://kubernetes.default.svc\n    namespace: %s\n  syncPolicy:\n    automated: {prune: true, selfHeal: true}\n", ns)
	return b.String()
}
