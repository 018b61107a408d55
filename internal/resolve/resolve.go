package resolve

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/config"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// Options configures Resolve.
type Options struct {
	Root        string // absolute checkout root
	Config      *config.Config
	Repos       *RepoMap
	KubeVersion string   // the cluster version charts see unless a source sets its own
	APIVersions []string // extra API versions unless a source sets its own
}

// Result is the Targets of a set of Applications and the problems met.
type Result struct {
	Targets  []*target.Target
	Problems []finding.Finding
}

// Resolve turns Applications into Targets. Environments are named
// afterwards, over the whole set, by NameEnvironments.
func Resolve(apps []*target.Application, opts Options) *Result {
	res := &Result{}
	for _, app := range apps {
		r := appResolver{opts: opts, app: app, res: res}
		r.resolve()
	}
	return res
}

type appResolver struct {
	opts Options
	app  *target.Application
	res  *Result
}

// sources returns the Application's sources and the key path of each in
// the declaration, the way ArgoCD picks them (ApplicationSpec.GetSources:
// sources win over source; a hydrator's sync source otherwise).
func (r *appResolver) sources() ([]v1alpha1.ApplicationSource, []string) {
	spec := &r.app.App.Spec
	if spec.HasMultipleSources() {
		keys := make([]string, len(spec.Sources))
		for i := range spec.Sources {
			keys[i] = fmt.Sprintf("spec.sources[%d]", i)
		}
		return spec.Sources, keys
	}
	if spec.Source != nil || spec.SourceHydrator != nil {
		return []v1alpha1.ApplicationSource{spec.GetSource()}, []string{"spec.source"}
	}
	return nil, nil
}

func (r *appResolver) resolve() {
	srcs, keys := r.sources()
	if len(srcs) == 0 {
		r.res.Problems = append(r.res.Problems, *r.problem("discovery-error", finding.Error, "spec", "Application %s has no source", r.app.Name()))
		return
	}
	refs := map[string]string{} // "$values" → checkout dir of that source
	for _, s := range srcs {
		if s.Ref != "" {
			if dir, ok := r.opts.Repos.LocalDir(s.RepoURL); ok {
				refs["$"+s.Ref] = dir
			}
		}
	}
	for i, s := range srcs {
		// A source that only provides a ref (value files for another source)
		// generates no manifests of its own (ArgoCD skips ref-only sources).
		if s.Ref != "" && s.Path == "" && s.Chart == "" {
			continue
		}
		t := r.newTarget(i, s)
		r.fill(t, s, keys[i], refs)
		r.res.Targets = append(r.res.Targets, t)
	}
}

func (r *appResolver) newTarget(i int, s v1alpha1.ApplicationSource) *target.Target {
	dest := r.app.App.Spec.Destination.Namespace
	name := r.app.Name()
	if s.Helm != nil && s.Helm.ReleaseName != "" {
		name = s.Helm.ReleaseName
	}
	return &target.Target{
		App:         r.app,
		SourceIndex: i,
		Source:      s,
		ReleaseName: name,
		Namespace:   s.GetNamespaceOrDefault(dest),
		KubeVersion: s.GetKubeVersionOrDefault(r.opts.KubeVersion),
		APIVersions: s.GetAPIVersionsOrDefault(r.opts.APIVersions),
	}
}

// fill decides the kind of source and, for checkout sources, its
// directory and value files. Anything that stops rendering is recorded on
// the Target as Blocked.
func (r *appResolver) fill(t *target.Target, s v1alpha1.ApplicationSource, key string, refs map[string]string) {
	if s.Chart != "" {
		t.Kind = target.SourceRemoteHelm
		return
	}
	repoDir, ok := r.opts.Repos.LocalDir(s.RepoURL)
	if !ok {
		t.Kind = target.SourceExternal
		t.Blocked = r.problem("not-analyzed", finding.Info, key+".repoURL",
			"source %s of %s is not rendered: the repository is not this checkout (map it under repos: in .syncdoctor.yaml)", s.RepoURL, r.app.Name())
		return
	}
	dir, err := within(repoDir, s.Path)
	if err != nil {
		t.Blocked = r.problem("render-error", finding.Error, key+".path", "source path %q of %s: %v", s.Path, r.app.Name(), err)
		return
	}
	t.Dir = dir
	abs := filepath.Join(r.opts.Root, filepath.FromSlash(dir))
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		t.Blocked = r.problem("render-error", finding.Error, key+".path", "source path %q of %s does not exist in the checkout", s.Path, r.app.Name())
		return
	}
	kind, err := sourceKind(&s, abs)
	if err != nil {
		t.Blocked = r.problem("render-error", finding.Error, key, "%s: %v", r.app.Name(), err)
		return
	}
	t.Kind = kind
	switch kind {
	case target.SourceUnsupported:
		t.Blocked = r.problem("not-analyzed", finding.Info, key+".plugin",
			"source of %s uses a config management plugin, which syncdoctor does not run", r.app.Name())
	case target.SourceHelm:
		r.valueFiles(t, s, key, repoDir, refs)
	}
}

// within joins a source path to its repository directory and refuses a
// result outside the checkout (ArgoCD refuses app paths outside the repo:
// util/io/path.ResolveFileOrDirectoryPath).
func within(repoDir, p string) (string, error) {
	joined := path.Clean(path.Join(repoDir, strings.TrimPrefix(filepath.ToSlash(p), "/")))
	if joined == ".." || strings.HasPrefix(joined, "../") {
		return "", fmt.Errorf("resolves outside the repository")
	}
	return joined, nil
}

// sourceKind follows ArgoCD: an explicit helm/kustomize/directory/plugin
// block decides (ApplicationSource.ExplicitType); otherwise the directory's
// content does, with a kustomization winning over Chart.yaml
// (util/app/discovery.Discover).
func sourceKind(s *v1alpha1.ApplicationSource, abs string) (target.SourceKind, error) {
	explicit, err := s.ExplicitType()
	if err != nil {
		return "", err
	}
	if explicit != nil {
		switch *explicit {
		case v1alpha1.ApplicationSourceTypeHelm:
			return target.SourceHelm, nil
		case v1alpha1.ApplicationSourceTypeKustomize:
			return target.SourceKustomize, nil
		case v1alpha1.ApplicationSourceTypeDirectory:
			return target.SourceDirectory, nil
		default:
			return target.SourceUnsupported, nil
		}
	}
	for _, k := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if exists(filepath.Join(abs, k)) {
			return target.SourceKustomize, nil
		}
	}
	if exists(filepath.Join(abs, "Chart.yaml")) {
		return target.SourceHelm, nil
	}
	return target.SourceDirectory, nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// problem builds a finding at a field of the Application. The pipeline
// reports a Target's Blocked finding once the Target's environment is known.
func (r *appResolver) problem(check string, sev finding.Severity, field, format string, args ...any) *finding.Finding {
	return &finding.Finding{
		Check:    check,
		Severity: sev,
		App:      r.app.Name(),
		Location: r.app.FieldLocation(field),
		Message:  fmt.Sprintf(format, args...),
	}
}
