package render

import (
	"context"
	"maps"
	"slices"

	"helm.sh/helm/v3/pkg/chart"
)

// A chart directory that several charts depend on through file:// (a
// library chart) is loaded once per run: Helm's loader walked, read and
// parsed it again for every dependent chart. Later dependents get a copy
// of the loaded tree (copyChart: dependency processing writes to it),
// sharing the read-only files.

// depLoad is a chart directory loaded as a dependency, with what a
// dependent's chart entry needs of that load.
type depLoad struct {
	chart *chart.Chart // never handed out: dependents get copies
	// files maps the tree's files to checkout paths (chartEntry.files).
	files map[*chart.File]string
	// dirs are the absolute directories of the tree, for cycle checks.
	dirs []string
}

// loadDependencyDir is loadChartDir for a file:// dependency, through the
// Renderer's cache of dependency loads. Only successful loads are kept,
// so errors are always reported as the uncached load words them; a tree
// that holds a directory of the current stack is loaded again, so that
// the cycle is reported.
func (r *Renderer) loadDependencyDir(ctx context.Context, ce *chartEntry, dir string, stack []string) (*chart.Chart, error) {
	abs, err := r.inRoot(dir)
	if err == nil {
		if v, ok := r.deps.Load(abs); ok {
			d := v.(*depLoad)
			if !slices.ContainsFunc(d.dirs, func(x string) bool { return slices.Contains(stack, x) }) {
				maps.Copy(ce.files, d.files)
				ce.loadedDirs = append(ce.loadedDirs, d.dirs...)
				return copyChart(d.chart), nil
			}
		}
	}
	sub := &chartEntry{files: map[*chart.File]string{}}
	c, err := r.loadChartDir(ctx, sub, dir, stack)
	maps.Copy(ce.files, sub.files)
	ce.loadedDirs = append(ce.loadedDirs, sub.loadedDirs...)
	if err != nil {
		return nil, err
	}
	// Kept before the dependent attaches c (AddDependency sets its parent).
	r.deps.LoadOrStore(abs, &depLoad{chart: copyChart(c), files: sub.files, dirs: sub.loadedDirs})
	return c, nil
}
