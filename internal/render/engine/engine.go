// Package engine executes Helm chart templates as helm.sh/helm/v3
// pkg/engine (v3.22.0) Engine{}.Render does for `helm template` and
// ArgoCD's repo-server: not strict, not lint mode, no cluster client (so
// `lookup` finds nothing) and no DNS. It differs only in cost: a chart's
// templates are parsed once (Parse) and the parsed set is executed any
// number of times, concurrently, each execution on its own clone that binds
// `include` and `tpl` to it; and an execution may skip templates whose
// output the caller does not need and whose execution cannot change any
// other template's output (purity.go).
//
// The package is named engine, and its Files type files, so that a
// template printing `{{ printf "%T" .Files }}` sees what it sees under Helm.
// engine_test.go proves Render equal to Helm's engine.Render, output and
// errors, on every fixture chart of the repository and on real charts.
package engine

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// Parsed is every template of one chart tree (the chart and the
// dependencies it has when parsed), parsed in Helm's order. It is safe for
// concurrent use.
type Parsed struct {
	root *template.Template
	// keys are the templates in Helm's parse and execution order: more
	// path segments first, then by name, descending (engine.go
	// sortTemplates sorts byPathLen reversed).
	keys []string
	// impure marks the rendered templates whose execution may write state
	// that other templates read; they run even when not asked for.
	impure map[string]bool
	// err is the parse error every Render returns.
	err error
	// pool holds executors: clones of root whose `include` and `tpl` are
	// bound to the clone. One render uses one executor at a time; nothing
	// in an executor changes while templates execute, except the include
	// counters and cache, which are reset after a render, so executors are
	// reused instead of cloning the set (and its function maps) for every
	// render.
	pool executorPool
	// funcs is the function map the templates were parsed with (Helm's).
	funcs template.FuncMap
	// cacheable are the templates whose includes a render may answer from
	// its cache (includecache.go).
	cacheable map[string]bool
	// texts are the template files parsed, by Helm name.
	texts map[string]string
}

// Trees returns the parse trees of every template and define of the set
// (a define Helm would replace is not there) by name, and the text of each
// template file by name; a tree's ParseName is the file it came from. The
// trees are shared with every render: the caller must not change them.
// ok is false when the chart did not parse.
func (p *Parsed) Trees() (trees map[string]*parse.Tree, texts map[string]string, ok bool) {
	if p.err != nil {
		return nil, nil, false
	}
	trees = map[string]*parse.Tree{}
	for _, t := range p.root.Templates() {
		if t.Tree != nil {
			trees[t.Name()] = t.Tree
		}
	}
	return trees, p.texts, true
}

// executor is a clone of Parsed.root with its own late-bound functions.
type executor struct {
	t  *template.Template
	st *lateState
	// over are the replaced functions of the current render (nil in a
	// plain render), which the trampolines of the names in tramps call
	// (funcset.go).
	over   template.FuncMap
	tramps map[string]bool
}

func (p *Parsed) executor() (*executor, error) {
	if x := p.pool.get(); x != nil {
		x.st.reset()
		return x, nil
	}
	t, err := p.root.Clone()
	if err != nil {
		return nil, err
	}
	x := &executor{t: t, st: &lateState{names: map[string]int{}, cacheable: p.cacheable}}
	bindLateFuncs(t, x.st)
	return x, nil
}

// executorPool keeps the idle executors of one Parsed. Unlike a
// sync.Pool it is not emptied by every garbage collection: a chart's
// renders are spread over a whole run (one per environment, then the
// checks' renders), and each clone of the template set copies its two
// function maps of ~200 entries.
type executorPool struct {
	mu   sync.Mutex
	idle []*executor
}

// get returns an idle executor, or nil.
func (ep *executorPool) get() *executor {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	n := len(ep.idle)
	if n == 0 {
		return nil
	}
	x := ep.idle[n-1]
	ep.idle = ep.idle[:n-1]
	return x
}

// put keeps x for the next render, up to one idle executor per core (no
// more run at once).
func (ep *executorPool) put(x *executor) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if len(ep.idle) < runtime.GOMAXPROCS(0) {
		ep.idle = append(ep.idle, x)
	}
}

// helmFuncs is funcMap built once: building it (sprig's map of ~200
// functions) was a quarter of the cost of parsing a chart. It is never
// written to: template.Funcs copies it into each template set.
var helmFuncs = sync.OnceValue(funcMap)

// emptySet is the template set Helm starts each render from ("gotpl",
// missingkey=zero, Helm's functions), built once: a clone of it copies
// the function maps, where Funcs checks and converts every function again.
// It is never written to.
var emptySet = sync.OnceValue(func() *template.Template {
	return template.New("gotpl").Option("missingkey=zero").Funcs(helmFuncs())
})

