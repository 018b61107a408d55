package render

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// chartEntry is one loaded chart, shared by every render of it. The chart
// is never handed to Helm directly: Helm's ProcessDependencies mutates
// it, so each render works on copyChart(chart).
type chartEntry struct {
	once  sync.Once
	err   error
	chart *chart.Chart
	// dir is the checkout-relative chart directory; "" for remote charts.
	dir string
	// loadedDirs are the absolute directories the chart tree was loaded
	// from (depcache.go).
	loadedDirs []string
	// pullLoc is where a remote chart's pull error is located (the chart
	// field of the Application that pulled it).
	pullLoc finding.Location
	// files maps the chart's template and CRD files (shared, never copied)
	// to checkout-relative paths; a file from a .tgz maps to the archive.
	files map[*chart.File]string

	// sites caches the allocating calls of each template (guard.go).
	sitesMu sync.Mutex
	sites   map[*chart.File][]guardSite

	cache chartCache // parsed templates, processed chart (parsed.go)
}

// chartFor returns the loaded chart of a Helm target, loading it once.
func (r *Renderer) chartFor(ctx context.Context, t *target.Target) (*chartEntry, error) {
	key := chartKey(t)
	r.mu.Lock()
	ce, ok := r.charts[key]
	if !ok {
		ce = &chartEntry{files: map[*chart.File]string{}}
		r.charts[key] = ce
	}
	r.mu.Unlock()
	var pullLoc finding.Location
	if t.Kind == target.SourceRemoteHelm {
		at := appField(t, "chart")
		pullLoc = finding.Location{File: at.File, Line: at.Line}
	}
	ce.once.Do(func() {
		if t.Kind == target.SourceRemoteHelm {
			ce.pullLoc = pullLoc
			ce.chart, ce.err = r.pullChart(ctx, t.Source.RepoURL, t.Source.Chart, t.Source.TargetRevision, pullLoc)
			if ce.err == nil {
				ce.err = r.resolveDeps(ctx, ce, ce.chart, "", nil)
			}
			return
		}
		ce.dir = filepath.ToSlash(filepath.Clean(t.Dir))
		ce.chart, ce.err = r.loadChartDir(ctx, ce, ce.dir, nil)
	})
	// A pull error is located at the chart field of the Application that
	// pulled first, which depends on render order: each Target gets it at
	// its own Application's field.
	var e *Error
	if errors.As(ce.err, &e) && t.Kind == target.SourceRemoteHelm && e.Loc == ce.pullLoc && pullLoc != ce.pullLoc {
		own := *e
		own.Loc = pullLoc
		return ce, &own
	}
	return ce, ce.err
}

// chartKey names a Target's chart (or, for other kinds, its directory)
// in the chart cache and the hostile set.
func chartKey(t *target.Target) string {
	if t.Kind == target.SourceRemoteHelm {
		return "repo:" + t.Source.RepoURL + "|" + t.Source.Chart + "|" + t.Source.TargetRevision
	}
	return "dir:" + t.Dir
}

// loadChartDir loads the chart at a checkout-relative dir with its
// vendored and file:// dependencies. stack holds the directories being
// loaded, to turn a file:// cycle into an error.
func (r *Renderer) loadChartDir(ctx context.Context, ce *chartEntry, dir string, stack []string) (*chart.Chart, error) {
	chartYAML := path.Join(dir, "Chart.yaml")
	abs, err := r.inRoot(dir)
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: dir}, Err: err}
	}
	for _, s := range stack {
		if s == abs {
			return nil, &Error{Loc: finding.Location{File: chartYAML}, Err: fmt.Errorf("dependency cycle: %s", strings.Join(append(r.rels(stack), dir), " -> "))}
		}
	}
	stack = append(stack, abs)
	ce.loadedDirs = append(ce.loadedDirs, abs)
	if err := r.checkSymlinks(abs); err != nil {
		return nil, asError(err, finding.Location{File: dir})
	}
	c, err := loader.LoadDir(abs)
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: chartYAML}, Err: fmt.Errorf("loading chart: %w", err)}
	}
	r.mapFiles(ce, c, dir, abs)
	for _, f := range c.Raw {
		r.loaded.Store(path.Join(dir, f.Name), f.Data)
	}
	if err := r.resolveDeps(ctx, ce, c, dir, stack); err != nil {
		return nil, err
	}
	return c, nil
}

// mapFiles records the checkout path of every template and file of c and
// of its vendored subcharts (directories under charts/, or archives).
func (r *Renderer) mapFiles(ce *chartEntry, c *chart.Chart, dir, abs string) {
	for _, f := range c.Templates {
		ce.files[f] = path.Join(dir, f.Name)
	}
	for _, f := range c.Files {
		ce.files[f] = path.Join(dir, f.Name)
	}
	if len(c.Dependencies()) == 0 {
		return
	}
	entries, _ := os.ReadDir(filepath.Join(abs, "charts"))
	for _, sub := range c.Dependencies() {
		subDir, archive := "", ""
		for _, e := range entries {
			p := filepath.Join(abs, "charts", e.Name())
			if e.IsDir() {
				if chartName(p) == sub.Name() {
					subDir = e.Name()
					break
				}
			} else if strings.HasPrefix(e.Name(), sub.Name()+"-") && strings.HasSuffix(e.Name(), ".tgz") {
				archive = e.Name()
			}
		}
		switch {
		case subDir != "":
			r.mapFiles(ce, sub, path.Join(dir, "charts", subDir), filepath.Join(abs, "charts", subDir))
		case archive != "":
			mapArchive(ce, sub, path.Join(dir, "charts", archive))
		}
	}
}

