package fix

import (
	"bytes"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// FuzzApplyYAML applies random edits to random YAML: it must not panic,
// a successful edit must leave a parseable file, and a no-op edit (set a
// key to the value it holds) must keep the bytes.
func FuzzApplyYAML(f *testing.F) {
	f.Add("a: 1 # c\nb:\n  - x\n", "b", uint8(2), "- y")
	f.Add("a:\r\n  b: {c: 1}\r\n---\nd: 2\n", "a.b.e", uint8(0), "3")
	f.Add("l:\n- name: x\n  v: 1\n", "l[0].name", uint8(3), "")
	f.Add("a: &x [1]\nb: *x\n", "a", uint8(1), "k: v")
	f.Fuzz(func(t *testing.T, src, path string, op uint8, value string) {
		ops := []finding.EditOp{finding.OpSet, finding.OpMerge, finding.OpAppend, finding.OpDelete}
		e := finding.Edit{Path: path, Op: ops[int(op)%len(ops)], Value: value}
		out, err := ApplyYAML([]byte(src), e)
		if err != nil {
			return
		}
		if _, err := parseYAML(bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n"))); err != nil {
			t.Fatalf("edit %+v of %q left invalid YAML %q: %v", e, src, out, err)
		}
		// No-op: set the edited path to the value it now holds.
		p, err := parsePath(path)
		if err != nil || e.Op == finding.OpDelete {
			return
		}
		fl, _ := parseYAML(bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n")))
		ed := &editor{f: fl}
		h, err := ed.walk(p)
		if err != nil || h.depth != len(p) || h.node == nil || hasAnchor(h.node) || hasAlias(h.node) {
			return
		}
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		if enc.Encode(h.node) != nil {
			return
		}
		again, err := ApplyYAML(out, finding.Edit{Path: path, Op: finding.OpSet, Value: buf.String()})
		if err == nil && !bytes.Equal(again, out) {
			t.Fatalf("no-op set of %s changed %q to %q", path, out, again)
		}
	})
}
