package render

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"text/template/parse"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// Helm's template engine cannot be interrupted: text/template has no step
// limit and Helm's function map is fixed (helm pkg/engine/engine.go
// initFunMap), so a render abandoned at its timeout keeps running. Worse,
// some sprig functions allocate their whole result before any output is
// written (sprig v3 numeric.go until/untilStep/seq, functions.go repeat,
// strings.go indent/nindent/rand*): `until 1000000000` asks for an 8 GB
// slice at once, which no output cap or timeout can stop. So before each
// render, the calls of those functions are costed from the template text:
// a size that is a literal or a .Values path (resolved against the values
// of this render), multiplied by the counts of the enclosing
// `range until N` loops, and a render whose cost passes the limits is
// refused with an Error at the template line. Sizes that cannot be known
// statically (an include argument, a computed number) pass: the timeout
// and the output cap remain the bound for those.

// MaxLoopIterations is the largest iteration count (a `until` size times
// the counts of enclosing `range until` loops) a template may ask for.
const MaxLoopIterations = 1_000_000

// guardSite is one call of an allocating function in a template.
type guardSite struct {
	fn   string
	line int
	// factors multiply to the call's cost: the counts of enclosing
	// `range until` loops and the call's own size.
	factors []sizeArg
	// bytes: the cost is bytes of output (limit MaxOutputBytes), not
	// loop iterations (limit MaxLoopIterations).
	bytes bool
}

// sizeArg is a number known from the template text: a literal, or a
// value path read from the render's values. ok is false when neither.
type sizeArg struct {
	lit  int64
	path []string // under .Values of the template's chart
	ok   bool
}

// guardedFuncs are the allocating functions, with the index of the size
// argument (after the function name) and whether the cost is bytes.
var guardedFuncs = map[string]struct {
	arg   int
	bytes bool
}{
	"until": {1, false}, "untilStep": {2, false}, "seq": {0, false},
	"repeat": {1, true}, "indent": {1, true}, "nindent": {1, true},
	"randAlpha": {1, true}, "randAlphaNum": {1, true}, "randNumeric": {1, true},
	"randAscii": {1, true}, "randBytes": {1, true},
}

// templateSites parses one template file and returns its guarded calls.
// A file that does not parse has none: Helm reports the parse error.
func templateSites(name string, data []byte) []guardSite {
	text := string(data)
	if !containsGuarded(text) {
		return nil
	}
	trees := map[string]*parse.Tree{}
	t := parse.New(name)
	t.Mode = parse.SkipFuncCheck
	if _, err := t.Parse(text, "", "", trees); err != nil {
		return nil
	}
	var sites []guardSite
	for tname, tree := range trees {
		// Only the file's own top-level template sees the root context as
		// dot; a define is called with whatever its caller passes.
		w := &siteWalker{tree: tree, rootDot: tname == name}
		w.list(tree.Root, nil)
		sites = append(sites, w.sites...)
	}
	return sites
}

func containsGuarded(text string) bool {
	for fn := range guardedFuncs {
		if strings.Contains(text, fn) {
			return true
		}
	}
	return false
}

type siteWalker struct {
	tree    *parse.Tree
	rootDot bool
	sites   []guardSite
}

// list walks a node list; outer holds the counts of enclosing loops.
func (w *siteWalker) list(l *parse.ListNode, outer []sizeArg) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		w.node(n, outer)
	}
}

func (w *siteWalker) node(n parse.Node, outer []sizeArg) {
	switch n := n.(type) {
	case *parse.ActionNode:
		w.pipe(n.Pipe, outer)
	case *parse.IfNode:
		w.pipe(n.Pipe, outer)
		w.list(n.List, outer)
		w.list(n.ElseList, outer)
	case *parse.WithNode:
		w.pipe(n.Pipe, outer)
		w.withDot(func() { w.list(n.List, outer) })
		w.list(n.ElseList, outer)
	case *parse.RangeNode:
		w.pipe(n.Pipe, outer)
		inner := outer
		if count, ok := w.rangeCount(n.Pipe); ok {
			inner = append(append([]sizeArg(nil), outer...), count)
		}
		w.withDot(func() { w.list(n.List, inner) })
		w.list(n.ElseList, outer)
	case *parse.TemplateNode:
		w.pipe(n.Pipe, outer)
	}
}

// withDot walks a body in which dot is no longer the root context.
func (w *siteWalker) withDot(fn func()) {
	saved := w.rootDot
	w.rootDot = false
	fn()
	w.rootDot = saved
}

