package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Writer writes files atomically: a temporary file in the same directory
// is written, synced, given the original mode and renamed over the target,
// so a reader (or a crash) sees the old file or the new one, never a part.
type Writer struct {
	// BeforeRename, when set, runs after the temporary file is complete and
	// before it replaces the target; an error aborts the write and removes
	// the temporary file. Tests inject faults here.
	BeforeRename func(tmp string) error
}

// WriteFile replaces path with data, keeping mode.
func (w *Writer) WriteFile(path string, data []byte, mode fs.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".syncdoctor-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(mode.Perm()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if w != nil && w.BeforeRename != nil {
		if err = w.BeforeRename(name); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err = os.Rename(name, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // best effort: make the rename durable
		d.Close()
	}
	return nil
}

// Write writes every change of p, checking first that no file changed on
// disk since it was read. It stops at the first failure; files written
// before it stay written, and no file is ever left half-written.
func (p *Plan) Write(w *Writer) error {
	for _, c := range p.Changes {
		cur, err := os.ReadFile(c.abs)
		if err != nil {
			return fmt.Errorf("%s: %w", c.File, err)
		}
		if !bytes.Equal(cur, c.Old) {
			return fmt.Errorf("%s: %w", c.File, errChanged)
		}
		if err := w.WriteFile(c.abs, c.New, c.Mode); err != nil {
			return err
		}
	}
	return nil
}

var errChanged = errors.New("the file changed on disk since it was read; run fix again")
