package fix

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// ApplyHCL applies a set, merge or append edit inside the object-valued
// attribute of a Terraform resource. Path is TYPE.NAME.ATTR.key...,
// e.g. kubernetes_manifest.argocd_app.manifest.spec.ignoreDifferences.
// Value is YAML and is written as HCL in its key order. Like ApplyYAML
// the edit is spliced into the original bytes; when the file was
// `terraform fmt`-clean it is formatted again with hclwrite so the new
// lines align as terraform fmt would.
func ApplyHCL(src []byte, filename string, e finding.Edit) ([]byte, error) {
	path, err := parsePath(e.Path)
	if err != nil {
		return nil, err
	}
	if len(path) < 4 {
		return nil, fmt.Errorf("terraform path %q: want TYPE.NAME.ATTRIBUTE.key", e.Path)
	}
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	body := file.Body.(*hclsyntax.Body)
	var attr *hclsyntax.Attribute
	for _, b := range body.Blocks {
		if b.Type == "resource" && len(b.Labels) == 2 && b.Labels[0] == path[0].key && b.Labels[1] == path[1].key {
			attr = b.Body.Attributes[path[2].key]
		}
	}
	if attr == nil {
		return nil, fmt.Errorf("no resource %s.%s with attribute %s", path[0].key, path[1].key, path[2].key)
	}
	var v *yaml.Node
	if v, err = parseValue(e.Value); err != nil {
		return nil, err
	}
	h := &hclEditor{src: src}
	rest := path[3:]
	switch e.Op {
	case finding.OpSet:
		err = h.set(attr.Expr, rest, v)
	case finding.OpAppend:
		err = h.appendItems(attr.Expr, rest, v)
	case finding.OpMerge:
		return mergeHCL(src, filename, path, v)
	default:
		return nil, fmt.Errorf("op %q is not a Terraform edit", e.Op)
	}
	if err != nil {
		return nil, err
	}
	if h.out == nil {
		return src, nil
	}
	if _, d := hclsyntax.ParseConfig(h.out, filename, hcl.InitialPos); d.HasErrors() {
		return nil, fmt.Errorf("the edit would leave invalid HCL: %v", d)
	}
	if bytes.Equal(hclwrite.Format(src), src) {
		return hclwrite.Format(h.out), nil
	}
	return h.out, nil
}

// mergeHCL merges mapping v key by key, one splice (and parse) per key.
func mergeHCL(src []byte, filename string, path []seg, v *yaml.Node) ([]byte, error) {
	if v.Kind != yaml.MappingNode {
		return nil, errors.New("merge: the value is not a mapping")
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		child := append(append([]seg(nil), path...), seg{key: v.Content[i].Value, index: -1})
		val := v.Content[i+1]
		var err error
		if val.Kind == yaml.MappingNode && len(val.Content) > 0 {
			src, err = mergeHCL(src, filename, child, val)
		} else {
			txt, _ := encode(val, 2)
			src, err = ApplyHCL(src, filename, finding.Edit{Path: pathString(child), Op: finding.OpSet, Value: txt})
		}
		if err != nil {
			return nil, err
		}
	}
	return src, nil
}

type hclEditor struct {
	src []byte
	out []byte // nil until an edit changes something
}

func (h *hclEditor) splice(start, end int, text string) {
	h.out = append(append(append([]byte(nil), h.src[:start]...), text...), h.src[end:]...)
}

// find returns the value of key k in object o, or nil.
func objectItem(o *hclsyntax.ObjectConsExpr, k string) hclsyntax.Expression {
	for _, it := range o.Items {
		name := hcl.ExprAsKeyword(it.KeyExpr)
		if name == "" {
			if v, d := it.KeyExpr.Value(nil); !d.HasErrors() && v.Type().FriendlyName() == "string" {
				name = v.AsString()
			}
		}
		if name == k {
			return it.ValueExpr
		}
	}
	return nil
}

func (h *hclEditor) set(x hclsyntax.Expression, path []seg, v *yaml.Node) error {
	o, ok := x.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return fmt.Errorf("%s: not an HCL object (a yamldecode or a variable cannot be edited in place)", x.Range())
	}
	if len(path) == 0 {
		return errors.New("cannot replace the whole attribute")
	}
	if path[0].isIndex() {
		return errors.New("indexes are not supported in Terraform paths")
	}
	child := objectItem(o, path[0].key)
	if child == nil {
		val, err := nested(path[1:], v)
		if err != nil {
			return err
		}
		return h.insertItem(o, path[0].key, val)
	}
	if len(path) == 1 {
		indent := lineIndent(h.src, child.Range().Start.Byte)
		h.splice(child.Range().Start.Byte, child.Range().End.Byte, hclText(v, indent))
		return nil
	}
	return h.set(child, path[1:], v)
}

