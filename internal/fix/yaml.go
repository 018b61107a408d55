package fix

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"

	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// ApplyYAML applies one set, merge, append or delete edit to the YAML
// stream src and returns the new bytes. Only the edited region changes:
// the rest of the file, comments and line endings included, keeps its
// bytes, and an edit that changes nothing returns src itself. The result is
// re-parsed and compared with the expected values before it is returned, so
// an edit either does exactly what it says or fails.
func ApplyYAML(src []byte, e finding.Edit) ([]byte, error) {
	crlf := bytes.Contains(src, []byte("\r\n"))
	norm := src
	if crlf {
		norm = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	f, err := parseYAML(norm)
	if err != nil {
		return nil, err
	}
	if e.Document < 0 || e.Document >= max(len(f.docs), 1) {
		return nil, fmt.Errorf("document %d: the file has %d", e.Document, len(f.docs))
	}
	if len(f.docs) == 0 {
		// An empty file is one empty document.
		f.docs = []*yaml.Node{{Kind: yaml.DocumentNode}}
	}
	path, err := parsePath(e.Path)
	if err != nil {
		return nil, err
	}
	ed := &editor{f: f, doc: e.Document}
	ed.step = ed.indentStep()
	before, err := docValues(f)
	if err != nil {
		return nil, err
	}
	var v *yaml.Node
	if e.Op != finding.OpDelete {
		if v, err = parseValue(e.Value); err != nil {
			return nil, err
		}
	}
	want := before[e.Document]
	switch e.Op {
	case finding.OpSet:
		err = ed.set(path, v)
	case finding.OpMerge:
		if v.Kind != yaml.MappingNode {
			return nil, errors.New("merge: the value is not a mapping")
		}
		err = ed.merge(path, v)
	case finding.OpAppend:
		err = ed.appendAll(path, v)
	case finding.OpDelete:
		err = ed.delete(path)
	default:
		return nil, fmt.Errorf("op %q is not a YAML edit", e.Op)
	}
	if err != nil {
		return nil, err
	}
	if want, err = expect(want, path, e.Op, v); err != nil {
		return nil, err
	}
	after, err := docValues(ed.f)
	if err != nil {
		return nil, err
	}
	before[e.Document] = want
	if !sameDocs(before, after) {
		return nil, errors.New("internal error: the edited file does not hold the expected values")
	}
	out := ed.f.src
	if bytes.Equal(out, norm) {
		return src, nil
	}
	if crlf {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	return out, nil
}

// merge deep-merges mapping v into the mapping at path.
func (ed *editor) merge(path []seg, v *yaml.Node) error {
	h, err := ed.walk(path)
	if err != nil {
		return err
	}
	if h.depth < len(path) || isNull(h.node) {
		return ed.set(path, v)
	}
	if h.node.Kind != yaml.MappingNode {
		return fmt.Errorf("merge: path %s is not a mapping", pathString(path))
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		child := append(append([]seg(nil), path...), seg{key: v.Content[i].Value, index: -1})
		val := v.Content[i+1]
		ch, err := ed.walk(child)
		if err != nil {
			return err
		}
		if ch.depth == len(child) && ch.node.Kind == yaml.MappingNode && val.Kind == yaml.MappingNode {
			err = ed.merge(child, val)
		} else {
			err = ed.set(child, val)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// appendAll appends the items of v (or v itself when it is not a
// sequence) that the sequence at path does not hold yet.
func (ed *editor) appendAll(path []seg, v *yaml.Node) error {
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items = v.Content
	}
	for _, item := range items {
		h, err := ed.walk(path)
		if err != nil {
			return err
		}
		if h.depth == len(path) && h.node.Kind == yaml.SequenceNode && containsValue(h.node, item) {
			continue
		}
		if err := ed.appendItem(path, item); err != nil {
			return err
		}
	}
	return nil
}

func containsValue(s, item *yaml.Node) bool {
	for _, c := range s.Content {
		if sameValue(c, item) {
			return true
		}
	}
	return false
}

func docValues(f *yfile) ([]any, error) {
	budget := maxNodes
	out := make([]any, len(f.docs))
	for i, d := range f.docs {
		v, err := nodeValue(d, &budget)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func sameDocs(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if isEmptyRoot(x) && isEmptyRoot(y) {
			continue
		}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// isEmptyRoot: an empty document and {} mean the same to Helm and ArgoCD.
func isEmptyRoot(v any) bool {
	m, ok := v.(map[string]any)
	return v == nil || ok && len(m) == 0
}