// Key identifies the template set of a chart tree: the name and the
// *chart.File of every template Helm would parse. Two trees with the same
// Key can share one Parsed.
func Key(c *chart.Chart) string {
	var b strings.Builder
	walkTemplates(c, func(name string, f *chart.File) {
		fmt.Fprintf(&b, "%s\x00%p\x00", name, f)
	})
	return b.String()
}

// walkTemplates calls fn for each template Helm renders from c, as
// recAllTpls collects them: dependencies first, library charts only
// contributing their `_` partials.
func walkTemplates(c *chart.Chart, fn func(name string, f *chart.File)) {
	for _, d := range c.Dependencies() {
		walkTemplates(d, fn)
	}
	base := c.ChartFullPath()
	for _, t := range c.Templates {
		if t == nil || (isLibrary(c) && !strings.HasPrefix(filepath.Base(t.Name), "_")) {
			continue
		}
		fn(path.Join(base, t.Name), t)
	}
}

func isLibrary(c *chart.Chart) bool { return strings.EqualFold(c.Metadata.Type, "library") }

// Parse parses the templates of c. A template that does not parse makes
// a Parsed whose every Render fails with Helm's parse error.
func Parse(c *chart.Chart) *Parsed {
	texts := map[string]string{}
	walkTemplates(c, func(name string, f *chart.File) { texts[name] = string(f.Data) })
	p := &Parsed{keys: sortedKeys(texts), texts: texts, funcs: helmFuncs()}
	t, err := emptySet().Clone()
	if err != nil {
		p.err = err
		return p
	}
	for _, name := range p.keys {
		if _, err := t.New(name).Parse(texts[name]); err != nil {
			p.err = parseError(name, err)
			return p
		}
	}
	p.root = t
	p.impure = impureTemplates(t, p.keys, texts)
	p.cacheable = cacheableTemplates(t, texts, p.funcs)
	return p
}

// sortedKeys orders template names as Helm parses and executes them.
func sortedKeys(texts map[string]string) []string {
	keys := make([]string, 0, len(texts))
	for k := range texts {
		keys = append(keys, k)
	}
	// Helm sorts with sort.Sort(sort.Reverse(byPathLen)); the order is
	// total on distinct names, so any sort gives the same result.
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		ca, cb := strings.Count(a, "/"), strings.Count(b, "/")
		if ca == cb {
			return a > b
		}
		return ca > cb
	})
	return keys
}

// Render executes the templates of c, which must have the Key the Parsed
// was made from, with vals (chartutil.ToRenderValues' result), and returns
// the output of each non-partial template by name, "<no value>" removed,
// as engine.Render does. When only is not nil, templates for which it is
// false are skipped unless their execution may affect another template;
// errors of skipped templates are then not seen.
func (p *Parsed) Render(c *chart.Chart, vals chartutil.Values, only func(name string) bool) (map[string]string, error) {
	return p.RenderFuncs(c, vals, only, nil)
}

// RenderFuncs is Render with the template functions in funcs replacing
// Helm's for this render. It is an analysis tool, not Helm: checks use it
// to see through functions that hide their input (a hash of the config
// in a checksum annotation). Renders replacing the same names of Helm's
// functions with functions of the same types share pooled executors
// (funcset.go); other replacements get a clone of their own. A
// replacement must, like the function it replaces, give the same result
// for the same arguments unless that function is in uncacheableFuncs: the
// include cache (includecache.go) relies on it.
func (p *Parsed) RenderFuncs(c *chart.Chart, vals chartutil.Values, only func(name string) bool, funcs template.FuncMap) (rendered map[string]string, err error) {
	if p.err != nil {
		return map[string]string{}, p.err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rendering template failed: %v", r)
		}
	}()
	scopes := map[string]scope{}
	scopeChart(c, scopes, vals)
	x, err := p.renderExecutor(funcs)
	if err != nil {
		return map[string]string{}, err
	}
	if x.over != nil || len(funcs) == 0 {
		defer func() {
			unbindReplacements(x)
			x.st.reset() // the cache holds this render's data
			p.pool.put(x)
		}()
	}
	t := x.t
	rendered = make(map[string]string, len(p.keys))
	var last *chart.Chart // the chart of the template executed last
	for _, name := range p.keys {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		if only != nil && !only(name) && !p.impure[name] {
			continue
		}
		s, ok := scopes[name]
		if !ok {
			return map[string]string{}, fmt.Errorf("template %s is not in the chart it was parsed from", name)
		}
		if last != nil && last != s.chart {
			// Templates run by path depth, not chart by chart: another
			// chart's .Template changed (includecache.go).
			clear(x.st.cache)
		}
		last = s.chart
		s.vals["Template"] = chartutil.Values{"Name": name, "BasePath": s.basePath}
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, name, s.vals); err != nil {
			return map[string]string{}, execError(name, err)
		}
		rendered[name] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return rendered, nil
}

