package values

import (
	"slices"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/testutil/files"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
)

// writeChart writes files (slash paths) under a temp dir and loads the
// chart at its root with Helm's loader.
func writeChart(t *testing.T, fs map[string]string) (string, *chart.Chart) {
	t.Helper()
	dir := files.Tree(t, fs)
	c, err := loader.Load(dir)
	if err != nil {
		t.Fatalf("load chart: %v", err)
	}
	return dir, c
}

// readSet renders reads as sorted unique "path" / "path*" (whole) strings.
func readSet(rs []Read) []string {
	var out []string
	for _, r := range rs {
		s := r.Path.String()
		if r.Whole {
			s += "*"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

const chartYAML = "apiVersion: v2\nname: web\nversion: 1.0.0\n"
