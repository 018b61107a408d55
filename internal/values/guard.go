package values

import (
	"strings"
	"text/template/parse"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Guard is an if or with block of a template file (at any depth of the
// file's own tree, not inside defines it includes).
type Guard struct {
	Template string // Helm template name, "web/templates/job.yaml"
	Line     int
	At       finding.Location
	// Expr is the condition as text/template prints it: ".Values.database.host",
	// "or .Values.a .Values.b", "not .Values.x".
	Expr string
	Kind string // "if" or "with"
	// Tests are the values paths the condition reads.
	Tests []Read
	// Negated is true when the condition is `not X`: the body renders when
	// the paths in Tests are empty.
	Negated bool
	// WholeOutput is true when, if the condition is false, the file renders
	// only whitespace: every output of the file is inside this block's body
	// (its else branch, if any, renders nothing either).
	WholeOutput bool
	HasElse     bool
	BodyReads   []Read
	ElseReads   []Read
}

// TestPaths lists the distinct paths the condition reads.
func (g *Guard) TestPaths() []Path { return paths(g.Tests) }

// paths lists the distinct paths of reads, in order of first appearance.
func paths(rs []Read) []Path {
	var out []Path
	seen := map[string]bool{}
	for _, r := range rs {
		if k := r.Path.String(); !seen[k] {
			seen[k] = true
			out = append(out, r.Path)
		}
	}
	return out
}

// branch walks an if/with block, recording a Guard when walking a
// template's own tree.
func (w *walker) branch(n parse.Node, kind string, b *parse.BranchNode, f *frame) {
	var g *Guard
	idx := -1
	if w.guards != nil {
		loc := w.src.loc(b.Pos)
		*w.guards = append(*w.guards, Guard{
			Template: w.src.name, Line: loc.Line, At: loc, Expr: b.Pipe.String(), Kind: kind,
			Negated: negated(b.Pipe), WholeOutput: w.whole[n], HasElse: b.ElseList != nil,
		})
		idx = len(*w.guards) - 1
	}
	scoped(f, func() {
		w.push()
		cond := w.pipe(b.Pipe, f)
		w.consume(cond, false, "")
		tests := w.pop()
		body := f
		if kind == "with" {
			body = &frame{dot: cond, vars: f.vars}
		}
		w.push()
		scoped(body, func() { w.list(b.List, body) })
		bodyReads := w.pop()
		w.push()
		scoped(f, func() { w.list(b.ElseList, f) })
		elseReads := w.pop()
		if idx >= 0 {
			g = &(*w.guards)[idx]
			g.Tests, g.BodyReads, g.ElseReads = tests, bodyReads, elseReads
		}
	})
}

// negated reports whether the condition is `not X`.
func negated(p *parse.PipeNode) bool {
	if len(p.Cmds) != 1 || len(p.Cmds[0].Args) == 0 {
		return false
	}
	id, ok := p.Cmds[0].Args[0].(*parse.IdentifierNode)
	return ok && id.Ident == "not"
}

// wholeOutputGuards finds the if/with blocks that enclose all the output of
// a tree: at each level, the block must be the only node that produces
// output and its else branch must produce none; nested blocks that are the
// only output of such a body enclose the whole output too.
func wholeOutputGuards(root *parse.ListNode) map[parse.Node]bool {
	out := map[parse.Node]bool{}
	l := root
	for l != nil {
		var only parse.Node
		count := 0
		for _, n := range l.Nodes {
			if produces(n) {
				count++
				only = n
			}
		}
		if count != 1 {
			break
		}
		var b *parse.BranchNode
		switch n := only.(type) {
		case *parse.IfNode:
			b = &n.BranchNode
		case *parse.WithNode:
			b = &n.BranchNode
		default:
			return out
		}
		if listProduces(b.ElseList) {
			break
		}
		out[only] = true
		l = b.List
	}
	return out
}

// produces reports whether n may write non-whitespace output.
func produces(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.TextNode:
		return strings.TrimSpace(string(n.Text)) != ""
	case *parse.ActionNode:
		return len(n.Pipe.Decl) == 0
	case *parse.TemplateNode:
		return true
	case *parse.IfNode:
		return listProduces(n.List) || listProduces(n.ElseList)
	case *parse.WithNode:
		return listProduces(n.List) || listProduces(n.ElseList)
	case *parse.RangeNode:
		return listProduces(n.List) || listProduces(n.ElseList)
	case *parse.ListNode:
		return listProduces(n)
	}
	return false
}

func listProduces(l *parse.ListNode) bool {
	if l == nil {
		return false
	}
	for _, n := range l.Nodes {
		if produces(n) {
			return true
		}
	}
	return false
}
