package discover

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// argoMarker is the string every Application and ApplicationSet manifest
// contains (its apiVersion). Files without it are not read as manifests,
// so broken values files and the like never produce a finding.
var argoMarker = []byte("argoproj.io")

// walk visits the checkout, reading manifests and noting Terraform modules.
func (d *discoverer) walk(ctx context.Context) error {
	info, err := os.Stat(d.root)
	if err != nil {
		return fmt.Errorf("discover: checkout root: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("discover: checkout root %s is not a directory", d.root)
	}
	seenTF := map[string]bool{}
	var manifests [][2]string // absolute and checkout-relative path, in walk order
	err = filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		rel := d.rel(p)
		if err != nil {
			if p == d.root {
				return fmt.Errorf("discover: reading checkout root: %w", err)
			}
			d.skipped(finding.Location{File: rel}, "cannot read %s: %v", rel, ioErr(err))
			if e != nil && e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			if p == d.root {
				return nil
			}
			if d.skipDir(p, rel, e.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.excluded(rel) {
			return nil
		}
		ext := strings.ToLower(path.Ext(rel))
		switch ext {
		case ".yaml", ".yml", ".json":
		case ".tf":
			if dir := path.Dir(rel); !seenTF[dir] {
				seenTF[dir] = true
				d.tfDirs = append(d.tfDirs, dir)
			}
			return nil
		default:
			return nil
		}
		if e.Type()&fs.ModeSymlink != 0 && !d.insideRoot(p) {
			// ArgoCD refuses manifests whose symlinks leave the repository
			// (reposerver's out-of-bounds symlink check); so do we.
			d.skipped(finding.Location{File: rel}, "%s is a symlink pointing outside the checkout; not followed", rel)
			return nil
		}
		if e.Type()&fs.ModeSymlink == 0 && !e.Type().IsRegular() {
			return nil
		}
		manifests = append(manifests, [2]string{p, rel})
		return nil
	})
	if err != nil {
		return err
	}
	d.readManifests(ctx, manifests)
	return ctx.Err()
}

// readManifests reads and parses the candidate manifests on every core,
// each into a discoverer of its own, and adds their apps and problems in
// walk order: reading and parsing hundreds of Application files was a
// tenth of a 500-app run spent on one core.
func (d *discoverer) readManifests(ctx context.Context, files [][2]string) {
	subs := make([]*discoverer, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(files) && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				sub := &discoverer{opts: d.opts, root: d.root, log: d.log}
				if data, ok := sub.readManifest(files[i][0], files[i][1]); ok {
					sub.yamlFile(files[i][1], data)
				}
				subs[i] = sub
			}
		})
	}
	wg.Wait()
	for _, sub := range subs {
		if sub != nil {
			d.apps = append(d.apps, sub.apps...)
			d.problems = append(d.problems, sub.problems...)
		}
	}
}

// skipDir reports whether a directory is left out: VCS metadata, vendored
// JavaScript, excluded paths and Helm chart sources (whose templates are
// not plain manifests; they are reached through rendering).
func (d *discoverer) skipDir(p, rel, name string) bool {
	if name == ".git" || name == "node_modules" || d.excluded(rel) {
		return true
	}
	if _, err := os.Lstat(filepath.Join(p, "Chart.yaml")); err == nil {
		return true
	}
	return false
}

func (d *discoverer) excluded(rel string) bool {
	for _, g := range d.opts.Exclude {
		g = strings.TrimPrefix(g, "./")
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
		if ok, _ := doublestar.Match(g, rel+"/"); ok {
			return true
		}
	}
	return false
}

// rel turns an absolute path under root into the slash-separated
// checkout-relative form every Location uses.
func (d *discoverer) rel(p string) string {
	r, err := filepath.Rel(d.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// insideRoot reports whether p, with every symlink resolved, stays inside
// the checkout.
func (d *discoverer) insideRoot(p string) bool {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false
	}
	rootReal, err := filepath.EvalSymlinks(d.root)
	if err != nil {
		rootReal = d.root
	}
	r, err := filepath.Rel(rootReal, real)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// readManifest reads a candidate manifest. It returns false for files that
// cannot hold an Application (no "argoproj.io" in them) and for files too
// large to read, which get a not-analyzed problem only when they mention
// ArgoCD.
func (d *discoverer) readManifest(p, rel string) ([]byte, bool) {
	f, err := os.Open(p)
	if err != nil {
		d.skipped(finding.Location{File: rel}, "cannot read %s: %v", rel, ioErr(err))
		return nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, false
	}
	if st.Size() > d.opts.MaxFileSize {
		if containsStream(f, argoMarker) {
			d.skipped(finding.Location{File: rel}, "%s is larger than %d bytes; not scanned for Applications", rel, d.opts.MaxFileSize)
		}
		return nil, false
	}
	data, err := io.ReadAll(io.LimitReader(f, d.opts.MaxFileSize+1))
	if err != nil || !bytes.Contains(data, argoMarker) {
		return nil, false
	}
	return data, true
}

// containsStream searches a reader for needle without holding it in memory.
func containsStream(r io.Reader, needle []byte) bool {
	buf := make([]byte, 64<<10)
	keep := 0
	for {
		n, err := r.Read(buf[keep:])
		if bytes.Contains(buf[:keep+n], needle) {
			return true
		}
		if err != nil {
			return false
		}
		total := keep + n
		keep = min(len(needle)-1, total)
		copy(buf, buf[total-keep:total])
	}
}

// ioErr drops the absolute path an fs.PathError carries: messages name
// checkout-relative paths only.
func ioErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