func (w *siteWalker) pipe(p *parse.PipeNode, outer []sizeArg) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		for _, a := range c.Args {
			if sub, ok := a.(*parse.PipeNode); ok {
				w.pipe(sub, outer)
			}
		}
		id, ok := c.Args[0].(*parse.IdentifierNode)
		if !ok {
			continue
		}
		g, ok := guardedFuncs[id.Ident]
		if !ok {
			continue
		}
		size, bytes := w.callSize(id.Ident, c.Args, g.arg), g.bytes
		if !size.ok {
			continue
		}
		loc, _ := w.tree.ErrorContext(id)
		w.sites = append(w.sites, guardSite{
			fn: id.Ident, line: lineOf(loc), bytes: bytes,
			factors: append(append([]sizeArg(nil), outer...), size),
		})
	}
}

// callSize is the size a guarded call asks for. untilStep and seq take
// bounds; their count is taken from the upper bound, which is an upper
// bound of the count for the usual start 0 or 1 and step ≥ 1.
func (w *siteWalker) callSize(fn string, args []parse.Node, idx int) sizeArg {
	if fn == "seq" {
		idx = len(args) - 1 // seq LAST | seq FIRST LAST | seq FIRST INC LAST
	}
	if idx >= len(args) || idx < 1 {
		return sizeArg{}
	}
	s := w.arg(args[idx])
	if fn == "repeat" && s.ok && s.path == nil && len(args) > 2 {
		if str, ok := args[2].(*parse.StringNode); ok && len(str.Text) > 1 {
			s.lit = satMul(s.lit, int64(len(str.Text)))
		}
	}
	return s
}

// rangeCount is the iteration count of `range until N` (or untilStep).
func (w *siteWalker) rangeCount(p *parse.PipeNode) (sizeArg, bool) {
	if p == nil || len(p.Cmds) != 1 {
		return sizeArg{}, false
	}
	c := p.Cmds[0]
	id, ok := c.Args[0].(*parse.IdentifierNode)
	if !ok || (id.Ident != "until" && id.Ident != "untilStep") {
		return sizeArg{}, false
	}
	s := w.callSize(id.Ident, c.Args, guardedFuncs[id.Ident].arg)
	return s, s.ok
}

// conversions pass a number through unchanged in size.
var conversions = map[string]bool{"int": true, "int64": true, "atoi": true, "float64": true, "toString": true}

// arg resolves a size argument: a number literal, a .Values path (when
// dot is the root context) or $.Values path, possibly through a
// conversion such as `int` or `| int`.
func (w *siteWalker) arg(n parse.Node) sizeArg {
	switch n := n.(type) {
	case *parse.NumberNode:
		if n.IsInt {
			return sizeArg{lit: n.Int64, ok: true}
		}
		if n.IsFloat && n.Float64 >= 0 && n.Float64 < math.MaxInt64 {
			return sizeArg{lit: int64(n.Float64), ok: true}
		}
	case *parse.StringNode:
		if i, err := strconv.ParseInt(n.Text, 10, 64); err == nil {
			return sizeArg{lit: i, ok: true}
		}
	case *parse.FieldNode:
		if w.rootDot && len(n.Ident) > 1 && n.Ident[0] == "Values" {
			return sizeArg{path: n.Ident[1:], ok: true}
		}
	case *parse.VariableNode:
		if w.tree.Name == w.tree.ParseName && len(n.Ident) > 2 && n.Ident[0] == "$" && n.Ident[1] == "Values" {
			return sizeArg{path: n.Ident[2:], ok: true}
		}
	case *parse.PipeNode:
		if len(n.Decl) > 0 || len(n.Cmds) == 0 {
			return sizeArg{}
		}
		first := n.Cmds[0]
		var s sizeArg
		switch {
		case len(first.Args) == 1:
			s = w.arg(first.Args[0])
		case len(first.Args) == 2 && isConversion(first.Args[0]):
			s = w.arg(first.Args[1])
		}
		for _, c := range n.Cmds[1:] {
			if len(c.Args) != 1 || !isConversion(c.Args[0]) {
				return sizeArg{}
			}
		}
		return s
	}
	return sizeArg{}
}

func isConversion(n parse.Node) bool {
	id, ok := n.(*parse.IdentifierNode)
	return ok && conversions[id.Ident]
}

// lineOf reads the line from parse's "name:line:col" location.
func lineOf(loc string) int {
	parts := strings.Split(loc, ":")
	if len(parts) < 3 {
		return 0
	}
	line, _ := strconv.Atoi(parts[len(parts)-2])
	return line
}

