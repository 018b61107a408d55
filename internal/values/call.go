package values

import (
	"text/template/parse"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// consume records the values reads a use of v makes. whole means the use
// may look at everything below the value (printing it, toYaml, range,
// passing it to a function we do not model); otherwise only the value
// itself is looked at (a truth test, a comparison). why, when set, says
// which conservative rule applied.
func (w *walker) consume(v aval, whole bool, why string) {
	for _, r := range v {
		switch r.kind {
		case kValues:
			w.read(r.sc, r.path, whole, r.at, why)
		case kRoot:
			if whole {
				w.read(r.sc, nil, true, r.at, why)
			}
		case kSubcharts:
			if whole {
				for _, k := range sortedKeys(r.sc.children) {
					w.read(r.sc.children[k], nil, true, r.at, why)
				}
			}
		case kDict:
			if whole {
				for _, k := range sortedKeys(r.dict) {
					w.consume(r.dict[k], true, why)
				}
			}
		case kList:
			if whole {
				for _, e := range r.list {
					w.consume(e, true, why)
				}
			}
		}
	}
}

// read records one read of sc's .Values at p, in root-chart coordinates.
// A subchart's .Values.global is the root's global (Helm copies globals
// down), so its reads are recorded under "global"; reading a subchart's
// whole .Values reads the globals too.
func (w *walker) read(sc *scope, p Path, whole bool, at finding.Location, why string) {
	full := sc.prefix.Child(p...)
	if sc.parent != nil && len(p) > 0 && p[0] == "global" {
		full = p
	}
	w.emit(Read{Path: full, Whole: whole, Template: w.src.name, At: at, Why: why})
	if sc.parent != nil && len(p) == 0 && whole {
		w.emit(Read{Path: Path{"global"}, Whole: true, Template: w.src.name, At: at, Why: why})
	}
}

// Functions that only look at their arguments (truthiness, comparison,
// type, size) and return something unrelated to values.
var testFuncs = map[string]bool{
	"not": true, "empty": true, "eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
	"len": true, "kindIs": true, "kindOf": true, "typeOf": true, "typeIs": true, "typeIsLike": true,
	"deepEqual": true,
}

// call models a function call. The rules, from most to least precise:
//   - include/template: the define is analysed with the argument as dot;
//     a name that is not a literal reads the argument whole.
//   - tpl with a literal text: the text is parsed and analysed with the
//     context as dot; any other text: text and context are read whole
//     (the text may read any key of the context).
//   - dict/list build literals that keep their members' values paths.
//   - index/get/dig/pluck/hasKey with literal keys follow the path; a key
//     that is not a literal reads the collection whole.
//   - default/coalesce/and/or/ternary/required/deepCopy pass their
//     arguments through (truth-testing them); merge/set pass the maps
//     through and read the merged-in arguments whole.
//   - truth/comparison/type functions read their arguments, not below.
//   - every other function (toYaml, quote, printf, unknown ones) reads its
//     arguments whole and returns an unknown value.
func (w *walker) call(name string, nodes []parse.Node, args []aval, at finding.Location) aval {
	arg := func(i int) aval {
		if i < len(args) {
			return args[i]
		}
		return nil
	}
	switch name {
	case "include":
		if n, ok := arg(0).str(); ok {
			w.callDefine(n, arg(1), at)
		} else {
			w.consume(arg(1), true, "include of a computed template name")
		}
		return nil
	case "tpl":
		w.tpl(arg(0), arg(1), at)
		return nil
	case "dict":
		d := map[string]aval{}
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := args[i].str(); ok {
				d[k] = args[i+1]
			} else {
				w.consume(args[i+1], true, "dict with a computed key")
			}
		}
		if len(args)%2 == 1 {
			w.consume(args[len(args)-1], true, "")
		}
		return aval{{kind: kDict, dict: d, at: at}}
	case "list", "tuple":
		return aval{{kind: kList, list: args, at: at}}
	case "index":
		return w.index(arg(0), args[min(1, len(args)):], at)
	case "get":
		return w.index(arg(0), args[min(1, len(args)):], at)
	case "dig":
		if len(args) < 2 {
			break
		}
		v := w.index(args[len(args)-1], args[:len(args)-2], at)
		return union(v, args[len(args)-2])
	case "pluck":
		if len(args) < 1 {
			break
		}
		var out aval
		for _, m := range args[1:] {
			out = union(out, w.index(m, args[:1], at))
		}
		return out
	case "hasKey":
		w.consume(w.index(arg(0), args[min(1, len(args)):], at), false, "")
		return nil
	case "default", "coalesce", "and", "or":
		for _, a := range args {
			w.consume(a, false, "")
		}
		return union(args...)
	case "ternary":
		w.consume(arg(2), false, "")
		return union(arg(0), arg(1))
	case "required":
		w.consume(arg(1), false, "")
		return arg(1)
	case "deepCopy", "mustDeepCopy":
		return arg(0)
	case "first", "mustFirst", "last", "mustLast":
		if e, ok := elems(arg(0)); ok {
			return e
		}
	case "merge", "mustMerge", "mergeOverwrite", "mustMergeOverwrite", "set", "unset":
		for _, a := range args[min(1, len(args)):] {
			w.consume(a, true, "")
		}
		return arg(0)
	}
	if testFuncs[name] {
		for _, a := range args {
			w.consume(a, false, "")
		}
		return nil
	}
	for _, a := range args {
		w.consume(a, true, "")
	}
	return nil
}