// mapArchive maps every file of a chart loaded from an archive (and its
// subcharts) to the archive itself.
func mapArchive(ce *chartEntry, c *chart.Chart, archive string) {
	for _, f := range c.Templates {
		ce.files[f] = archive
	}
	for _, f := range c.Files {
		ce.files[f] = archive
	}
	for _, d := range c.Dependencies() {
		mapArchive(ce, d, archive)
	}
}

// chartName reads the name from a chart directory's Chart.yaml.
func chartName(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return ""
	}
	var md struct {
		Name string `json:"name"`
	}
	if yaml.Unmarshal(data, &md) != nil {
		return ""
	}
	return md.Name
}

// resolveDeps adds the dependencies of c that are listed in Chart.yaml but
// not vendored under charts/, as `helm dependency build` would (helm
// pkg/downloader/manager.go; ArgoCD runs it when `helm template` reports a
// missing dependency, argo-cd reposerver/repository/repository.go
// helmTemplate): file:// repositories load from the checkout, in memory;
// remote ones are pulled unless offline. Presence is by name, as helm
// pkg/action/install.go CheckDependencies tests it.
func (r *Renderer) resolveDeps(ctx context.Context, ce *chartEntry, c *chart.Chart, dir string, stack []string) error {
	present := map[string]bool{}
	for _, d := range c.Dependencies() {
		present[d.Name()] = true
	}
	for i, dep := range c.Metadata.Dependencies {
		if dep == nil || present[dep.Name] {
			continue
		}
		loc := dependencyLoc(c, dir, i)
		var sub *chart.Chart
		var err error
		switch {
		case strings.HasPrefix(dep.Repository, "file://"):
			if dir == "" {
				return &Error{Loc: loc, Err: fmt.Errorf("dependency %s: file:// repository in a remote chart", dep.Name)}
			}
			subDir := strings.TrimPrefix(dep.Repository, "file://")
			if !path.IsAbs(subDir) {
				subDir = path.Join(dir, subDir)
			}
			sub, err = r.loadDependencyDir(ctx, ce, path.Clean(subDir), stack)
			if err != nil {
				return &Error{Loc: loc, Err: fmt.Errorf("dependency %s (%s): %w", dep.Name, dep.Repository, err)}
			}
		case dep.Repository == "":
			return &Error{Loc: loc, Err: fmt.Errorf("dependency %s is not in charts/ and names no repository", dep.Name)}
		default:
			sub, err = r.pullChart(ctx, dep.Repository, dep.Name, dep.Version, loc)
			if err != nil {
				return &Error{Loc: loc, Err: fmt.Errorf("dependency %s is not vendored in charts/: %w", dep.Name, err)}
			}
			mapArchive(ce, sub, "")
			if err := r.resolveDeps(ctx, ce, sub, "", stack); err != nil {
				return err
			}
		}
		if err := checkVersion(dep, sub); err != nil {
			return &Error{Loc: loc, Err: err}
		}
		c.AddDependency(sub)
		present[dep.Name] = true
	}
	return nil
}

// checkVersion applies the dependency's version constraint to the chart
// found for it (helm pkg/downloader/manager.go tarFromLocalDir).
func checkVersion(dep *chart.Dependency, c *chart.Chart) error {
	if dep.Version == "" {
		return nil
	}
	constraint, err := semver.NewConstraint(dep.Version)
	if err != nil {
		return fmt.Errorf("dependency %s has an invalid version/constraint format: %w", dep.Name, err)
	}
	v, err := semver.NewVersion(c.Metadata.Version)
	if err != nil {
		return fmt.Errorf("dependency %s: chart version %q: %w", dep.Name, c.Metadata.Version, err)
	}
	if !constraint.Check(v) {
		return fmt.Errorf("can't get a valid version for dependency %s: %s does not satisfy %s", dep.Name, c.Metadata.Version, dep.Version)
	}
	return nil
}

func (r *Renderer) rels(abs []string) []string {
	out := make([]string, len(abs))
	for i, a := range abs {
		out[i] = r.rel(a)
	}
	return out
}

// LoadedFiles calls fn with every checkout file the Renderer loaded as
// part of a chart directory (checkout-relative slash path and the bytes
// read), so that checks reading chart files need not read them again.
func (r *Renderer) LoadedFiles(fn func(rel string, data []byte)) {
	r.loaded.Range(func(k, v any) bool {
		fn(k.(string), v.([]byte))
		return true
	})
}