// renderExecutor returns the executor for a render with funcs replacing
// Helm's functions: a pooled one, or a clone of its own when a
// replacement has no trampoline (replaceable).
func (p *Parsed) renderExecutor(funcs template.FuncMap) (*executor, error) {
	if len(funcs) == 0 {
		return p.executor()
	}
	if p.replaceable(funcs) {
		x, err := p.executor()
		if err != nil {
			return nil, err
		}
		p.bindReplacements(x, funcs)
		return x, nil
	}
	// A clone of the parsed set of its own, not of a pooled executor, whose
	// trampolines call the replacements of whichever render uses it.
	t, err := p.root.Clone()
	if err != nil {
		return nil, err
	}
	x := &executor{t: t, st: &lateState{names: map[string]int{}, cacheable: p.cacheable}}
	bindLateFuncs(t, x.st)
	t.Funcs(funcs)
	return x, nil
}

// scope is what one template executes with: its chart's values map
// (shared by every template of that chart, as in Helm) and base path.
type scope struct {
	vals     chartutil.Values
	basePath string
	chart    *chart.Chart
}

// scopeChart builds the per-chart template data as Helm's recAllTpls
// does: a chart sees its own slice of the parent's values, its files, and
// its dependencies' data under Subcharts. It returns c's data.
func scopeChart(c *chart.Chart, out map[string]scope, vals chartutil.Values) map[string]any {
	subcharts := map[string]any{}
	meta := struct {
		chart.Metadata
		IsRoot bool
	}{ownMetadata(c.Metadata), c.IsRoot()}
	data := map[string]any{
		"Chart":        meta,
		"Files":        newFiles(c.Files),
		"Release":      vals["Release"],
		"Capabilities": vals["Capabilities"],
		"Values":       make(chartutil.Values),
		"Subcharts":    subcharts,
	}
	if c.IsRoot() {
		data["Values"] = vals["Values"]
	} else if vs, err := vals.Table("Values." + c.Name()); err == nil {
		data["Values"] = vs
	}
	for _, d := range c.Dependencies() {
		subcharts[d.Name()] = scopeChart(d, out, data)
	}
	base := c.ChartFullPath()
	for _, t := range c.Templates {
		if t == nil || (isLibrary(c) && !strings.HasPrefix(filepath.Base(t.Name), "_")) {
			continue
		}
		out[path.Join(base, t.Name)] = scope{vals: data, basePath: path.Join(base, "templates"), chart: c}
	}
	return data
}

// ownMetadata is a copy of m whose slices are the render's own: sprig's
// sortAlpha sorts a []string argument in place (list.go: strslice returns
// it as is), so `sortAlpha .Chart.Keywords` would otherwise reorder the
// chart every later render sees, where `helm template` renders once.
func ownMetadata(m *chart.Metadata) chart.Metadata {
	out := *m
	out.Keywords = slices.Clone(m.Keywords)
	out.Sources = slices.Clone(m.Sources)
	if m.Dependencies != nil {
		out.Dependencies = make([]*chart.Dependency, len(m.Dependencies))
		for i, d := range m.Dependencies {
			if d != nil {
				cp := *d
				cp.Tags = slices.Clone(d.Tags)
				out.Dependencies[i] = &cp
			}
		}
	}
	return out
}

// parseError words a parse error as Helm's cleanupParseError does.
func parseError(name string, err error) error {
	parts := strings.Split(err.Error(), ": ")
	if len(parts) == 1 {
		return fmt.Errorf("parse error in (%s): %s", name, err)
	}
	return fmt.Errorf("parse error at (%s): %s", parts[1], parts[len(parts)-1])
}

// failRe finds the message `required` and `fail` wrap in their markers.
var failRe = regexp.MustCompile(failStart + `((?s).*)` + failEnd)

// execError words an execution error as Helm's cleanupExecError does:
// a `required` or `fail` message loses its markers and the call chain.
func execError(name string, err error) error {
	if _, ok := err.(template.ExecError); !ok {
		return err
	}
	parts := strings.SplitN(err.Error(), ": ", 3)
	if len(parts) != 3 {
		return fmt.Errorf("execution error in (%s): %s", name, err)
	}
	if m := failRe.FindStringSubmatch(parts[2]); len(m) >= 2 {
		return fmt.Errorf("execution error at (%s): %s", parts[1], m[1])
	}
	return err
}
