package values

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"text/template/parse"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Read is one read of a values path by a template.
type Read struct {
	// Path is in the root chart's values coordinates, the keys a user
	// writes in a value file: a subchart's .Values.x is "sub.x" (alias if
	// any), its .Values.global.x is "global.x".
	Path Path
	// Whole means everything below Path may be read: the value was printed,
	// passed to toYaml, ranged over, or given to a function not modelled.
	Whole bool
	// Template is the Helm name of the file holding the read
	// ("web/templates/_helpers.tpl" for a read inside an include).
	Template string
	// At is the position of the read; File is relative to the directory
	// given to IndexChartDir (the root chart directory for IndexChart).
	At finding.Location
	// Why names the conservative rule that produced the read, if any
	// ("tpl of a computed text", "index with a computed key", ...).
	Why string
}

// Index is what the templates of a chart and its subcharts read. Each
// template is parsed once; reads through include are followed with the
// dot actually passed.
type Index struct {
	root      *scope
	templates map[string]*tplInfo // by Helm name and by file
	names     []string            // executed templates, Helm names, sorted
	defines   map[string]*define
	memo      map[string][]Read
	active    map[string]bool
	cuts      int
	steps     int
	maxSteps  int
	gaveUp    string
	trie      *trie
}

type tplInfo struct {
	name   string
	src    *src
	tree   *parse.Tree
	reads  []Read
	guards []Guard
	// scopeRoot is the dot the template runs with: its chart's root context.
	scopeRoot aval
}

type define struct {
	tree *parse.Tree
	src  *src
}

// IndexChart indexes c with file positions relative to the chart directory.
func IndexChart(c *chart.Chart) (*Index, error) { return IndexChartDir(c, "") }

// IndexChartDir indexes c; dir (checkout-relative chart directory) prefixes
// every file position. Subchart files are placed at charts/<name>/ (a
// subchart loaded from an archive has no file of its own; its positions
// name that would-be directory).
//
// A template that does not parse is reported in the error (errors.Join of
// file:line errors) and makes the index incomplete: ReadsPath then answers
// true for every path, since reads can no longer be ruled out. The Index is
// returned and usable in every case.
func IndexChartDir(c *chart.Chart, dir string) (*Index, error) {
	return IndexChartParsed(c, dir, nil, nil)
}

// IndexChartParsed is IndexChartDir reusing the parse trees a renderer made
// of the same chart (render/engine Parsed.Trees: every template and
// winning define by name, each tree's ParseName its file, and the text of
// every file) instead of parsing each template again. They are used only
// when they cover exactly the files the index would parse, with the same
// texts; otherwise every file is parsed as IndexChartDir does. The trees
// are only read.
func IndexChartParsed(c *chart.Chart, dir string, trees map[string]*parse.Tree, texts map[string]string) (*Index, error) {
	ix := &Index{
		root:      buildScopes(c, true),
		templates: map[string]*tplInfo{},
		defines:   map[string]*define{},
		memo:      map[string][]Read{},
		active:    map[string]bool{},
		maxSteps:  2_000_000,
	}
	var errs []error
	type parsed struct {
		name string
		s    *scope
		src  *src
		text string
	}
	var all []parsed
	eachTemplate(ix.root, func(s *scope, t *chart.File, name string) {
		file := path.Join(dir, s.dir, t.Name)
		all = append(all, parsed{name: name, s: s, src: newSrc(name, file, string(t.Data)), text: string(t.Data)})
	})
	// Helm parses templates deepest path first, then in reverse lexical
	// order (engine.go sortTemplates), and a later non-empty define
	// replaces an earlier one of the same name: parents override subcharts.
	slices.SortFunc(all, func(a, b parsed) int {
		ca, cb := strings.Count(a.name, "/"), strings.Count(b.name, "/")
		if ca != cb {
			return cb - ca
		}
		return strings.Compare(b.name, a.name)
	})
	files := make(map[string]string, len(all))
	for _, p := range all {
		files[p.name] = p.text
	}
	byFile := treesByFile(files, trees, texts)
	for _, p := range all {
		trees := byFile[p.name]
		if byFile == nil {
			t := parse.New(p.name)
			t.Mode = parse.SkipFuncCheck
			trees = map[string]*parse.Tree{}
			if _, err := t.Parse(p.text, "", "", trees); err != nil {
				errs = append(errs, fmt.Errorf("parse template %s: %w", p.src.file, err))
				ix.giveUp("a template does not parse")
				continue
			}
		}
		for name, tr := range trees {
			if name == p.name {
				continue
			}
			if old, ok := ix.defines[name]; ok && parse.IsEmptyTree(tr.Root) && !parse.IsEmptyTree(old.tree.Root) {
				continue
			}
			ix.defines[name] = &define{tree: tr, src: p.src}
		}
		info := &tplInfo{name: p.name, src: p.src, tree: trees[p.name]}
		ix.templates[p.name] = info
		ix.templates[p.src.file] = info
		// Partials are never executed (engine.go render skips "_" files).
		if !strings.HasPrefix(path.Base(p.name), "_") {
			ix.names = append(ix.names, p.name)
		}
		info.scopeRoot = aval{{kind: kRoot, sc: p.s}}
	}
	slices.Sort(ix.names)
	for _, name := range ix.names {
		ix.run(ix.templates[name])
	}
	ix.buildTrie()
	return ix, errors.Join(errs...)
}