// index follows literal keys from base; a computed key reads what is known
// so far whole.
func (w *walker) index(base aval, keys []aval, at finding.Location) aval {
	cur := base
	for _, k := range keys {
		if len(k) != 1 || k[0].kind != kLit {
			w.consume(cur, true, "index with a computed key")
			return nil
		}
		if k[0].num {
			if e, ok := elems(cur); ok {
				cur = e
				continue
			}
			// A list item inside values: the list is a leaf, read it.
			w.consume(cur, true, "")
			return nil
		}
		cur = field(cur, []string{k[0].lit}, at)
	}
	return cur
}

// tpl models Helm's tpl: a literal text is analysed as a template with ctx
// as dot; text from anywhere else is unknown, so ctx is read whole.
func (w *walker) tpl(text, ctx aval, at finding.Location) {
	s, ok := text.str()
	if !ok {
		w.consume(text, true, "tpl")
		w.consume(ctx, true, "tpl of a computed text")
		return
	}
	t := parse.New("tpl")
	t.Mode = parse.SkipFuncCheck
	trees := map[string]*parse.Tree{}
	if _, err := t.Parse(s, "", "", trees); err != nil || trees["tpl"] == nil {
		w.consume(ctx, true, "tpl text that does not parse")
		return
	}
	inner := &walker{ix: w.ix, src: &src{name: w.src.name, file: at.File, lines: []int{0}}, sinks: [][]Read{nil}}
	inner.list(trees["tpl"].Root, &frame{dot: ctx, vars: []binding{{"$", ctx}}})
	for _, r := range inner.sinks[0] {
		r.At = at // offsets inside the literal do not map to file lines
		w.emit(r)
	}
}

// callDefine analyses a define with dot, once per (name, dot), and adds its
// reads to the current collector.
func (w *walker) callDefine(name string, dot aval, at finding.Location) {
	d, ok := w.ix.defines[name]
	if !ok {
		w.consume(dot, true, "include of an undefined template")
		return
	}
	key := name + dot.key()
	reads, done := w.ix.memo[key]
	if !done {
		if len(w.ix.active) > 100 {
			w.ix.giveUp("include nesting deeper than 100")
			return
		}
		if w.ix.active[key] {
			// Recursion: the outer analysis of this key collects the
			// reads; analyses cut short this way are not memoised.
			w.ix.cuts++
			return
		}
		cuts := w.ix.cuts
		w.ix.active[key] = true
		inner := &walker{ix: w.ix, src: d.src, sinks: [][]Read{nil}}
		inner.list(d.tree.Root, &frame{dot: dot, vars: []binding{{"$", dot}}})
		delete(w.ix.active, key)
		reads = inner.sinks[0]
		if w.ix.cuts == cuts {
			w.ix.memo[key] = reads
		}
	}
	for _, r := range reads {
		w.emit(r)
	}
}
