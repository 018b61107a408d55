package check

import (
	"fmt"
	"regexp"
	"strings"
	"text/template/parse"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// randomNames are the template functions whose result changes between
// calls by itself (sprig v3.3.0 functions.go and crypto.go: the rand*
// family and `shuffle` use math/rand or crypto/rand, `uuidv4` a random
// UUID, the cert and key generators fresh keys, `bcrypt`/`htpasswd` a
// random salt, `encryptAES` a random IV), plus `now`, the clock itself.
var randomNames = []string{
	"randAlphaNum", "randAlpha", "randNumeric", "randAscii", "randBytes", "randInt", "shuffle", "uuidv4",
	"genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey",
	"genPrivateKey", "htpasswd", "bcrypt", "encryptAES", "now",
}

// clockReaderNames read the clock only in some uses (shiftedClockFuncs):
// on a line that also calls one of randomNames (`now | date "…"`), that
// one is the source of the change.
var clockReaderNames = []string{"ago", "date", "dateInZone", "date_in_zone", "htmlDate", "htmlDateInZone", "durationRound"}

// namesRandomFunc reports whether a template text names a random or
// clock function as a whole word (as the regexp \b(name|…)\b would; a
// text match, the render decides), so that a chart is worth a second
// render. It scans with strings.Index per name: the alternation regexp
// backtracked at every byte and cost a tenth of a run's check time.
func namesRandomFunc(text string) bool {
	for _, names := range [][]string{randomNames, clockReaderNames} {
		for _, n := range names {
			if containsWord(text, n) {
				return true
			}
		}
	}
	return false
}

// containsWord reports whether word occurs in text between ASCII word
// boundaries (regexp \b: a word byte is [0-9A-Za-z_]).
func containsWord(text, word string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], word)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(word)
		if (i == 0 || !isWordByte(text[i-1])) && (end == len(text) || !isWordByte(text[end])) {
			return true
		}
		from = i + 1
	}
}

func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// ndCall is one call of a random or clock function in a chart's templates.
type ndCall struct {
	fn   string
	at   finding.Location
	line string // the template line's text
}

// ndCalls are a chart's calls by template tree: the top-level tree of
// each template file (by checkout path) and each named template (by
// "define:" + name), with the named templates each tree includes ("*"
// when a name is computed at run time).
type ndCalls struct {
	calls    map[string][]ndCall
	includes map[string][]string
	defines  []string
}

// chartCalls parses every template of c and its dependencies (Helm's
// parser with function checks off, as lint does; text/template/parse)
// and records where each random or clock function is called. chartDir is
// the chart's checkout path. A template that does not parse contributes
// nothing (the render has failed then anyway).
func chartCalls(c *chart.Chart, chartDir string) *ndCalls {
	watched := map[string]bool{}
	for _, n := range append(append([]string(nil), randomNames...), clockReaderNames...) {
		watched[n] = true
	}
	out := &ndCalls{calls: map[string][]ndCall{}, includes: map[string][]string{}}
	var walk func(c *chart.Chart, prefix string)
	walk = func(c *chart.Chart, prefix string) {
		for _, t := range c.Templates {
			file := prefix + t.Name
			text := string(t.Data)
			trees := map[string]*parse.Tree{}
			p := parse.New(t.Name)
			p.Mode = parse.SkipFuncCheck
			if _, err := p.Parse(text, "", "", trees); err != nil {
				continue
			}
			lines := strings.Split(text, "\n")
			for name, tr := range trees {
				key := "define:" + name
				if name == t.Name {
					key = file
				} else {
					out.defines = append(out.defines, name)
				}
				visitTree(tr.Root, func(n parse.Node) {
					switch n := n.(type) {
					case *parse.IdentifierNode:
						if watched[n.Ident] {
							ln := 1 + strings.Count(text[:n.Pos], "\n")
							out.calls[key] = append(out.calls[key], ndCall{fn: n.Ident, at: finding.Location{File: file, Line: ln}, line: lines[ln-1]})
						}
					case *parse.TemplateNode:
						out.includes[key] = append(out.includes[key], n.Name)
					case *parse.CommandNode:
						if len(n.Args) < 2 {
							break
						}
						if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "include" {
							name := "*"
							if s, ok := n.Args[1].(*parse.StringNode); ok {
								name = s.Text
							}
							out.includes[key] = append(out.includes[key], name)
						}
					}
				})
			}
		}
		for _, d := range c.Dependencies() {
			walk(d, prefix+"charts/"+d.Name()+"/")
		}
	}
	walk(c, strings.TrimSuffix(chartDir, "/")+"/")
	return out
}

