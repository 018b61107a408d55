package fix

import (
	"fmt"
	"reflect"

	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// expect applies an edit to plain values: what the file must hold after
// the surgical edit. It is the edit's meaning, independent of the text.
func expect(root any, path []seg, op finding.EditOp, v *yaml.Node) (any, error) {
	var val any
	if v != nil {
		budget := maxNodes
		var err error
		if val, err = nodeValue(v, &budget); err != nil {
			return nil, err
		}
	}
	switch op {
	case finding.OpSet:
		return vSet(root, path, val)
	case finding.OpMerge:
		return vMerge(root, path, val)
	case finding.OpAppend:
		items, ok := val.([]any)
		if !ok {
			items = []any{val}
		}
		for _, it := range items {
			cur, found := vGet(root, path)
			if s, ok := cur.([]any); found && ok && containsAny(s, it) {
				continue
			}
			var err error
			if s, ok := cur.([]any); found && ok {
				root, err = vSet(root, path, append(append([]any(nil), s...), it))
			} else {
				root, err = vSet(root, path, []any{it})
			}
			if err != nil {
				return nil, err
			}
		}
		return root, nil
	case finding.OpDelete:
		return vDelete(root, path), nil
	}
	return nil, fmt.Errorf("op %q", op)
}

func containsAny(s []any, x any) bool {
	for _, y := range s {
		if reflect.DeepEqual(x, y) {
			return true
		}
	}
	return false
}

func vGet(root any, path []seg) (any, bool) {
	cur := root
	for _, s := range path {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[s.key]
			if !ok || s.isIndex() {
				return nil, false
			}
			cur = v
		case []any:
			if !s.isIndex() || s.index >= len(c) {
				return nil, false
			}
			cur = c[s.index]
		default:
			return nil, false
		}
	}
	return cur, true
}

// vSet returns root with path set to v; maps are copied on the way down.
func vSet(root any, path []seg, v any) (any, error) {
	if len(path) == 0 {
		return v, nil
	}
	s := path[0]
	switch c := root.(type) {
	case nil:
		if s.isIndex() {
			return nil, fmt.Errorf("cannot create item [%d]", s.index)
		}
		child, err := vSet(nil, path[1:], v)
		return map[string]any{s.key: child}, err
	case map[string]any:
		if s.isIndex() {
			return nil, fmt.Errorf("index into a mapping")
		}
		m := make(map[string]any, len(c)+1)
		for k, x := range c {
			m[k] = x
		}
		child, err := vSet(c[s.key], path[1:], v)
		m[s.key] = child
		return m, err
	case []any:
		if !s.isIndex() || s.index >= len(c) {
			return nil, fmt.Errorf("bad index")
		}
		l := append([]any(nil), c...)
		child, err := vSet(c[s.index], path[1:], v)
		l[s.index] = child
		return l, err
	}
	return nil, fmt.Errorf("not a collection")
}

func vMerge(root any, path []seg, v any) (any, error) {
	cur, found := vGet(root, path)
	if !found || cur == nil {
		return vSet(root, path, v)
	}
	m, ok1 := cur.(map[string]any)
	vm, ok2 := v.(map[string]any)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("merge of a non-mapping")
	}
	_ = m
	var err error
	for k, x := range vm {
		child := append(append([]seg(nil), path...), seg{key: k, index: -1})
		c, ok := vGet(root, child)
		_, cm := c.(map[string]any)
		_, xm := x.(map[string]any)
		if ok && cm && xm {
			root, err = vMerge(root, child, x)
		} else {
			root, err = vSet(root, child, x)
		}
		if err != nil {
			return nil, err
		}
	}
	return root, nil
}

func vDelete(root any, path []seg) any {
	if len(path) == 0 {
		return root
	}
	parentPath, last := path[:len(path)-1], path[len(path)-1]
	parent, ok := vGet(root, parentPath)
	if !ok {
		return root
	}
	var np any
	switch c := parent.(type) {
	case map[string]any:
		if _, ok := c[last.key]; !ok || last.isIndex() {
			return root
		}
		m := make(map[string]any, len(c))
		for k, x := range c {
			if k != last.key {
				m[k] = x
			}
		}
		np = m
	case []any:
		if !last.isIndex() || last.index >= len(c) {
			return root
		}
		np = append(append([]any{}, c[:last.index]...), c[last.index+1:]...)
	default:
		return root
	}
	out, err := vSet(root, parentPath, np)
	if err != nil {
		return root
	}
	return out
}
