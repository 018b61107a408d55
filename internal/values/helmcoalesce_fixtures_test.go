package values

import (
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
)

// fixtureRepos are the checkouts of the test fixtures: every directory
// under these holds charts and the values files that go with them.
var fixtureRepos = []string{"../../testdata/repos", "../../testdata/hostile", "../../examples", "../render/testdata"}

// fixtureCheckouts lists the fixture checkouts: every directory under
// fixtureRepos but the alias bombs, which are for the guards that run
// before loading.
func fixtureCheckouts(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, base := range fixtureRepos {
		repos, err := os.ReadDir(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range repos {
			if r.IsDir() && !strings.Contains(r.Name(), "bomb") {
				out = append(out, filepath.Join(base, r.Name()))
			}
		}
	}
	return out
}

// fixtureCharts loads every fixture chart that loads, by directory.
func fixtureCharts(t *testing.T) map[string]*chart.Chart {
	t.Helper()
	out := map[string]*chart.Chart{}
	for _, root := range fixtureCheckouts(t) {
		dirs, _ := fixtureFiles(t, root)
		for _, dir := range dirs {
			if c, err := loader.LoadDir(dir); err == nil {
				out[dir] = c
			}
		}
	}
	return out
}

// TestCoalesceMatchesHelmOnFixtures coalesces every fixture chart, as
// loaded and after dependency processing (what the renderer coalesces),
// with every values file of its checkout, with Helm and with
// CoalesceValues; and builds the render values both ways.
func TestCoalesceMatchesHelmOnFixtures(t *testing.T) {
	restore := quietLog()
	defer restore()
	pairs := 0
	for _, root := range fixtureCheckouts(t) {
		charts, valueFiles := fixtureFiles(t, root)
		for _, dir := range charts {
			for _, vf := range valueFiles {
				pairs++
				checkFixturePair(t, dir, vf, !strings.Contains(root, "hostile"))
			}
		}
	}
	if pairs < 100 {
		t.Fatalf("only %d chart × values pairs found", pairs)
	}
	t.Logf("%d chart × values pairs", pairs)
}

// checkFixturePair checks one chart dir with one values file ("" for no
// values). Schemas are validated only where they cannot reach the network.
func checkFixturePair(t *testing.T, dir, valuesFile string, validate bool) {
	var vals map[string]any
	if valuesFile != "" {
		v, err := chartutil.ReadValuesFile(valuesFile)
		if err != nil {
			return // not a values file
		}
		vals = v
	}
	name := dir + " with " + valuesFile
	raw, err := loadWithFileDeps(dir, 0)
	if err != nil {
		return // the renderer reports these; nothing to coalesce
	}
	t.Run(name+" (loaded)", func(t *testing.T) { checkAgainstHelm(t, raw, vals) })
	processed, _ := loadWithFileDeps(dir, 0)
	if err := chartutil.ProcessDependenciesWithMerge(processed, vals); err != nil {
		return
	}
	t.Run(name+" (processed)", func(t *testing.T) {
		checkAgainstHelm(t, processed, vals)
		opts := chartutil.ReleaseOptions{Name: "rel", Namespace: "ns", Revision: 1, IsInstall: true}
		restore := quietLog()
		want, wantErr := chartutil.ToRenderValuesWithSchemaValidation(processed, vals, opts, nil, !validate)
		got, gotErr := ToRenderValues(processed, vals, opts, nil, !validate)
		restore()
		if diff := cmp.Diff(errText(wantErr), errText(gotErr)); diff != "" {
			t.Fatalf("ToRenderValues error (-helm +ours):\n%s", diff)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("ToRenderValues (-helm +ours):\n%s", diff)
		}
	})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// quietLog sends the standard logger (Helm's dependency processing
// warns through it) to nowhere until the returned func is called.
func quietLog() func() {
	w := log.Writer()
	log.SetOutput(io.Discard)
	return func() { log.SetOutput(w) }
}

// fixtureFiles lists the chart directories of a checkout and the files
// that may be values files ("" first, for no values): YAML and JSON files
// outside templates, small, not symlinks.
func fixtureFiles(t *testing.T, root string) (charts, valueFiles []string) {
	valueFiles = []string{""}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if d.Name() == "templates" || d.Name() == "crds" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		switch d.Name() {
		case "Chart.yaml":
			charts = append(charts, filepath.Dir(p))
			return nil
		case "Chart.lock", "values.schema.json":
			return nil
		}
		switch filepath.Ext(p) {
		case ".yaml", ".yml", ".json":
		default:
			return nil
		}
		if info, err := d.Info(); err == nil && info.Size() <= 1<<20 {
			valueFiles = append(valueFiles, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(charts)
	sort.Strings(valueFiles)
	return charts, valueFiles
}

// loadWithFileDeps loads a chart dir and, as the renderer does, adds the
// file:// dependencies it does not vendor.
func loadWithFileDeps(dir string, depth int) (*chart.Chart, error) {
	c, err := loader.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	if depth > 5 {
		return c, nil
	}
	present := map[string]bool{}
	for _, d := range c.Dependencies() {
		present[d.Name()] = true
	}
	for _, dep := range c.Metadata.Dependencies {
		if dep == nil || present[dep.Name] || !strings.HasPrefix(dep.Repository, "file://") {
			continue
		}
		sub, err := loadWithFileDeps(filepath.Join(dir, strings.TrimPrefix(dep.Repository, "file://")), depth+1)
		if err != nil {
			return nil, err
		}
		c.AddDependency(sub)
		present[dep.Name] = true
	}
	return c, nil
}