// visitTree calls visit on n and every node under it.
func visitTree(n parse.Node, visit func(parse.Node)) {
	if n == nil {
		return
	}
	visit(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			visitTree(c, visit)
		}
	case *parse.ActionNode:
		visitTree(n.Pipe, visit)
	case *parse.IfNode:
		visitBranch(&n.BranchNode, visit)
	case *parse.RangeNode:
		visitBranch(&n.BranchNode, visit)
	case *parse.WithNode:
		visitBranch(&n.BranchNode, visit)
	case *parse.TemplateNode:
		if n.Pipe != nil {
			visitTree(n.Pipe, visit)
		}
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			visitTree(c, visit)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			visitTree(a, visit)
		}
	case *parse.ChainNode:
		visitTree(n.Node, visit)
	}
}

func visitBranch(b *parse.BranchNode, visit func(parse.Node)) {
	if b.Pipe != nil {
		visitTree(b.Pipe, visit)
	}
	if b.List != nil {
		visitTree(b.List, visit)
	}
	if b.ElseList != nil {
		visitTree(b.ElseList, visit)
	}
}

// reachable lists the calls that can run while the template file
// renders: its own, then those of the named templates it includes,
// transitively (all of them once an included name is computed).
func (cs *ndCalls) reachable(file string) []ndCall {
	seen := map[string]bool{file: true}
	queue := []string{file}
	var out []ndCall
	for len(queue) > 0 {
		key := queue[0]
		queue = queue[1:]
		out = append(out, cs.calls[key]...)
		for _, name := range cs.includes[key] {
			names := []string{name}
			if name == "*" {
				names = cs.defines
			}
			for _, n := range names {
				if k := "define:" + n; !seen[k] {
					seen[k] = true
					queue = append(queue, k)
				}
			}
		}
	}
	return out
}

// ndAttribution is the call a changed field comes from, or, when the
// templates do not tell, the calls it may come from.
type ndAttribution struct {
	call       ndCall
	known      bool
	candidates []ndCall
}

// key groups fields with the same ndAttribution.
func (a ndAttribution) key() string {
	if a.known {
		return fmt.Sprintf("%s@%s", a.call.fn, a.call.at)
	}
	return "?"
}

// ndAttribute finds the call that produced the field at pointer among the
// calls reachable from its template. It is known when the line setting
// the field's key calls exactly one random or clock function, or when
// every reachable call is of the same function (then the first call is
// named); otherwise the candidates are listed and none is claimed.
func ndAttribute(calls []ndCall, pointer string) ndAttribution {
	if key, ok := leafKey(pointer); ok {
		keyRE := regexp.MustCompile(`(^|[\s{,-])["']?` + regexp.QuoteMeta(key) + `["']?\s*:(\s|$)`)
		var hits []ndCall
		for _, c := range sources(calls) {
			if keyRE.MatchString(c.line) {
				hits = append(hits, c)
			}
		}
		if len(hits) > 0 && sameFunc(hits) && sameLine(hits) {
			return ndAttribution{call: hits[0], known: true}
		}
	}
	if src := sources(calls); len(src) > 0 && sameFunc(src) {
		return ndAttribution{call: src[0], known: true}
	}
	return ndAttribution{candidates: calls}
}

// sources drops the clock readers called on a line that also calls a
// random function or `now` (`now | date "2006-01-02"` reads `now`).
func sources(calls []ndCall) []ndCall {
	random := map[string]bool{}
	for _, n := range randomNames {
		random[n] = true
	}
	lineHasRandom := map[finding.Location]bool{}
	for _, c := range calls {
		if random[c.fn] {
			lineHasRandom[c.at] = true
		}
	}
	var out []ndCall
	for _, c := range calls {
		if random[c.fn] || !lineHasRandom[c.at] {
			out = append(out, c)
		}
	}
	return out
}

func sameFunc(cs []ndCall) bool {
	for _, c := range cs {
		if c.fn != cs[0].fn {
			return false
		}
	}
	return true
}

func sameLine(cs []ndCall) bool {
	for _, c := range cs {
		if c.at != cs[0].at {
			return false
		}
	}
	return true
}

// leafKey is the last mapping key of an RFC 6901 pointer, when the
// pointer ends in one (not in a list index).
func leafKey(pointer string) (string, bool) {
	i := strings.LastIndexByte(pointer, '/')
	if i < 0 {
		return "", false
	}
	seg := strings.NewReplacer("~1", "/", "~0", "~").Replace(pointer[i+1:])
	if seg == "" || strings.Trim(seg, "0123456789") == "" {
		return "", false
	}
	return seg, true
}
