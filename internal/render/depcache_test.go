package render

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	testfiles "github.com/syncdoctor/syncdoctor/internal/testutil/files"
)

// TestDependencyLoadedOnce renders charts sharing a file:// library on
// every core: each sees the library as if loaded for it alone (its own
// values scope, its file paths), the library is loaded once, and a
// dependency cycle through a cached library is still reported.
func TestDependencyLoadedOnce(t *testing.T) {
	app := func(name string) string {
		return "apiVersion: v2\nname: " + name + "\nversion: 1.0.0\ndependencies:\n  - name: lib\n    version: 1.x\n    repository: file://../lib\n"
	}
	files := map[string]string{
		"charts/lib/Chart.yaml":  "apiVersion: v2\nname: lib\nversion: 1.2.0\ntype: library\n",
		"charts/lib/values.yaml": "shared: lib-default\n",
		"charts/lib/templates/_helpers.tpl": `{{- define "lib.cm" -}}apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Chart.Name }}-{{ .Release.Name }}
data:
  who: {{ .Values.who | quote }}
{{- end -}}`,
		"charts/loop/Chart.yaml": "apiVersion: v2\nname: loop\nversion: 1.0.0\ndependencies:\n  - name: lib2\n    version: 1.x\n    repository: file://../lib2\n",
		"charts/lib2/Chart.yaml": "apiVersion: v2\nname: lib2\nversion: 1.0.0\ndependencies:\n  - name: loop\n    repository: file://../loop\n",
	}
	var names []string
	for i := range 8 {
		name := "app" + string(rune('a'+i))
		names = append(names, name)
		files["charts/"+name+"/Chart.yaml"] = app(name)
		files["charts/"+name+"/values.yaml"] = "who: " + name + "\n"
		files["charts/"+name+"/templates/cm.yaml"] = `{{ include "lib.cm" . }}`
	}
	r := New(Options{Root: testfiles.Tree(t, files), Offline: true})
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Go(func() {
			res, err := r.Render(context.Background(), helmTarget("charts/"+name, nil, nil))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			cm := find(res.Objects, "ConfigMap", name+"-rel")
			if cm == nil {
				t.Errorf("%s: no ConfigMap %s-rel in %d objects", name, name, len(res.Objects))
				return
			}
			if got := cm.Content["data"].(map[string]any)["who"]; got != name {
				t.Errorf("%s: data.who = %v", name, got)
			}
			if res.Chart.Dependencies()[0].Parent() != res.Chart {
				t.Errorf("%s: the library's parent is not the chart", name)
			}
		})
	}
	wg.Wait()
	n := 0
	r.deps.Range(func(k, v any) bool {
		n++
		if !strings.HasSuffix(k.(string), filepath.FromSlash("charts/lib")) {
			t.Errorf("cached dependency %v", k)
		}
		return true
	})
	if n != 1 {
		t.Errorf("%d dependency loads cached, want the library once", n)
	}
	for _, name := range names {
		ce := r.charts["dir:charts/"+name]
		mapped := false
		for _, p := range ce.files {
			mapped = mapped || p == "charts/lib/templates/_helpers.tpl"
		}
		if !mapped {
			t.Errorf("%s: the library's files are not mapped to their checkout paths", name)
		}
	}
	for _, dir := range []string{"charts/loop", "charts/lib2"} {
		if _, err := r.Render(context.Background(), helmTarget(dir, nil, nil)); err == nil || !strings.Contains(err.Error(), "dependency cycle") {
			t.Errorf("%s: err = %v, want a dependency cycle", dir, err)
		}
	}
}
