package discover

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// FuzzDiscoverYAML feeds arbitrary bytes to discovery as a manifest file
// and as an ApplicationSet params file; it must never panic.
func FuzzDiscoverYAML(f *testing.F) {
	f.Add([]byte("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n"))
	f.Add([]byte("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: s\nspec:\n  generators:\n  - list:\n      elements: [{a: b}]\n  template:\n    metadata: {name: '{{a}}'}\n"))
	f.Add([]byte("a: &a [*a]\nkind: argoproj.io\n"))
	f.Add([]byte("x: &x {a: 1}\n<<: *x\napiVersion: argoproj.io/v1alpha1\nkind: Application\n---\n- [\n"))
	f.Add([]byte("apiVersion: argoproj.io/v1alpha1\r\nkind: Application\r\nspec: {syncPolicy: 3}\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		root := t.TempDir()
		set := "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\nspec:\n  generators:\n  - git:\n      repoURL: r\n      files: [{path: 'p/*.yaml'}]\n  template:\n    metadata: {name: '{{name}}'}\n"
		for name, content := range map[string][]byte{"m.yaml": data, "set.yaml": []byte(set), "p/x.yaml": data} {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Discover(context.Background(), Options{Root: root, LocalDir: func(string) (string, bool) { return "", true }})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Problems {
			if p.Location.File == "" || p.Location.Line < 1 && p.Location.File == "m.yaml" {
				t.Errorf("problem without position: %+v", p)
			}
		}
		docs, _ := splitYAML(data)
		var objs []*manifest.Object
		for _, d := range docs {
			if v, err := nodeToJSON(d.Root); err == nil {
				if m, ok := v.(map[string]any); ok {
					objs = append(objs, &manifest.Object{Content: m, File: "m.yaml", Line: d.Root.Line})
				}
			}
		}
		FromObjects(objs, "parent")
	})
}