// insertItem adds key = v to object o before its closing brace.
func (h *hclEditor) insertItem(o *hclsyntax.ObjectConsExpr, key string, v *yaml.Node) error {
	r := o.Range()
	closeAt := r.End.Byte - 1
	indent := lineIndent(h.src, closeAt)
	inner := indent + "  "
	if len(o.Items) > 0 {
		inner = lineIndent(h.src, o.Items[0].KeyExpr.Range().Start.Byte)
	}
	item := hclKey(key) + " = " + hclText(v, inner)
	if lineStart(h.src, closeAt) == closeAt-len(indent) && bytes.Contains(h.src[r.Start.Byte:closeAt], []byte("\n")) {
		h.splice(closeAt-len(indent), closeAt-len(indent), inner+item+"\n")
		return nil
	}
	h.splice(r.Start.Byte, r.End.Byte, "{\n"+inner+strings.TrimSpace(string(h.src[r.Start.Byte+1:closeAt]))+sep(o)+inner+item+"\n"+indent+"}")
	return nil
}

func sep(o *hclsyntax.ObjectConsExpr) string {
	if len(o.Items) == 0 {
		return ""
	}
	return "\n"
}

// appendItems appends the items of v missing from the tuple at path.
func (h *hclEditor) appendItems(x hclsyntax.Expression, path []seg, v *yaml.Node) error {
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items = v.Content
	}
	target := x
	for _, s := range path {
		o, ok := target.(*hclsyntax.ObjectConsExpr)
		if !ok {
			return fmt.Errorf("%s: not an HCL object", target.Range())
		}
		if target = objectItem(o, s.key); target == nil {
			return h.set(x, path, &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items})
		}
	}
	t, ok := target.(*hclsyntax.TupleConsExpr)
	if !ok {
		return fmt.Errorf("%s: not an HCL list", target.Range())
	}
	var add []string
	indent := lineIndent(h.src, t.Range().Start.Byte) + "  "
	if len(t.Exprs) > 0 {
		indent = lineIndent(h.src, t.Exprs[0].Range().Start.Byte)
	}
	for _, it := range items {
		txt := hclText(it, indent)
		if !hasItem(h.src, t, txt) {
			add = append(add, txt)
		}
	}
	if len(add) == 0 {
		return nil
	}
	r := t.Range()
	closeAt := r.End.Byte - 1
	if len(t.Exprs) > 0 && bytes.Contains(h.src[r.Start.Byte:r.End.Byte], []byte("\n")) {
		// Keep the existing items' text (and comments) untouched.
		last := t.Exprs[len(t.Exprs)-1].Range().End.Byte
		between := string(h.src[last:closeAt])
		code := between
		if i := strings.IndexAny(code, "#/"); i >= 0 {
			code = code[:i]
		}
		comma := ""
		if !strings.Contains(code, ",") {
			comma = ","
		}
		at := last + len(strings.TrimRight(between, " \t\n"))
		text := ""
		for _, a := range add {
			text += "\n" + indent + a + ","
		}
		h.out = append(append(append(append(append([]byte(nil), h.src[:last]...), comma...), h.src[last:at]...), text...), h.src[at:]...)
		return nil
	}
	var b strings.Builder
	b.WriteString("[\n")
	for _, e := range t.Exprs {
		b.WriteString(indent + string(e.Range().SliceBytes(h.src)) + ",\n")
	}
	for _, a := range add {
		b.WriteString(indent + a + ",\n")
	}
	b.WriteString(lineIndent(h.src, closeAt) + "]")
	h.splice(r.Start.Byte, r.End.Byte, b.String())
	return nil
}

// hasItem compares rendered HCL text, spaces ignored.
func hasItem(src []byte, t *hclsyntax.TupleConsExpr, txt string) bool {
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, ",", " ")), " ") }
	for _, e := range t.Exprs {
		if norm(string(e.Range().SliceBytes(src))) == norm(txt) {
			return true
		}
	}
	return false
}

// hclText writes a YAML value as an HCL expression, keys in order; lines
// after the first are indented by indent.
func hclText(n *yaml.Node, indent string) string {
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) == 0 {
			return "{}"
		}
		var b strings.Builder
		b.WriteString("{\n")
		for i := 0; i+1 < len(n.Content); i += 2 {
			b.WriteString(indent + "  " + hclKey(n.Content[i].Value) + " = " + hclText(n.Content[i+1], indent+"  ") + "\n")
		}
		return b.String() + indent + "}"
	case yaml.SequenceNode:
		var parts []string
		multi := false
		for _, c := range n.Content {
			multi = multi || c.Kind != yaml.ScalarNode
			parts = append(parts, hclText(c, indent+"  "))
		}
		if !multi {
			return "[" + strings.Join(parts, ", ") + "]"
		}
		return "[\n" + indent + "  " + strings.Join(parts, ",\n"+indent+"  ") + ",\n" + indent + "]"
	}
	switch n.Tag {
	case "!!int", "!!float", "!!bool":
		return n.Value
	case "!!null":
		return "null"
	}
	q := hclwrite.TokensForValue(ctyString(n.Value)).Bytes()
	return string(q)
}

func hclKey(k string) string {
	if hclsyntax.ValidIdentifier(k) {
		return k
	}
	return string(hclwrite.TokensForValue(ctyString(k)).Bytes())
}

func lineStart(src []byte, o int) int {
	return bytes.LastIndexByte(src[:o], '\n') + 1
}

func lineIndent(src []byte, o int) string {
	s := lineStart(src, o)
	e := s
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return string(src[s:e])
}
