package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// loadCRDDirs reads the CustomResourceDefinitions in the YAML and JSON
// files under each dir (recursively; relative dirs are relative to the
// checkout root), for checks that predict CRD defaults of resources whose
// CRD the checkout does not render (installed by another tool, `--crds`).
// Other documents are skipped. File is checkout-relative for files inside
// the checkout, else the path as found.
func loadCRDDirs(root string, dirs []string) ([]*manifest.Object, error) {
	var out []*manifest.Object
	for _, dir := range dirs {
		abs := dir
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(root, dir)
		}
		info, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("--crds %s: %w", dir, err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("--crds %s: not a directory", dir)
		}
		err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !isManifestFile(p) {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			name := p
			if rel, err := filepath.Rel(root, p); err == nil && filepath.IsLocal(rel) {
				name = filepath.ToSlash(rel)
			}
			objs, err := crdDocs(name, string(data))
			if err != nil {
				return err
			}
			out = append(out, objs...)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("--crds %s: %w", dir, err)
		}
	}
	return out, nil
}

func isManifestFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// crdDocs parses the documents of one file and keeps the CRDs.
func crdDocs(name, text string) ([]*manifest.Object, error) {
	return yamlObjects(name, text, func(m map[string]any) bool {
		return manifest.GetString(m, "kind") == "CustomResourceDefinition" && strings.HasPrefix(manifest.GetString(m, "apiVersion"), "apiextensions.k8s.io/")
	})
}

// yamlObjects parses the documents of one file (split at "---" lines as
// apimachinery's YAMLReader does) and keeps the objects keep accepts.
func yamlObjects(name, text string, keep func(map[string]any) bool) ([]*manifest.Object, error) {
	var out []*manifest.Object
	doc, start, line := 0, 0, 0
	var cur strings.Builder
	flush := func() error {
		defer func() { cur.Reset(); start = 0 }()
		if start == 0 {
			return nil
		}
		idx := doc
		doc++
		j, err := yaml.YAMLToJSON([]byte(cur.String()))
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, start, err)
		}
		dec := json.NewDecoder(bytes.NewReader(j))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil || m == nil {
			return nil // not an object
		}
		m, _ = values.Unstructure(m).(map[string]any)
		if !keep(m) {
			return nil
		}
		out = append(out, &manifest.Object{Content: m, Ref: manifest.RefOf(m, ""), File: name, Line: start, Doc: idx})
		return nil
	}
	for _, ln := range strings.SplitAfter(text, "\n") {
		line++
		if rest, ok := strings.CutPrefix(ln, "---"); ok {
			if r := strings.TrimSpace(rest); r == "" || strings.HasPrefix(r, "#") {
				if err := flush(); err != nil {
					return nil, err
				}
				continue
			}
		}
		cur.WriteString(ln)
		if t := strings.TrimSpace(ln); start == 0 && t != "" && !strings.HasPrefix(t, "#") {
			start = line
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}
