package values

import (
	"sort"
	"strconv"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// The abstract values the template analysis tracks. A template value that
// is none of these (a string built by printf, a number, .Release.Name) is
// "unknown": it carries no values path, so nothing read through it is a
// values read.
type refKind uint8

const (
	kRoot      refKind = iota // the top-level context of a chart: .Values, .Release, ...
	kValues                   // a values subtree: .Values.a.b
	kDict                     // a dict literal: dict "ctx" $ "v" .Values.x
	kList                     // a list literal: list $ .Values.x
	kLit                      // a string or number literal
	kSubcharts                // .Subcharts
)

// ref is one possibility of an abstract value.
type ref struct {
	kind refKind
	sc   *scope
	path Path             // kValues: path inside sc's .Values
	dict map[string]aval  // kDict
	list []aval           // kList
	lit  string           // kLit: the literal text (unquoted)
	num  bool             // kLit: a number
	at   finding.Location // where the value was produced (for Read.At)
}

// aval is an abstract value: the union of what an expression may evaluate
// to, along every path through the template (branches are not told apart).
type aval []ref

func union(vs ...aval) aval {
	var out aval
	seen := map[string]bool{}
	for _, v := range vs {
		for _, r := range v {
			k := r.key()
			if !seen[k] {
				seen[k] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// str returns the literal string when v is exactly one string literal.
func (v aval) str() (string, bool) {
	if len(v) == 1 && v[0].kind == kLit && !v[0].num {
		return v[0].lit, true
	}
	return "", false
}

// key is a canonical form of v, used to memoise define analyses.
func (v aval) key() string {
	ks := make([]string, len(v))
	for i, r := range v {
		ks[i] = r.key()
	}
	sort.Strings(ks)
	return "(" + strings.Join(ks, "|") + ")"
}

func (r ref) key() string {
	switch r.kind {
	case kRoot:
		return "R" + r.sc.tplBase
	case kValues:
		return "V" + r.sc.tplBase + ":" + r.path.String()
	case kDict:
		var b strings.Builder
		b.WriteString("D{")
		for _, k := range sortedKeys(r.dict) {
			b.WriteString(strconv.Quote(k))
			b.WriteString(r.dict[k].key())
		}
		b.WriteString("}")
		return b.String()
	case kList:
		var b strings.Builder
		b.WriteString("L[")
		for _, e := range r.list {
			b.WriteString(e.key())
		}
		b.WriteString("]")
		return b.String()
	case kLit:
		return "S" + strconv.Quote(r.lit)
	case kSubcharts:
		return "C" + r.sc.tplBase
	}
	return "?"
}

// field follows a field chain (.a.b) from every possibility of v.
func field(v aval, idents []string, at finding.Location) aval {
	if len(idents) == 0 {
		return v
	}
	var out aval
	for _, r := range v {
		switch r.kind {
		case kRoot:
			switch idents[0] {
			case "Values":
				out = append(out, field(aval{{kind: kValues, sc: r.sc, at: at}}, idents[1:], at)...)
			case "Subcharts":
				out = append(out, field(aval{{kind: kSubcharts, sc: r.sc, at: at}}, idents[1:], at)...)
			}
		case kSubcharts:
			if child, ok := r.sc.children[idents[0]]; ok {
				out = append(out, field(aval{{kind: kRoot, sc: child, at: at}}, idents[1:], at)...)
			}
		case kValues:
			out = append(out, ref{kind: kValues, sc: r.sc, path: r.path.Child(idents...), at: at})
		case kDict:
			if m, ok := r.dict[idents[0]]; ok {
				out = append(out, field(m, idents[1:], at)...)
			}
		}
	}
	return union(out)
}

// elems is what ranging over v (or first/last/index N) yields, when v is a
// literal list or dict; ok is false when v holds anything else.
func elems(v aval) (aval, bool) {
	var out aval
	for _, r := range v {
		switch r.kind {
		case kList:
			out = union(append([]aval{out}, r.list...)...)
		case kDict:
			for _, k := range sortedKeys(r.dict) {
				out = union(out, r.dict[k])
			}
		default:
			return nil, false
		}
	}
	return out, true
}
