package resolve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	pathutil "github.com/argoproj/argo-cd/v3/util/io/path"
	"github.com/bmatcuk/doublestar/v4"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// valueFiles resolves spec.source.helm.valueFiles the way ArgoCD's
// repo-server does (reposerver/repository/repository.go,
// getResolvedValueFiles): build-environment substitution, "$ref/..." paths
// against the referenced source, other paths relative to the chart with
// traversal refused (util/io/path.ResolveValueFilePathOrUrl), globs
// expanded in lexical order with explicitly listed files keeping their own
// position, and missing files skipped only with ignoreMissingValueFiles.
func (r *appResolver) valueFiles(t *target.Target, s v1alpha1.ApplicationSource, key, repoDir string, refs map[string]string) {
	if s.Helm == nil {
		return
	}
	env := buildEnv(r.app, s)
	appAbs := filepath.Join(r.opts.Root, filepath.FromSlash(t.Dir))
	type entry struct {
		abs   string
		glob  bool
		field string
	}
	var entries []entry
	for j, raw := range s.Helm.ValueFiles {
		field := fmt.Sprintf("%s.helm.valueFiles[%d]", key, j)
		abs, remote, err := r.resolveOne(raw, env, appAbs, repoDir, refs)
		switch {
		case remote:
			t.Blocked = r.problem("not-analyzed", finding.Info, field,
				"value file %s of %s is a URL; syncdoctor does not fetch remote value files", raw, r.app.Name())
			return
		case err != nil:
			t.Blocked = r.problem("render-error", finding.Error, field, "value file %s of %s: %v", raw, r.app.Name(), err)
			return
		}
		entries = append(entries, entry{abs: abs, glob: strings.ContainsAny(abs, "*?["), field: field})
	}
	explicit := map[string]bool{}
	for _, e := range entries {
		if !e.glob {
			explicit[e.abs] = true
		}
	}
	seen := map[string]bool{}
	add := func(abs string) {
		rel, err := filepath.Rel(r.opts.Root, abs)
		if err != nil || seen[rel] {
			return
		}
		seen[rel] = true
		t.ValueFiles = append(t.ValueFiles, filepath.ToSlash(rel))
	}
	for _, e := range entries {
		if e.glob {
			matches, err := doublestar.FilepathGlob(e.abs)
			if err == nil && len(matches) == 0 && !s.Helm.IgnoreMissingValueFiles {
				err = fmt.Errorf("glob matched no files")
			}
			if err != nil {
				t.Blocked = r.problem("render-error", finding.Error, e.field, "value files %s of %s: %v", e.abs, r.app.Name(), err)
				return
			}
			slices.Sort(matches)
			for _, m := range matches {
				if !explicit[m] && inside(r.opts.Root, m) {
					add(m)
				}
			}
			continue
		}
		if _, err := os.Stat(e.abs); err != nil {
			rel, _ := filepath.Rel(r.opts.Root, e.abs)
			if s.Helm.IgnoreMissingValueFiles {
				t.MissingValueFiles = append(t.MissingValueFiles, filepath.ToSlash(rel))
				continue
			}
			t.Blocked = r.problem("render-error", finding.Error, e.field,
				"value file %s of %s does not exist (ArgoCD fails the whole app; set ignoreMissingValueFiles if it is optional)", filepath.ToSlash(rel), r.app.Name())
			return
		}
		add(e.abs)
	}
}

// resolveOne resolves one valueFiles entry to an absolute path.
func (r *appResolver) resolveOne(raw string, env *v1alpha1.Env, appAbs, repoDir string, refs map[string]string) (string, bool, error) {
	repoAbs := filepath.Join(r.opts.Root, filepath.FromSlash(repoDir))
	if strings.HasPrefix(raw, "$") {
		name, rest, _ := strings.Cut(raw, "/")
		dir, ok := refs[name]
		if !ok {
			return "", false, fmt.Errorf("no source with ref %q in this checkout", strings.TrimPrefix(name, "$"))
		}
		refAbs := filepath.Join(r.opts.Root, filepath.FromSlash(dir))
		p, remote, err := pathutil.ResolveValueFilePathOrUrl(refAbs, refAbs, env.Envsubst("/"+rest), nil)
		return string(p), remote, err
	}
	p, remote, err := pathutil.ResolveValueFilePathOrUrl(appAbs, repoAbs, env.Envsubst(raw), nil)
	if remote || err != nil {
		return string(p), remote, err
	}
	if !inside(r.opts.Root, string(p)) {
		return "", false, fmt.Errorf("resolves outside the checkout")
	}
	return string(p), false, nil
}

func inside(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// buildEnv is the build environment ArgoCD substitutes into value file
// paths (reposerver/repository/repository.go, newEnv). The revision is
// unknown offline, so the revision variables are empty.
func buildEnv(app *target.Application, s v1alpha1.ApplicationSource) *v1alpha1.Env {
	return &v1alpha1.Env{
		{Name: "ARGOCD_APP_NAME", Value: app.Name()},
		{Name: "ARGOCD_APP_NAMESPACE", Value: app.App.Spec.Destination.Namespace},
		{Name: "ARGOCD_APP_PROJECT_NAME", Value: app.App.Spec.Project},
		{Name: "ARGOCD_APP_SOURCE_REPO_URL", Value: s.RepoURL},
		{Name: "ARGOCD_APP_SOURCE_PATH", Value: s.Path},
		{Name: "ARGOCD_APP_SOURCE_TARGET_REVISION", Value: s.TargetRevision},
	}
}
