package engine

import (
	"strings"
	"text/template"
	"text/template/parse"
)

// mutators are the template functions that write into a map or list they
// are given (sprig's set, unset, the merge family and sortAlpha), plus
// `tpl`, whose text is unknown until it runs. Charts hand them .Values, $ or a dict built
// from them; one template's call then changes what later templates see.
var mutators = map[string]bool{
	"set": true, "unset": true,
	"merge": true, "mergeOverwrite": true, "mustMerge": true, "mustMergeOverwrite": true,
	"tpl": true,
	// sortAlpha sorts a []string argument in place (sprig list.go), such
	// as .Chart.Keywords, which every template of the chart shares.
	"sortAlpha": true,
}

// impureTemplates returns the rendered templates whose execution may
// change what another template outputs: those that call a mutator,
// directly or through the named templates they include, or include a
// template by a computed name. Helm shares each chart's values map (and
// its .Template entry, visible to other charts under .Subcharts) between
// all templates, so when any template reads .Subcharts every template is
// impure. The analysis is syntactic and errs towards impure; an impure
// template is always executed.
func impureTemplates(t *template.Template, keys []string, texts map[string]string) map[string]bool {
	out := map[string]bool{}
	subcharts := false
	for _, text := range texts {
		subcharts = subcharts || strings.Contains(text, "Subcharts")
	}
	a := &purity{set: t, memo: map[string]bool{}}
	for _, name := range keys {
		if subcharts || a.named(name) {
			out[name] = true
		}
	}
	return out
}

type purity struct {
	set  *template.Template
	memo map[string]bool // named template -> impure; false while being visited
}

// named reports whether executing the named template may mutate.
func (a *purity) named(name string) bool {
	if v, seen := a.memo[name]; seen {
		return v
	}
	a.memo[name] = false
	tmpl := a.set.Lookup(name)
	if tmpl == nil || tmpl.Tree == nil {
		return false // executing it fails; it writes nothing
	}
	v := a.node(tmpl.Root)
	a.memo[name] = v
	return v
}

func (a *purity) node(n parse.Node) bool {
	switch n := n.(type) {
	case nil:
		return false
	case *parse.ListNode:
		if n == nil {
			return false
		}
		for _, c := range n.Nodes {
			if a.node(c) {
				return true
			}
		}
	case *parse.ActionNode:
		return a.pipe(n.Pipe)
	case *parse.IfNode:
		return a.pipe(n.Pipe) || a.node(n.List) || a.node(n.ElseList)
	case *parse.RangeNode:
		return a.pipe(n.Pipe) || a.node(n.List) || a.node(n.ElseList)
	case *parse.WithNode:
		return a.pipe(n.Pipe) || a.node(n.List) || a.node(n.ElseList)
	case *parse.TemplateNode:
		return a.pipe(n.Pipe) || a.named(n.Name)
	case *parse.PipeNode:
		return a.pipe(n)
	case *parse.ChainNode:
		return a.node(n.Node)
	}
	return false
}

func (a *purity) pipe(p *parse.PipeNode) bool {
	if p == nil {
		return false
	}
	for _, c := range p.Cmds {
		if len(c.Args) > 0 {
			if id, ok := c.Args[0].(*parse.IdentifierNode); ok {
				if mutators[id.Ident] {
					return true
				}
				if id.Ident == "include" {
					name, ok := constName(c.Args)
					if !ok || a.named(name) {
						return true
					}
				}
			}
		}
		for _, arg := range c.Args {
			if a.node(arg) {
				return true
			}
		}
	}
	return false
}

// constName is the template name of an `include` command when it is a
// string literal.
func constName(args []parse.Node) (string, bool) {
	if len(args) < 2 {
		return "", false
	}
	s, ok := args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return s.Text, true
}
