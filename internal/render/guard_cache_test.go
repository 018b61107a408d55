package render

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSitesByTextMatchesTemplateSites proves the guarded calls shared by
// text equal those of each file parsed under its own name, on every
// template of the fixtures and the demo and on texts that name their file
// or define a template of the file's name.
func TestSitesByTextMatchesTemplateSites(t *testing.T) {
	type file struct{ name, text string }
	files := []file{
		{"c/templates/a.yaml", `{{ range until (int .Values.n) }}{{ repeat 3 "x" }}{{ end }}`},
		{"c/templates/a.yaml", `{{ define "c/templates/a.yaml" }}{{ until 5 }}{{ end }}{{ repeat (int .Values.n) "x" }}`},
		{"c/templates/b.yaml", `{{ define "` + siteScanName + `" }}{{ until .Values.m }}{{ end }}{{ include "` + siteScanName + `" . }}`},
		{"c/templates/c.yaml", `{{ define "x" }}{{ nindent (int .Values.k) "y" }}{{ end }}{{ indent 2 .Values.s }}`},
	}
	for _, root := range []string{"../../testdata", "../../examples"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.Contains(filepath.ToSlash(p), "/templates/") {
				return nil
			}
			if b, err := os.ReadFile(p); err == nil {
				files = append(files, file{filepath.ToSlash(p), string(b)})
			}
			return nil
		})
	}
	r := New(Options{Root: t.TempDir()})
	withSites := 0
	for _, f := range files {
		// Twice: the first call fills the cache, the second reads it.
		for range 2 {
			got, want := sitesText(r.sitesByText(f.name, []byte(f.text))), sitesText(templateSites(f.name, []byte(f.text)))
			if !slices.Equal(got, want) {
				t.Errorf("%s: shared sites %v, own sites %v", f.name, got, want)
			}
		}
		if len(templateSites(f.name, []byte(f.text))) > 0 {
			withSites++
		}
	}
	if withSites < 10 {
		t.Errorf("only %d templates have guarded calls: the test proves little", withSites)
	}
}

func sitesText(s []guardSite) []string {
	out := make([]string, len(s))
	for i, g := range s {
		out[i] = fmt.Sprintf("%+v", g)
	}
	slices.Sort(out)
	return out
}