// treesByFile groups a renderer's parse trees by the file each came from,
// as parsing each file alone would give them (its own tree under its name,
// plus its defines), for files (Helm name → text). It returns nil unless
// the renderer parsed exactly those files with the same texts, so that the
// caller parses instead. Defines a later file replaced are missing; the
// index keeps the same winners (the rule in IndexChartParsed's loop is
// text/template's).
func treesByFile(files map[string]string, trees map[string]*parse.Tree, texts map[string]string) map[string]map[string]*parse.Tree {
	if trees == nil || !maps.Equal(files, texts) {
		return nil
	}
	out := make(map[string]map[string]*parse.Tree, len(files))
	for name := range files {
		if trees[name] == nil {
			return nil
		}
		out[name] = map[string]*parse.Tree{name: trees[name]}
	}
	for name, tr := range trees {
		file, ok := out[tr.ParseName]
		if !ok {
			return nil // a tree from a file the index does not parse
		}
		if name != tr.ParseName {
			file[name] = tr
		}
	}
	return out
}

// eachTemplate calls fn for every template of root's chart tree that Helm
// parses, with its Helm name (helm v3.22.0 pkg/engine/engine.go
// isTemplateValid: a library chart contributes its partials only).
func eachTemplate(root *scope, fn func(s *scope, t *chart.File, name string)) {
	for _, s := range root.all() {
		library := s.chart.Metadata != nil && strings.EqualFold(s.chart.Metadata.Type, "library")
		for _, t := range s.chart.Templates {
			if t == nil || (library && !strings.HasPrefix(path.Base(t.Name), "_")) {
				continue
			}
			fn(s, t, s.tplBase+"/"+t.Name)
		}
	}
}

// TemplateNames lists, sorted, the templates of c that Helm executes (not
// partials): what IndexChart(c).Templates() returns, without parsing or
// analysing anything.
func TemplateNames(c *chart.Chart) []string {
	var names []string
	eachTemplate(buildScopes(c, true), func(_ *scope, _ *chart.File, name string) {
		if !strings.HasPrefix(path.Base(name), "_") {
			names = append(names, name)
		}
	})
	slices.Sort(names)
	return slices.Compact(names)
}

// run analyses one executed template with its chart's root context as dot.
func (ix *Index) run(t *tplInfo) {
	if t.tree == nil || t.tree.Root == nil {
		return
	}
	w := &walker{ix: ix, src: t.src, sinks: [][]Read{nil}, guards: &t.guards, whole: wholeOutputGuards(t.tree.Root)}
	w.list(t.tree.Root, &frame{dot: t.scopeRoot, vars: []binding{{"$", t.scopeRoot}}})
	t.reads = w.sinks[0]
}

func (ix *Index) giveUp(why string) {
	if ix.gaveUp == "" {
		ix.gaveUp = why
	}
}

// Templates lists the Helm names of the templates Helm executes (partials
// and library templates are reached only through include).
func (ix *Index) Templates() []string { return slices.Clone(ix.names) }

// Reads returns every values read of a template (by Helm name or by file),
// including reads inside the defines it includes, in walk order.
func (ix *Index) Reads(template string) []Read {
	if t, ok := ix.templates[template]; ok {
		return slices.Clone(t.reads)
	}
	return nil
}

// Guards returns the if/with blocks of a template's own tree, outer first.
func (ix *Index) Guards(template string) []Guard {
	if t, ok := ix.templates[template]; ok {
		return slices.Clone(t.guards)
	}
	return nil
}

// Incomplete returns why the analysis gave up ("" when it did not). An
// incomplete index answers ReadsPath with true for every path.
func (ix *Index) Incomplete() string { return ix.gaveUp }
