package fix

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Outcome is what became of one finding in a Plan.
type Outcome struct {
	Finding finding.Finding
	// Fix is the fix applied, or for a manual outcome the fix to apply by
	// hand (nil when the finding has none).
	Fix *finding.Fix
	// Reason says why a fix is manual; empty for applied fixes.
	Reason string
}

// Change is the new content of one file.
type Change struct {
	File     string // checkout-relative, slash-separated
	Old, New []byte
	Mode     fs.FileMode
	abs      string
}

// Plan is the effect of applying fixes, computed in memory: the changed
// files, the findings whose fix is in them, and the findings left to a
// person.
type Plan struct {
	Changes []Change
	Applied []Outcome
	Manual  []Outcome
}

// Diff returns the unified diff of every change, files in path order.
func (p *Plan) Diff() string {
	var b strings.Builder
	for _, c := range p.Changes {
		b.WriteString(UnifiedDiff(c.File, c.Old, c.New))
	}
	return b.String()
}

// Machine returns the first machine-applicable fix of f: one with Edits
// that is not a kubectl command. It returns nil when there is none.
func Machine(f *finding.Finding) *finding.Fix {
	for i := range f.Fixes {
		if x := &f.Fixes[i]; len(x.Edits) > 0 && x.Kind != finding.FixKubectl {
			return x
		}
	}
	return nil
}

// Compute applies, in memory, the first machine-applicable fix of each
// finding (in order) to the files under root. All edits of one file are
// applied in one pass; an edit that fails, or that touches what an
// earlier finding's edit changed, makes the whole fix manual. It fails
// only when root itself is unusable.
func Compute(root string, findings []finding.Finding) (*Plan, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if absRoot, err = filepath.EvalSymlinks(absRoot); err != nil {
		return nil, fmt.Errorf("checkout root %s: %w", root, err)
	}
	st := &state{root: absRoot, files: map[string]*fileState{}}
	p := &Plan{}
	for i := range findings {
		f := findings[i]
		x := Machine(&f)
		if x == nil {
			o := Outcome{Finding: f, Reason: "no machine-applicable fix"}
			if len(f.Fixes) > 0 {
				o.Fix = &f.Fixes[0]
			}
			p.Manual = append(p.Manual, o)
			continue
		}
		if err := st.apply(i, x.Edits); err != nil {
			p.Manual = append(p.Manual, Outcome{Finding: f, Fix: x, Reason: err.Error()})
			continue
		}
		p.Applied = append(p.Applied, Outcome{Finding: f, Fix: x})
	}
	for _, name := range slices.Sorted(mapKeys(st.files)) {
		fs := st.files[name]
		if string(fs.cur) != string(fs.orig) {
			p.Changes = append(p.Changes, Change{File: name, Old: fs.orig, New: fs.cur, Mode: fs.mode, abs: fs.abs})
		}
	}
	return p, nil
}

func mapKeys[M ~map[string]V, V any](m M) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// state holds the files as edited so far and what each finding changed.
type state struct {
	root  string
	files map[string]*fileState
}

type fileState struct {
	abs        string
	mode       fs.FileMode
	orig, cur  []byte
	claims     []claim
	done       []finding.Edit
	texts      []textClaim
	structural bool // a YAML or HCL edit changed the file: At positions no longer hold
}

// claim is a path an applied edit changed.
type claim struct {
	owner    int
	doc      int
	path     []seg
	appended bool // an append: other appends to the same sequence are compatible
}

// textClaim is a region a replace-text edit wrote, in current and
// original coordinates.
type textClaim struct {
	owner              int
	curStart, newLen   int
	origStart, origLen int
}

func (s *state) load(rel string) (*fileState, error) {
	if fs, ok := s.files[rel]; ok {
		return fs, nil
	}
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return nil, fmt.Errorf("%s: not a path inside the checkout", rel)
	}
	abs, err := filepath.EvalSymlinks(filepath.Join(s.root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	if r, err := filepath.Rel(s.root, abs); err != nil || !filepath.IsLocal(r) {
		return nil, fmt.Errorf("%s: links outside the checkout", rel)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() || info.Size() > MaxFileBytes {
		return nil, fmt.Errorf("%s: not a regular file of at most %d bytes", rel, MaxFileBytes)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	fs := &fileState{abs: abs, mode: info.Mode(), orig: data, cur: data}
	s.files[rel] = fs
	return fs, nil
}
