package engine

import (
	"reflect"
	"strings"
	"text/template"
	"text/template/parse"
	"unsafe"
)

// A chart's helpers ("fullname", "labels", "selectorLabels") are included
// by nearly every template, with the same data (the chart's root context)
// each time, and re-executing them was about half of all template
// execution. Within one render an include of a cacheable template with
// the same data map gives the output of its first successful execution
// instead of executing again. That is Helm's output exactly when the
// second execution could not have differed, which cacheableTemplates
// makes sure of syntactically, erring towards executing:
//   - nothing in the chart writes to a map (no set, unset, merge*, no tpl,
//     no include by a computed name, no .Subcharts: purity.go's rules over
//     every template and define), so a data map holds the same content
//     for the whole render;
//   - the template names only the root context's .Chart, .Release,
//     .Values, .Files and .Capabilities (never .Template, the entry Helm
//     changes between the templates of a render, nor the context's
//     methods), and hands the root context whole only to cacheable
//     includes; dot at a template's start counts as the root context;
//   - it calls only functions whose result depends on their arguments
//     alone (not the rand*, uuid, key and certificate generators, the
//     clock, lookup, keys/values, whose order is random, or call), and
//     includes only cacheable templates.
// Only data that is a map is cached, keyed by its identity and type (the
// cache holds the key, so no other map can take its address during the
// render). A failed include is never cached. engine_test.go renders every
// chart both ways against Helm.

// includeKey identifies one include: the template and its data map.
type includeKey struct {
	name string
	typ  reflect.Type
	ptr  unsafe.Pointer
}

// cacheKey is the key of include(name, data) when its result may be
// reused: data is a non-nil map.
func cacheKey(name string, data any) (includeKey, bool) {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Map || v.IsNil() {
		return includeKey{}, false
	}
	return includeKey{name: name, typ: v.Type(), ptr: v.UnsafePointer()}, true
}

// uncacheableFuncs are the template functions whose result may differ
// between two calls with the same arguments, or that reach what the
// analysis cannot follow. The rest of Helm's function map and
// text/template's builtins qualify.
var uncacheableFuncs = map[string]bool{
	// random or key-generating (sprig v3.3.0 functions.go, crypto.go)
	"randAlphaNum": true, "randAlpha": true, "randNumeric": true, "randAscii": true, "randBytes": true, "randInt": true,
	"shuffle": true, "uuidv4": true, "genCA": true, "genCAWithKey": true, "genSelfSignedCert": true,
	"genSelfSignedCertWithKey": true, "genSignedCert": true, "genSignedCertWithKey": true, "genPrivateKey": true,
	"htpasswd": true, "bcrypt": true, "encryptAES": true,
	// the clock, and functions that may read it
	"now": true, "ago": true, "date": true, "dateInZone": true, "date_in_zone": true, "htmlDate": true,
	"htmlDateInZone": true, "durationRound": true, "dateModify": true, "mustDateModify": true,
	// map iteration order
	"keys": true, "values": true,
	// outside the template set, or handled by the analysis itself
	"lookup": true, "getHostByName": true, "call": true, "tpl": true, "include": true,
}

// rootFields are the entries of a chart's root context a cacheable
// template may name when its dot (or $) may be that context: all but
// Template, which Helm changes between templates, and Subcharts, which
// holds other charts' contexts. The context is a chartutil.Values, whose
// methods (AsMap, Table, PathValue, YAML) would hand out the whole map,
// and a name Helm does not set is no better: only these qualify.
var rootFields = map[string]bool{"Chart": true, "Release": true, "Values": true, "Files": true, "Capabilities": true}

// cacheableTemplates returns the named templates of t whose includes may
// be cached (see above); nil when the chart may write to its data.
func cacheableTemplates(t *template.Template, texts map[string]string, funcs template.FuncMap) map[string]bool {
	for _, text := range texts {
		if strings.Contains(text, "Subcharts") {
			return nil
		}
	}
	p := &purity{set: t, memo: map[string]bool{}}
	for _, tmpl := range t.Templates() {
		if tmpl.Tree != nil && p.node(tmpl.Root) {
			return nil
		}
	}
	c := &cacheability{set: t, funcs: funcs, memo: map[string]bool{}}
	out := map[string]bool{}
	for _, tmpl := range t.Templates() {
		if c.named(tmpl.Name()) {
			out[tmpl.Name()] = true
		}
	}
	return out
}

// cacheability decides, per named template, the rules above.
type cacheability struct {
	set   *template.Template
	funcs template.FuncMap
	memo  map[string]bool // false while being visited: recursion is not cached
}

func (c *cacheability) named(name string) bool {
	if v, seen := c.memo[name]; seen {
		return v
	}
	c.memo[name] = false
	tmpl := c.set.Lookup(name)
	if tmpl == nil || tmpl.Tree == nil || tmpl.Root == nil {
		return false
	}
	v := c.list(tmpl.Root, true)
	c.memo[name] = v
	return v
}

// list checks a list of nodes; rootDot says whether dot is the data the
// template was called with (which may be a chart's root context).
func (c *cacheability) list(l *parse.ListNode, rootDot bool) bool {
	if l == nil {
		return true
	}
	for _, n := range l.Nodes {
		if !c.node(n, rootDot) {
			return false
		}
	}
	return true
}

