package pipeline

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// loadArgoCDCM reads the argocd-cm ConfigMap from file (relative to the
// checkout root unless absolute), named in errors after source (the flag
// or configuration key it came from). The file may hold other documents;
// exactly one must be a v1 ConfigMap named argocd-cm, and its diff
// customizations must parse, since ArgoCD rejects them otherwise
// (argo-cd util/settings/settings.go GetResourceOverrides). An empty file
// name is no ConfigMap and no error.
func loadArgoCDCM(root, file, source string) (*manifest.Object, error) {
	if file == "" {
		return nil, nil
	}
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(root, file)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", source, file, err)
	}
	name := abs
	if rel, err := filepath.Rel(root, abs); err == nil && filepath.IsLocal(rel) {
		name = filepath.ToSlash(rel)
	}
	objs, err := yamlObjects(name, string(data), isArgoCDCM)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", source, file, err)
	}
	switch len(objs) {
	case 0:
		return nil, fmt.Errorf("%s %s: no ConfigMap named argocd-cm in the file", source, file)
	case 1:
	default:
		return nil, fmt.Errorf("%s %s: %d ConfigMaps named argocd-cm (lines %d and %d); keep one", source, file, len(objs), objs[0].Line, objs[1].Line)
	}
	if _, err := diffsem.ParseArgoCDConfigMap(objs[0].Content); err != nil {
		return nil, fmt.Errorf("%s %s:%d: %w", source, name, objs[0].Line, err)
	}
	return objs[0], nil
}

// isArgoCDCM reports whether an object is ArgoCD's argocd-cm ConfigMap.
func isArgoCDCM(m map[string]any) bool {
	return manifest.GetString(m, "apiVersion") == "v1" && manifest.GetString(m, "kind") == "ConfigMap" &&
		manifest.GetString(m, "metadata", "name") == "argocd-cm"
}
