package fix

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// apply applies one fix's edits for finding owner, all or nothing.
func (s *state) apply(owner int, edits []finding.Edit) error {
	saved := map[string]fileState{}
	restore := func() {
		for k, v := range saved {
			*s.files[k] = v
		}
	}
	for _, e := range edits {
		fs, err := s.load(e.File)
		if err != nil {
			restore()
			return fmt.Errorf("edit of %s: %w", e.File, err)
		}
		if _, ok := saved[e.File]; !ok {
			cp := *fs
			cp.claims = append([]claim(nil), fs.claims...)
			cp.texts = append([]textClaim(nil), fs.texts...)
			cp.done = append([]finding.Edit(nil), fs.done...)
			saved[e.File] = cp
		}
		if err := fs.edit(owner, e); err != nil {
			restore()
			return fmt.Errorf("edit of %s: %w", e.File, err)
		}
	}
	return nil
}

func (fs *fileState) edit(owner int, e finding.Edit) error {
	// The same edit proposed by several findings (one template fix for
	// several config keys) is applied once.
	if slices.Contains(fs.done, e) {
		return nil
	}
	fs.done = append(fs.done, e)
	if e.Op == finding.OpReplaceText {
		return fs.editText(owner, e)
	}
	var out []byte
	var err error
	if strings.HasSuffix(e.File, ".tf") {
		out, err = ApplyHCL(fs.cur, e.File, e)
	} else {
		out, err = ApplyYAML(fs.cur, e)
	}
	if err != nil {
		return err
	}
	if bytes.Equal(out, fs.cur) {
		return nil // already as the edit wants it (maybe by another finding's fix)
	}
	path, _ := parsePath(e.Path)
	mine := []claim{{owner: owner, doc: e.Document, path: path, appended: e.Op == finding.OpAppend}}
	if e.Op == finding.OpMerge {
		mine = mergeClaims(owner, e.Document, path, e.Value)
	}
	for _, m := range mine {
		for _, c := range fs.claims {
			if c.owner == owner || c.doc != m.doc || !overlaps(c.path, m.path) {
				continue
			}
			if c.appended && m.appended && len(c.path) == len(m.path) {
				continue
			}
			return fmt.Errorf("conflicts with the fix of an earlier finding at %s", pathString(c.path))
		}
	}
	fs.claims = append(fs.claims, mine...)
	fs.cur, fs.structural = out, true
	return nil
}

// mergeClaims claims path.key for each top-level key of a merge's value,
// so merges of different keys into one mapping are compatible.
func mergeClaims(owner, doc int, path []seg, value string) []claim {
	var n yaml.Node
	if yaml.Unmarshal([]byte(value), &n) != nil || len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return []claim{{owner: owner, doc: doc, path: path}}
	}
	var out []claim
	m := n.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		p := append(append([]seg(nil), path...), seg{key: m.Content[i].Value, index: -1})
		out = append(out, claim{owner: owner, doc: doc, path: p})
	}
	return out
}

// editText applies a replace-text edit, translating At from the file as
// read to the file as edited so far.
func (fs *fileState) editText(owner int, e finding.Edit) error {
	if e.At.Line > 0 && !bytes.Equal(fs.cur, fs.orig) {
		if fs.structural {
			e.At = finding.Location{} // positions moved: fall back to a unique match
		} else if o, ok := lineColOffset(fs.orig, e.At.Line, max(e.At.Column, 1)); ok {
			cur := o
			for _, t := range fs.texts {
				if t.origStart+t.origLen <= o {
					cur += t.newLen - t.origLen
				} else if t.origStart < o+len(e.Old) {
					return fmt.Errorf("conflicts with the fix of an earlier finding at line %d", e.At.Line)
				}
			}
			if !bytes.HasPrefix(fs.cur[cur:], []byte(e.Old)) {
				return fmt.Errorf("replace-text: the text to replace is not at line %d", e.At.Line)
			}
			out := append(append(append([]byte(nil), fs.cur[:cur]...), e.Value...), fs.cur[cur+len(e.Old):]...)
			return fs.recordText(owner, cur, len(e.Old), len(e.Value), out)
		}
	}
	out, at, err := ReplaceText(fs.cur, e)
	if err != nil {
		return err
	}
	return fs.recordText(owner, at, len(e.Old), len(e.Value), out)
}

func (fs *fileState) recordText(owner, at, oldLen, newLen int, out []byte) error {
	origAt := at
	for _, t := range fs.texts {
		if t.owner != owner && at < t.curStart+t.newLen && t.curStart < at+oldLen {
			return fmt.Errorf("conflicts with the fix of an earlier finding")
		}
		if t.curStart+t.newLen <= at {
			origAt -= t.newLen - t.origLen
		}
	}
	for i := range fs.texts {
		if fs.texts[i].curStart >= at+oldLen {
			fs.texts[i].curStart += newLen - oldLen
		}
	}
	fs.texts = append(fs.texts, textClaim{owner: owner, curStart: at, newLen: newLen, origStart: origAt, origLen: oldLen})
	fs.cur = out
	return nil
}
