package render

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// errEscapesRoot marks a path (value file, file:// dependency, file
// parameter, symlink) that leads outside the checkout.
var errEscapesRoot = errors.New("path leads outside the checkout")

// inRoot turns a checkout-relative path (an absolute one counts from the
// root, as ArgoCD does) into an absolute path whose symlinks all resolve
// inside the root. A path that does not exist is returned as is, if it is
// lexically inside, so the caller's read reports it as missing.
func (r *Renderer) inRoot(rel string) (string, error) {
	p := filepath.Join(r.opts.Root, rel)
	if !within(r.opts.Root, p) {
		return "", fmt.Errorf("%s: %w", rel, errEscapesRoot)
	}
	root := r.realRoot()
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		return "", err
	}
	if !within(root, real) {
		return "", fmt.Errorf("%s: %w", rel, errEscapesRoot)
	}
	return real, nil
}

// realRoot is the root with its own symlinks resolved.
func (r *Renderer) realRoot() string {
	if real, err := filepath.EvalSymlinks(r.opts.Root); err == nil {
		return real
	}
	return r.opts.Root
}

// rel returns the checkout-relative slash path of an absolute path.
func (r *Renderer) rel(abs string) string {
	for _, root := range []string{r.opts.Root, r.realRoot()} {
		if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(abs)
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../") && !filepath.IsAbs(rel)
}

// checkSymlinks walks dir and fails on any symlink whose target lies
// outside the checkout, since Helm's loader and krusty follow symlinks.
func (r *Renderer) checkSymlinks(dir string) error {
	return r.checkSymlinksSeen(dir, map[string]bool{})
}

func (r *Renderer) checkSymlinksSeen(dir string, seen map[string]bool) error {
	if seen[dir] {
		return nil // a symlinked directory cycle: Helm's loader reports it
	}
	seen[dir] = true
	root := r.realRoot()
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			// A PathError names the (possibly outside) target: keep its cause only.
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return &Error{Loc: finding.Location{File: r.rel(p)}, Err: fmt.Errorf("broken symlink: %w", err)}
		}
		if !within(root, real) {
			// The target is not named: it is a path on this machine, outside
			// what the report may show.
			return &Error{Loc: finding.Location{File: r.rel(p)}, Err: fmt.Errorf("symlink: %w", errEscapesRoot)}
		}
		if fi, err := os.Stat(real); err == nil && fi.IsDir() {
			return r.checkSymlinksSeen(real, seen)
		}
		return nil
	})
}

// yamlLineRe finds the line in go-yaml error messages ("yaml: line 3: ...").
var yamlLineRe = regexp.MustCompile(`line (\d+)`)

// yamlErrorLoc is file plus the line a YAML error names, where it names one.
func yamlErrorLoc(file string, err error) finding.Location {
	loc := finding.Location{File: file}
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		loc.Line, _ = strconv.Atoi(m[1])
	}
	return loc
}
