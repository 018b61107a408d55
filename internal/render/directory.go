package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/argoproj/argo-cd/v3/util/glob"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// manifestFileRe and skipMarker are ArgoCD's (argo-cd
// reposerver/repository/repository.go manifestFile, skipFileRenderingMarker).
var manifestFileRe = regexp.MustCompile(`^.*\.(yaml|yml|json|jsonnet)$`)

const skipMarker = "+argocd:skip-file-rendering"

// renderDirectory reads plain manifests with ArgoCD's findManifests rules
// (argo-cd reposerver/repository/repository.go findManifests,
// getPotentiallyValidManifests, getPotentiallyValidManifestFile,
// getObjsFromYAMLOrJSON): .yaml/.yml/.json files of the directory (all
// subdirectories with recurse), include/exclude matched by ArgoCD's glob
// against the path relative to the directory, files with the skip marker
// left out, symlinks only to regular files inside the checkout, a YAML
// file that fails to parse ignored unless it looks like a manifest. A
// .jsonnet file gives an ErrJsonnet Error.
func (r *Renderer) renderDirectory(t *target.Target) ([]*manifest.Object, error) {
	dir := filepath.ToSlash(filepath.Clean(t.Dir))
	abs, err := r.inRoot(dir)
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: dir}, Err: err}
	}
	d := t.Source.Directory
	recurse, include, exclude := false, "", ""
	if d != nil {
		recurse, include, exclude = d.Recurse, d.Include, d.Exclude
	}
	b := newObjBuilder(t.Namespace)
	b.lines = true
	total := int64(0)
	err = filepath.WalkDir(abs, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if p != abs && !recurse {
				return filepath.SkipDir
			}
			return nil
		}
		if !manifestFileRe.MatchString(e.Name()) {
			return nil
		}
		relPath, _ := filepath.Rel(abs, p)
		relPath = filepath.ToSlash(relPath)
		file := path.Join(dir, relPath)
		real := p
		if e.Type()&fs.ModeSymlink != 0 {
			if real, err = r.inRoot(file); err != nil {
				return &Error{Loc: finding.Location{File: file}, Err: fmt.Errorf("illegal filepath in symlink: %w", err)}
			}
		}
		fi, err := os.Stat(real)
		if err != nil || !fi.Mode().IsRegular() {
			return nil // ArgoCD skips missing symlink targets and non-regular files with a warning
		}
		if exclude != "" && glob.Match(exclude, relPath) {
			return nil
		}
		if include != "" && !glob.Match(include, relPath) {
			return nil
		}
		// Sizes are summed before reading, so a huge file is refused
		// unread.
		if total+fi.Size() > int64(r.opts.MaxOutputBytes) {
			return &Error{Loc: finding.Location{File: dir}, Err: fmt.Errorf("manifests exceed the limit of %d bytes (at %s)", r.opts.MaxOutputBytes, file)}
		}
		data, err := os.ReadFile(real)
		if err != nil {
			return &Error{Loc: finding.Location{File: file}, Err: err}
		}
		if bytes.Contains(data, []byte(skipMarker)) {
			return nil
		}
		if strings.HasSuffix(e.Name(), ".jsonnet") {
			return &Error{Loc: finding.Location{File: file}, Err: fmt.Errorf("%w: %s", ErrJsonnet, file)}
		}
		total += int64(len(data))
		if total > int64(r.opts.MaxOutputBytes) {
			return &Error{Loc: finding.Location{File: dir}, Err: fmt.Errorf("manifests exceed the limit of %d bytes", r.opts.MaxOutputBytes)}
		}
		return r.addFile(b, file, data)
	})
	if err != nil {
		return nil, asError(err, finding.Location{File: dir})
	}
	return b.objs, nil
}

// addFile adds the objects of one manifest file. JSON files hold exactly
// one object; YAML files any number of documents.
func (r *Renderer) addFile(b *objBuilder, file string, data []byte) error {
	if strings.HasSuffix(file, ".json") {
		dec := json.NewDecoder(bytes.NewReader(data))
		var v map[string]any
		if err := dec.Decode(&v); err != nil {
			return &Error{Loc: finding.Location{File: file}, Err: fmt.Errorf("failed to unmarshal %q: %w", path.Base(file), err)}
		}
		if dec.More() {
			return &Error{Loc: finding.Location{File: file}, Err: fmt.Errorf("found multiple objects in %q: only single objects are allowed in JSON files", path.Base(file))}
		}
		return b.addDocs(file, file, string(data))
	}
	before := len(b.objs)
	err := b.addDocs(file, file, string(data))
	if err == nil {
		return nil
	}
	// A YAML file none of whose documents parse is ignored unless it looks
	// like a Kubernetes manifest (getObjsFromYAMLOrJSON).
	looksLikeManifest := bytes.Contains(data, []byte("apiVersion:")) && bytes.Contains(data, []byte("kind:")) && bytes.Contains(data, []byte("metadata:"))
	if len(b.objs) > before || looksLikeManifest {
		return err
	}
	delete(b.docs, file)
	return nil
}
