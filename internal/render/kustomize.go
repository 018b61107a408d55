package render

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// errReadOnly is returned for any write kustomize attempts.
var errReadOnly = errors.New("read-only view of the checkout")

// roFS is a read-only view of the checkout on disk: writes fail, reads
// outside the root fail, and the kustomization file of the rendered
// directory can be replaced in memory by ArgoCD's overrides.
type roFS struct {
	filesys.FileSystem
	r       *Renderer
	overlay map[string][]byte
}

func (f roFS) check(p string) error {
	if !filepath.IsAbs(p) {
		return nil // relative to the kustomization root, resolved by krusty
	}
	if _, err := f.r.inRoot(f.r.rel(p)); err != nil || !within(f.r.opts.Root, p) {
		return fmt.Errorf("%s: %w", p, errEscapesRoot)
	}
	return nil
}

func (f roFS) ReadFile(p string) ([]byte, error) {
	if b, ok := f.overlay[filepath.Clean(p)]; ok {
		return b, nil
	}
	if err := f.check(p); err != nil {
		return nil, err
	}
	return f.FileSystem.ReadFile(p)
}

func (f roFS) Open(p string) (filesys.File, error) {
	if err := f.check(p); err != nil {
		return nil, err
	}
	return f.FileSystem.Open(p)
}

func (f roFS) Create(string) (filesys.File, error) { return nil, errReadOnly }
func (f roFS) Mkdir(string) error                  { return errReadOnly }
func (f roFS) MkdirAll(string) error               { return errReadOnly }
func (f roFS) RemoveAll(string) error              { return errReadOnly }
func (f roFS) WriteFile(string, []byte) error      { return errReadOnly }

// kustomizationNames are the file names krusty accepts, in its order
// (sigs.k8s.io/kustomize/api/konfig RecognizedKustomizationFileNames).
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// renderKustomize runs krusty in-process with default options (as
// `kustomize build` does for ArgoCD without buildOptions). The common
// spec.source.kustomize overrides that ArgoCD applies with `kustomize edit`
// (argo-cd util/kustomize/kustomize.go Build) are applied to an in-memory
// copy of the kustomization: namePrefix, nameSuffix, namespace, images,
// commonLabels, commonAnnotations. Not applied: replicas, patches,
// components, the force*/labelWithoutSelector/labelIncludeTemplates flags,
// commonAnnotationsEnvsubst.
func (r *Renderer) renderKustomize(t *target.Target) ([]*manifest.Object, error) {
	dir := filepath.ToSlash(filepath.Clean(t.Dir))
	abs, err := r.inRoot(dir)
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: dir}, Err: err}
	}
	fsys := roFS{FileSystem: filesys.MakeFsOnDisk(), r: r, overlay: map[string][]byte{}}
	if k := t.Source.Kustomize; k != nil {
		if err := r.kustomizeOverrides(fsys, abs, dir, t); err != nil {
			return nil, err
		}
	}
	resMap, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fsys, abs)
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: dir}, Err: fmt.Errorf("kustomize build: %w", err)}
	}
	out, err := resMap.AsYaml()
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: dir}, Err: err}
	}
	if len(out) > r.opts.MaxOutputBytes {
		return nil, &Error{Loc: finding.Location{File: dir}, Err: fmt.Errorf("kustomize output is %d bytes, over the limit of %d", len(out), r.opts.MaxOutputBytes)}
	}
	b := newObjBuilder(t.Namespace)
	if err := b.addDocs(dir, dir, string(out)); err != nil {
		return nil, err
	}
	return b.objs, nil
}

func (r *Renderer) kustomizeOverrides(fsys roFS, abs, dir string, t *target.Target) error {
	k := t.Source.Kustomize
	var file string
	for _, n := range kustomizationNames {
		if fsys.Exists(filepath.Join(abs, n)) {
			file = filepath.Join(abs, n)
			break
		}
	}
	if file == "" {
		return nil // krusty reports the missing kustomization
	}
	rel := path.Join(dir, filepath.Base(file))
	data, err := fsys.ReadFile(file)
	if err != nil {
		return &Error{Loc: finding.Location{File: rel}, Err: err}
	}
	kz := map[string]any{}
	if err := yaml.Unmarshal(data, &kz); err != nil {
		return &Error{Loc: yamlErrorLoc(rel, err), Err: err}
	}
	if k.NamePrefix != "" {
		kz["namePrefix"] = k.NamePrefix
	}
	if k.NameSuffix != "" {
		kz["nameSuffix"] = k.NameSuffix
	}
	if k.Namespace != "" {
		kz["namespace"] = k.Namespace
	}
	addStringMap(kz, "commonLabels", k.CommonLabels)
	addStringMap(kz, "commonAnnotations", k.CommonAnnotations)
	for _, img := range k.Images {
		setImage(kz, string(img))
	}
	out, err := yaml.Marshal(kz)
	if err != nil {
		return &Error{Loc: finding.Location{File: rel}, Err: err}
	}
	fsys.overlay[filepath.Clean(file)] = out
	return nil
}

func addStringMap(kz map[string]any, key string, add map[string]string) {
	if len(add) == 0 {
		return
	}
	m, _ := kz[key].(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	for k, v := range add {
		m[k] = v
	}
	kz[key] = m
}

// setImage applies one `kustomize edit set image` argument:
// [old=]name[:tag|@digest].
func setImage(kz map[string]any, spec string) {
	img := map[string]any{}
	name, newRef := spec, spec
	if i := strings.Index(spec, "="); i >= 0 {
		name, newRef = spec[:i], spec[i+1:]
	}
	newName, tag, digest := newRef, "", ""
	if i := strings.Index(newRef, "@"); i >= 0 {
		newName, digest = newRef[:i], newRef[i+1:]
	} else if i := strings.LastIndex(newRef, ":"); i >= 0 && !strings.Contains(newRef[i:], "/") {
		newName, tag = newRef[:i], newRef[i+1:]
	}
	if j := strings.LastIndex(name, ":"); j >= 0 && !strings.Contains(name[j:], "/") && !strings.Contains(spec, "=") {
		name = name[:j]
	} else if j := strings.Index(name, "@"); j >= 0 && !strings.Contains(spec, "=") {
		name = name[:j]
	}
	img["name"] = name
	if newName != name {
		img["newName"] = newName
	}
	if tag != "" {
		img["newTag"] = tag
	}
	if digest != "" {
		img["digest"] = digest
	}
	list, _ := kz["images"].([]any)
	for i, e := range list {
		if m, ok := e.(map[string]any); ok && m["name"] == name {
			list[i] = img
			kz["images"] = list
			return
		}
	}
	list = append(list, img)
	sort.SliceStable(list, func(i, j int) bool {
		a, _ := list[i].(map[string]any)
		b, _ := list[j].(map[string]any)
		return fmt.Sprint(a["name"]) < fmt.Sprint(b["name"])
	})
	kz["images"] = list
}
