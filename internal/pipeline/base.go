package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/syncdoctor/syncdoctor/internal/check"
)

// Limits on the tree written for a base revision: a checkout is a GitOps
// repository, not a data store, and the renderer refuses larger inputs
// anyway (render's own per-file limit is lower).
const (
	maxBaseFile  = 10 << 20 // larger files are left out
	maxBaseTotal = 1 << 30  // larger trees stop the run
	maxBaseFiles = 200_000
	maxLinkHops  = 8
)

// ErrBase marks a --base revision that cannot be read (unknown revision,
// no git repository, checkout directory absent at that revision).
var ErrBase = errors.New("base revision")

// baseTree writes the checkout as it was at revision rev into a new
// temporary directory: its tree is read with go-git (no git binary, the
// work tree untouched). The caller removes the directory.
func baseTree(ctx context.Context, root, rev string) (string, error) {
	dir, err := os.MkdirTemp("", "syncdoctor-base-")
	if err != nil {
		return "", fmt.Errorf("--base %s: %w", rev, err)
	}
	if err := extractRevision(ctx, root, rev, dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// baseRenders renders a base revision's tree (from baseTree) as the
// checkout itself is rendered (discover → resolve → render; problems and
// checks are left out). The head's configuration and repo map apply, so
// both sides render the same way.
func (s *state) baseRenders(ctx context.Context, dir string, opts Options) ([]*check.Rendered, error) {
	base, _, err := renderCheckout(ctx, dir, s.cfg, s.repos, s.kube, s.apiVersions, opts, s.logger, nil)
	if err != nil {
		return nil, err
	}
	return base.rendered, nil
}

// extractRevision writes the files of the checkout root (a directory of a
// git work tree, possibly below its top) as they are at rev into dst.
func extractRevision(ctx context.Context, root, rev, dst string) error {
	repo, err := git.PlainOpenWithOptions(root, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return fmt.Errorf("--base %s: %w: %s is not inside a git repository: %w", rev, ErrBase, root, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return fmt.Errorf("--base %s: %w: %s has no work tree: %w", rev, ErrBase, root, err)
	}
	prefix, err := checkoutPrefix(wt.Filesystem.Root(), root)
	if err != nil {
		return fmt.Errorf("--base %s: %w: %w", rev, ErrBase, err)
	}
	hash, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		// go-git says "reference not found" or, past the first commit, EOF:
		// the revision is what the user needs to hear about.
		return fmt.Errorf("--base %s: %w: no such revision in the repository at %s", rev, ErrBase, wt.Filesystem.Root())
	}
	commit, err := repo.CommitObject(*hash)
	if err != nil {
		return fmt.Errorf("--base %s: %w: not a commit: %w", rev, ErrBase, err)
	}
	tree, err := commit.Tree()
	if err != nil {
		return fmt.Errorf("--base %s: %w: %w", rev, ErrBase, err)
	}
	if prefix != "." {
		if tree, err = tree.Tree(prefix); err != nil {
			return fmt.Errorf("--base %s: %w: %s does not exist at that revision", rev, ErrBase, prefix)
		}
	}
	if err := writeTree(ctx, tree, dst); err != nil {
		return fmt.Errorf("--base %s: %w", rev, err)
	}
	return nil
}

// checkoutPrefix is root relative to the work tree's top, slash-separated
// ("." when root is the top). Both sides have symlinks resolved: the
// checkout may be named through one (a temporary directory on macOS).
func checkoutPrefix(top, root string) (string, error) {
	t, err := filepath.EvalSymlinks(top)
	if err != nil {
		return "", err
	}
	r, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(t, r)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		return "", fmt.Errorf("%s is outside the work tree %s", root, top)
	}
	return filepath.ToSlash(rel), nil
}

// writeTree writes the regular files of tree under dst. Files over
// maxBaseFile are left out. No symlink is created: a symlink to a regular
// file of the same tree becomes a copy of it, any other (to a directory,
// outside the checkout, dangling) is left out, so nothing written can lead
// outside dst.
func writeTree(ctx context.Context, tree *object.Tree, dst string) error {
	files := map[string]*object.File{}
	links := map[string]string{}
	iter := tree.Files()
	defer iter.Close()
	for {
		f, err := iter.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !filepath.IsLocal(filepath.FromSlash(f.Name)) {
			continue
		}
		if len(files)+len(links) >= maxBaseFiles {
			return fmt.Errorf("the checkout holds more than %d files at that revision", maxBaseFiles)
		}
		switch f.Mode {
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			files[f.Name] = f
		case filemode.Symlink:
			if f.Size > 4096 {
				continue
			}
			target, err := f.Contents()
			if err != nil {
				return err
			}
			links[f.Name] = target
		}
	}
	var total int64
	write := func(name string, f *object.File) error {
		if f.Size > maxBaseFile {
			return nil
		}
		if total += f.Size; total > maxBaseTotal {
			return fmt.Errorf("the checkout is larger than %d bytes at that revision", maxBaseTotal)
		}
		p := filepath.Join(dst, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		r, err := f.Reader()
		if err != nil {
			return err
		}
		defer r.Close()
		out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, io.LimitReader(r, maxBaseFile))
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	}
	for name, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := write(name, f); err != nil {
			return err
		}
	}
	for name := range links {
		// A link whose path a file's directory also uses (only a
		// hand-made tree has both) is left out like any unusable link.
		if f := linkedFile(name, files, links); f != nil {
			if err := write(name, f); err != nil && total > maxBaseTotal {
				return err
			}
		}
	}
	return nil
}

// linkedFile follows a symlink through the tree (lexically, a few hops)
// to a regular file inside it; nil when it leads elsewhere.
func linkedFile(name string, files map[string]*object.File, links map[string]string) *object.File {
	for range maxLinkHops {
		target := links[name]
		if path.IsAbs(target) || strings.Contains(target, "\\") {
			return nil
		}
		next := path.Join(path.Dir(name), target)
		if !filepath.IsLocal(filepath.FromSlash(next)) {
			return nil
		}
		if f, ok := files[next]; ok {
			return f
		}
		if _, ok := links[next]; !ok {
			return nil
		}
		name = next
	}
	return nil
}
