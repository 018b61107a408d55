package values

import (
	"strings"
	"text/template/parse"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// frame is the dynamic context of one template execution: the dot and the
// variables in scope ($ first).
type frame struct {
	dot  aval
	vars []binding
}

type binding struct {
	name string
	val  aval
}

func (f *frame) lookup(name string) aval {
	for i := len(f.vars) - 1; i >= 0; i-- {
		if f.vars[i].name == name {
			return f.vars[i].val
		}
	}
	return nil
}

func (f *frame) assign(name string, v aval) {
	for i := len(f.vars) - 1; i >= 0; i-- {
		if f.vars[i].name == name {
			// Branches are not told apart: after `$x = b` inside an if,
			// $x may still hold the earlier value.
			f.vars[i].val = union(f.vars[i].val, v)
			return
		}
	}
	f.vars = append(f.vars, binding{name: name, val: v})
}

// src is the template text being walked, for turning node offsets into lines.
type src struct {
	name  string // Helm template name
	file  string // file for locations
	lines []int  // offsets of line starts
}

func newSrc(name, file, text string) *src {
	s := &src{name: name, file: file, lines: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

func (s *src) loc(pos parse.Pos) finding.Location {
	p := int(pos)
	lo, hi := 0, len(s.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.lines[mid] <= p {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return finding.Location{File: s.file, Line: lo + 1, Column: p - s.lines[lo] + 1}
}

// walker runs the abstract execution of one tree.
type walker struct {
	ix     *Index
	src    *src
	sinks  [][]Read // collector stack; reads go to the top
	guards *[]Guard // non-nil only for a template's own tree
	whole  map[parse.Node]bool
}

func (w *walker) emit(r Read) {
	w.sinks[len(w.sinks)-1] = append(w.sinks[len(w.sinks)-1], r)
}

func (w *walker) push() { w.sinks = append(w.sinks, nil) }

// pop returns the top collector and adds its reads to the one below.
func (w *walker) pop() []Read {
	top := w.sinks[len(w.sinks)-1]
	w.sinks = w.sinks[:len(w.sinks)-1]
	w.sinks[len(w.sinks)-1] = append(w.sinks[len(w.sinks)-1], top...)
	return top
}

// step charges the analysis budget; false means give up.
func (w *walker) step() bool {
	w.ix.steps++
	if w.ix.steps > w.ix.maxSteps {
		w.ix.giveUp("analysis budget exhausted")
		return false
	}
	return true
}

func (w *walker) list(l *parse.ListNode, f *frame) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		w.node(n, f)
	}
}

func (w *walker) node(n parse.Node, f *frame) {
	if !w.step() {
		return
	}
	switch n := n.(type) {
	case *parse.ActionNode:
		v := w.pipe(n.Pipe, f)
		if len(n.Pipe.Decl) == 0 {
			w.consume(v, true, "") // printed: a map prints whole
		}
	case *parse.IfNode:
		w.branch(n, "if", &n.BranchNode, f)
	case *parse.WithNode:
		w.branch(n, "with", &n.BranchNode, f)
	case *parse.RangeNode:
		w.rangeNode(n, f)
	case *parse.TemplateNode:
		var arg aval
		if n.Pipe != nil {
			arg = w.pipe(n.Pipe, f)
		}
		w.callDefine(n.Name, arg, w.src.loc(n.Pos))
	case *parse.ListNode:
		w.list(n, f)
	}
}

// scoped runs fn with the variables declared inside it dropped afterwards,
// as text/template scopes variables to the enclosing control structure.
func scoped(f *frame, fn func()) {
	n := len(f.vars)
	fn()
	f.vars = f.vars[:n]
}

func (w *walker) rangeNode(n *parse.RangeNode, f *frame) {
	scoped(f, func() {
		over := w.pipeNoDecl(n.Pipe, f)
		elem, ok := elems(over)
		if !ok {
			// Ranging over values reads every key and item below.
			w.consume(over, true, "")
			elem = nil
		}
		switch len(n.Pipe.Decl) {
		case 1:
			f.vars = append(f.vars, binding{n.Pipe.Decl[0].Ident[0], elem})
		case 2:
			f.vars = append(f.vars, binding{n.Pipe.Decl[0].Ident[0], nil}, binding{n.Pipe.Decl[1].Ident[0], elem})
		}
		// The body shares the variable stack, so `$x = ...` inside it
		// reaches the outer $x; its own declarations die with it.
		w.list(n.List, &frame{dot: elem, vars: f.vars})
	})
	scoped(f, func() { w.list(n.ElseList, f) })
}

// pipe evaluates a pipeline and handles its declarations.
func (w *walker) pipe(p *parse.PipeNode, f *frame) aval {
	v := w.pipeNoDecl(p, f)
	for _, d := range p.Decl {
		if p.IsAssign {
			f.assign(d.Ident[0], v)
		} else {
			f.vars = append(f.vars, binding{d.Ident[0], v})
		}
	}
	return v
}

func (w *walker) pipeNoDecl(p *parse.PipeNode, f *frame) aval {
	if p == nil {
		return nil
	}
	var prev aval
	for i, c := range p.Cmds {
		prev = w.cmd(c, f, prev, i > 0)
	}
	return prev
}

// cmd evaluates one command; in a pipeline the previous result is the
// final argument.
func (w *walker) cmd(c *parse.CommandNode, f *frame, prev aval, piped bool) aval {
	if len(c.Args) == 0 {
		return nil
	}
	at := w.src.loc(c.Args[0].Position())
	if id, ok := c.Args[0].(*parse.IdentifierNode); ok {
		args := make([]aval, 0, len(c.Args))
		for _, a := range c.Args[1:] {
			args = append(args, w.arg(a, f))
		}
		if piped {
			args = append(args, prev)
		}
		return w.call(id.Ident, c.Args[1:], args, at)
	}
	v := w.arg(c.Args[0], f)
	if len(c.Args) > 1 || piped {
		// A method call (.Files.Get "x", .Capabilities.APIVersions.Has):
		// its arguments go to Go code we do not model.
		for _, a := range c.Args[1:] {
			w.consume(w.arg(a, f), true, "method argument")
		}
		if piped {
			w.consume(prev, true, "method argument")
		}
		w.consume(v, true, "method call")
		return nil
	}
	return v
}

// arg evaluates an operand.
func (w *walker) arg(n parse.Node, f *frame) aval {
	at := w.src.loc(n.Position())
	switch n := n.(type) {
	case *parse.DotNode:
		return f.dot
	case *parse.FieldNode:
		return field(f.dot, n.Ident, at)
	case *parse.VariableNode:
		return field(f.lookup(n.Ident[0]), n.Ident[1:], at)
	case *parse.ChainNode:
		return field(w.arg(n.Node, f), n.Field, at)
	case *parse.PipeNode:
		var v aval
		scoped(f, func() { v = w.pipe(n, f) })
		return v
	case *parse.IdentifierNode:
		return w.call(n.Ident, nil, nil, at)
	case *parse.StringNode:
		return aval{{kind: kLit, lit: n.Text, at: at}}
	case *parse.NumberNode:
		return aval{{kind: kLit, lit: strings.TrimSpace(n.Text), num: true, at: at}}
	}
	return nil
}