func (c *cacheability) node(n parse.Node, rootDot bool) bool {
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
		return true
	case *parse.ActionNode:
		return c.pipe(n.Pipe, rootDot)
	case *parse.IfNode:
		return c.branch(&n.BranchNode, rootDot, rootDot)
	case *parse.WithNode:
		return c.branch(&n.BranchNode, rootDot, false)
	case *parse.RangeNode:
		return c.branch(&n.BranchNode, rootDot, false)
	case *parse.TemplateNode:
		// {{ template "x" DATA }}: the data may be the root context whole.
		return c.named(n.Name) && (n.Pipe == nil || c.isRoot(n.Pipe, rootDot) || c.pipe(n.Pipe, rootDot))
	}
	return false
}

// branch checks if/with/range: their pipeline may not be the root context
// itself; inside with and range, dot is a value below it.
func (c *cacheability) branch(b *parse.BranchNode, rootDot, innerRootDot bool) bool {
	if c.isRoot(b.Pipe, rootDot) || !c.pipe(b.Pipe, rootDot) {
		return false
	}
	return c.list(b.List, innerRootDot) && c.list(b.ElseList, rootDot)
}

// pipe checks a pipeline whose value is used (printed, tested, or passed
// on) other than as an include's data.
func (c *cacheability) pipe(p *parse.PipeNode, rootDot bool) bool {
	if p == nil {
		return true
	}
	if len(p.Decl) > 0 && c.isRoot(p, rootDot) {
		return false // $x := . would carry the root context under another name
	}
	for i, cmd := range p.Cmds {
		if len(cmd.Args) == 0 {
			return false
		}
		// A command's value is passed to the next one as its last argument.
		if i < len(p.Cmds)-1 && len(cmd.Args) == 1 && c.rootArg(cmd.Args[0], rootDot) {
			return false
		}
		if !c.command(cmd, rootDot) {
			return false
		}
	}
	return true
}

func (c *cacheability) command(cmd *parse.CommandNode, rootDot bool) bool {
	switch first := cmd.Args[0].(type) {
	case *parse.IdentifierNode:
		if first.Ident == "include" {
			return c.include(cmd.Args, rootDot)
		}
		if !c.function(first.Ident) {
			return false
		}
		return c.args(cmd.Args[1:], rootDot)
	default:
		// A value, possibly a method called with arguments (.Files.Get "x").
		if c.rootArg(first, rootDot) && len(cmd.Args) == 1 {
			return false // printing or testing the root context itself
		}
		return c.arg(first, rootDot) && c.args(cmd.Args[1:], rootDot)
	}
}

// include checks `include "name" DATA`: a constant, cacheable name; the
// data may be the root context whole.
func (c *cacheability) include(args []parse.Node, rootDot bool) bool {
	if len(args) < 2 || len(args) > 3 {
		return false
	}
	name, ok := args[1].(*parse.StringNode)
	if !ok || !c.named(name.Text) {
		return false
	}
	if len(args) == 3 && !c.rootArg(args[2], rootDot) && !c.arg(args[2], rootDot) {
		return false
	}
	return true
}

func (c *cacheability) args(args []parse.Node, rootDot bool) bool {
	for _, a := range args {
		if c.rootArg(a, rootDot) || !c.arg(a, rootDot) {
			return false
		}
	}
	return true
}

// arg checks a node used as a value.
func (c *cacheability) arg(n parse.Node, rootDot bool) bool {
	switch n := n.(type) {
	case *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
		return true
	case *parse.DotNode:
		return !rootDot
	case *parse.FieldNode:
		return !rootDot || rootFields[n.Ident[0]]
	case *parse.VariableNode:
		// Declared variables never hold the root context (pipe), but $ does.
		return n.Ident[0] != "$" || (len(n.Ident) > 1 && rootFields[n.Ident[1]])
	case *parse.ChainNode:
		return !c.rootArg(n.Node, rootDot) && c.arg(n.Node, rootDot)
	case *parse.PipeNode:
		return !c.isRoot(n, rootDot) && c.pipe(n, rootDot)
	case *parse.IdentifierNode:
		return c.function(n.Ident)
	}
	return false
}

// function reports whether a function qualifies.
func (c *cacheability) function(name string) bool {
	if uncacheableFuncs[name] {
		return false
	}
	if _, ok := c.funcs[name]; ok {
		return true
	}
	switch name {
	case "and", "or", "not", "len", "index", "slice", "print", "printf", "println",
		"eq", "ne", "lt", "le", "gt", "ge", "html", "js", "urlquery":
		return true
	}
	return false
}

// rootArg reports whether n is the root context itself: dot where dot is
// the template's data, or $ alone.
func (c *cacheability) rootArg(n parse.Node, rootDot bool) bool {
	switch n := n.(type) {
	case *parse.DotNode:
		return rootDot
	case *parse.VariableNode:
		return n.Ident[0] == "$" && len(n.Ident) == 1
	case *parse.PipeNode:
		return c.isRoot(n, rootDot)
	}
	return false
}

// isRoot reports whether a pipeline's value is the root context itself.
func (c *cacheability) isRoot(p *parse.PipeNode, rootDot bool) bool {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	return c.rootArg(p.Cmds[0].Args[0], rootDot)
}