func satMul(a, b int64) int64 {
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

// guardRender refuses a render whose guarded calls would pass the limits
// with these values. c is the processed chart of this render (its
// dependencies those enabled), vals the chart's .Values.
func (r *Renderer) guardRender(ce *chartEntry, c *chart.Chart, vals map[string]any) error {
	var walk func(ch *chart.Chart, scope map[string]any) error
	walk = func(ch *chart.Chart, scope map[string]any) error {
		for _, f := range ch.Templates {
			for _, s := range ce.sitesOf(r, f) {
				if err := r.checkSite(ce, f, s, scope); err != nil {
					return err
				}
			}
		}
		for _, d := range ch.Dependencies() {
			sub := asMap(scope[d.Name()])
			if err := walk(d, sub); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(c, vals)
}

func (r *Renderer) checkSite(ce *chartEntry, f *chart.File, s guardSite, scope map[string]any) error {
	cost := int64(1)
	for _, a := range s.factors {
		n := a.lit
		if a.path != nil {
			v, ok := lookupNumber(scope, a.path)
			if !ok {
				return nil // not a number in these values: nothing to bound
			}
			n = v
		}
		cost = satMul(cost, n)
	}
	limit, unit := int64(MaxLoopIterations), "iterations"
	if s.bytes {
		limit, unit = int64(r.opts.MaxOutputBytes), "bytes"
	}
	if cost <= limit {
		return nil
	}
	file := ce.files[f]
	if file == "" {
		file = path.Join(ce.dir, f.Name)
	}
	return &Error{Loc: finding.Location{File: file, Line: s.line}, Err: fmt.Errorf(
		"%s asks for %d %s (with its enclosing loops), over the limit of %d; not rendered, because Helm's template engine cannot be stopped once it runs",
		s.fn, cost, unit, limit)}
}

// lookupNumber reads a number (or numeric string) at a values path.
func lookupNumber(scope map[string]any, p []string) (int64, bool) {
	var cur any = scope
	for _, k := range p {
		m := asMap(cur)
		if m == nil {
			return 0, false
		}
		cur = m[k]
	}
	switch v := cur.(type) {
	case int:
		return int64(v), true
	case int64:
		return v, true
	case float64:
		if v >= math.MaxInt64 || v <= math.MinInt64 {
			return math.MaxInt64, true
		}
		return int64(v), true
	case string:
		i, err := strconv.ParseInt(v, 10, 64)
		return i, err == nil
	}
	return 0, false
}

// asMap accepts both plain maps and chartutil.Values (Helm's named map
// type for .Values and coalesced scopes).
func asMap(v any) map[string]any {
	switch m := v.(type) {
	case map[string]any:
		return m
	case chartutil.Values:
		return m
	}
	return nil
}

// sitesOf returns the guarded calls of a template file, parsing it once
// per chart entry (the files are shared by every render of the chart)
// and once per text across charts (sitesByText).
func (ce *chartEntry) sitesOf(r *Renderer, f *chart.File) []guardSite {
	ce.sitesMu.Lock()
	defer ce.sitesMu.Unlock()
	if s, ok := ce.sites[f]; ok {
		return s
	}
	if ce.sites == nil {
		ce.sites = map[*chart.File][]guardSite{}
	}
	s := r.sitesByText(f.Name, f.Data)
	ce.sites[f] = s
	return s
}

// siteScanName is the template name a text is parsed under when its
// sites are shared by every file with that text.
const siteScanName = "syncdoctor-guard-scan"

// sitesByText is templateSites shared across files with the same text: a
// library chart is loaded again with every chart that depends on it, and
// monorepo charts are often copies of one another. A file's sites depend
// on its name only through which parse tree is the file's own (rootDot),
// so a text that names neither the file nor siteScanName (no define can
// then be called either) has the same sites under siteScanName.
func (r *Renderer) sitesByText(name string, data []byte) []guardSite {
	text := string(data)
	if strings.Contains(text, name) || strings.Contains(text, siteScanName) {
		return templateSites(name, data)
	}
	if s, ok := r.sites.Load(text); ok {
		return s.([]guardSite)
	}
	s := templateSites(siteScanName, data)
	r.sites.Store(text, s)
	return s
}

// tplCalls reports whether a template text calls tpl.
func tplCalls(text string) bool {
	if !strings.Contains(text, "tpl") {
		return false
	}
	trees := map[string]*parse.Tree{}
	t := parse.New("tpl")
	t.Mode = parse.SkipFuncCheck
	if _, err := t.Parse(text, "", "", trees); err != nil {
		return false
	}
	for _, tree := range trees {
		if namesIdent(tree.Root, "tpl") {
			return true
		}
	}
	return false
}

// namesIdent reports whether a function named ident is called under n.
func namesIdent(n parse.Node, ident string) bool {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return false
		}
		for _, c := range n.Nodes {
			if namesIdent(c, ident) {
				return true
			}
		}
	case *parse.ActionNode:
		return namesIdent(n.Pipe, ident)
	case *parse.IfNode:
		return namesIdent(n.Pipe, ident) || namesIdent(n.List, ident) || namesIdent(n.ElseList, ident)
	case *parse.RangeNode:
		return namesIdent(n.Pipe, ident) || namesIdent(n.List, ident) || namesIdent(n.ElseList, ident)
	case *parse.WithNode:
		return namesIdent(n.Pipe, ident) || namesIdent(n.List, ident) || namesIdent(n.ElseList, ident)
	case *parse.TemplateNode:
		return namesIdent(n.Pipe, ident)
	case *parse.PipeNode:
		if n == nil {
			return false
		}
		for _, c := range n.Cmds {
			for _, a := range c.Args {
				if namesIdent(a, ident) {
					return true
				}
			}
		}
	case *parse.IdentifierNode:
		return n.Ident == ident
	}
	return false
}

// guardTplStrings checks the strings a chart may hand to tpl: string
// values and the chart's non-template files (.Files.Get). Helm bounds
// include's recursion (recursionMaxNums in helm pkg/engine/engine.go) but
// not tpl's: a tpl string that calls tpl on itself recurses until the Go
// stack overflows, which kills the process. So such strings are refused,
// as are tpl strings asking for an allocation over the limits.
func (r *Renderer) guardTplStrings(c *chart.Chart, vals map[string]any, loc func(path string) finding.Location) error {
	if !chartCallsTpl(c) {
		return nil
	}
	check := func(where string, text string, l finding.Location) error {
		if !strings.Contains(text, "{{") {
			return nil
		}
		if tplCalls(text) {
			return &Error{Loc: l, Err: fmt.Errorf("%s is a template that calls tpl, which can recurse without bound (Helm limits include's depth, not tpl's); not rendered", where)}
		}
		for _, s := range templateSites(where, []byte(text)) {
			if err := r.checkSite(&chartEntry{}, &chart.File{Name: where}, s, vals); err != nil {
				var re *Error
				if errors.As(err, &re) {
					re.Loc = l
					re.Err = fmt.Errorf("%s: %w", where, re.Err)
				}
				return err
			}
		}
		return nil
	}
	var walkVals func(p string, v any) error
	walkVals = func(p string, v any) error {
		switch x := v.(type) {
		case string:
			return check("value "+p, x, loc(p))
		case []any:
			for i, e := range x {
				if err := walkVals(fmt.Sprintf("%s[%d]", p, i), e); err != nil {
					return err
				}
			}
		default:
			if m := asMap(v); m != nil {
				for k, e := range m {
					if err := walkVals(strings.TrimPrefix(p+"."+k, "."), e); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	if err := walkVals("", vals); err != nil {
		return err
	}
	for _, f := range c.Files {
		if err := check("file "+f.Name, string(f.Data), loc("")); err != nil {
			return err
		}
	}
	return nil
}

// chartCallsTpl reports whether any template of the chart tree names tpl.
func chartCallsTpl(c *chart.Chart) bool {
	for _, f := range c.Templates {
		if bytes.Contains(f.Data, []byte("tpl")) { // no copy of the text
			return true
		}
	}
	for _, d := range c.Dependencies() {
		if chartCallsTpl(d) {
			return true
		}
	}
	return false
}

// valueLocation is where a value path is best looked for: the chart's
// values.yaml when it sets the path, else the Application's helm block.
func valueLocation(ce *chartEntry, t *target.Target, p string) finding.Location {
	if ce.dir != "" && p != "" {
		var cur any = ce.chart.Values
		for _, k := range strings.Split(p, ".") {
			cur = asMap(cur)[k]
		}
		if cur != nil {
			return finding.Location{File: path.Join(ce.dir, "values.yaml")}
		}
	}
	if len(t.ValueFiles) > 0 {
		return finding.Location{File: t.ValueFiles[len(t.ValueFiles)-1]}
	}
	if ce.dir != "" {
		return finding.Location{File: path.Join(ce.dir, "Chart.yaml")}
	}
	return appField(t, "helm")
}
