package check

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// The ignore-rule checks change single entries of spec.ignoreDifferences
// with replace-text edits of the entry's own lines rather than with
// index paths (spec.ignoreDifferences[3]): the fix package applies the
// findings of one file one after another, and a deleted entry would shift
// the index every later edit names, so an index edit could land on the
// wrong entry (`syncdoctor fix --check` may also apply only some of them).
// Text either matches exactly or the fix is left to a person. Each edit is
// replayed on the file here and must leave every document as it was
// except the entry list, which must be the one intended.

// ruleItem is where one spec.ignoreDifferences entry of a YAML
// Application is written.
type ruleItem struct {
	file string
	doc  int
	src  []byte
	node *yaml.Node // the entry's mapping
	// head, start and end are byte offsets: the comment lines directly
	// above the entry, its first line (the one with the dash), and the
	// end of its last line (newline included).
	head, start, end int
	headLine, line   int
	dash             int // column (0-based) of the entry's dash
	nl               string
}

// locateRule finds entry i of app's spec.ignoreDifferences in the file
// that declares it. It fails for Applications not written as YAML
// files, flow-style lists and entries, anchors and aliases, and entries
// whose dash is not on the line of their first key.
func locateRule(in *Input, app *target.Application, i int) (*ruleItem, bool) {
	if app.Origin != target.OriginYAML || in.Files == nil {
		return nil, false
	}
	src, err := in.Files.ReadFile(app.Declared.File)
	if err != nil {
		return nil, false
	}
	root, ok := yamlDocument(src, app.DocIndex)
	if !ok {
		return nil, false
	}
	seq := mappingValue(mappingValue(root, "spec"), "ignoreDifferences")
	if seq == nil || seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 || i >= len(seq.Content) {
		return nil, false
	}
	n := seq.Content[i]
	if n.Kind != yaml.MappingNode || n.Style&yaml.FlowStyle != 0 || n.Anchor != "" || seq.Anchor != "" {
		return nil, false
	}
	lines := lineStarts(src)
	if n.Line < 1 || n.Line > len(lines) {
		return nil, false
	}
	text := lineText(src, lines, n.Line)
	dash := n.Column - 3
	if dash < 0 || dash+2 > len(text) || text[dash:dash+2] != "- " || strings.TrimSpace(text[:dash]) != "" {
		return nil, false
	}
	it := &ruleItem{file: app.Declared.File, doc: app.DocIndex, src: src, node: n, line: n.Line, dash: dash, nl: "\n"}
	if bytes.Contains(src, []byte("\r\n")) {
		it.nl = "\r\n"
	}
	it.start = lines[n.Line-1]
	last := n.Line
	for l := n.Line + 1; l <= len(lines); l++ {
		s := strings.TrimRight(lineText(src, lines, l), "\r")
		if strings.TrimSpace(s) == "" {
			continue // a blank line belongs to the entry only if more of it follows
		}
		if leadingSpaces(s) <= dash {
			break
		}
		last = l
	}
	it.end = len(src)
	if last < len(lines) {
		it.end = lines[last]
	}
	it.headLine = n.Line
	for l := n.Line - 1; l >= 1; l-- {
		s := strings.TrimRight(lineText(src, lines, l), "\r")
		if !strings.HasPrefix(strings.TrimSpace(s), "#") || leadingSpaces(s) != dash {
			break
		}
		it.headLine = l
	}
	it.head = lines[it.headLine-1]
	return it, true
}

// deleteEdit removes the entry and the comment lines directly above it.
func (it *ruleItem) deleteEdit() finding.Edit {
	return it.textEdit(it.head, it.end, "", it.headLine)
}

// replaceEdit writes rules in place of the entry (its head comments stay).
func (it *ruleItem) replaceEdit(rules []v1alpha1.ResourceIgnoreDifferences) finding.Edit {
	pad := strings.Repeat(" ", it.dash)
	var b strings.Builder
	for _, l := range strings.SplitAfter(rulesYAML(rules), "\n") {
		if l == "" {
			continue
		}
		b.WriteString(pad + strings.TrimSuffix(l, "\n") + it.nl)
	}
	return it.textEdit(it.start, it.end, b.String(), it.line)
}

// scalarEdit sets one scalar of the entry (a key such as "kind", or
// "jsonPointers[1]") to value, rewriting only the line that holds it.
func (it *ruleItem) scalarEdit(field, value string) (finding.Edit, bool) {
	key, _, indexed := strings.Cut(field, "[")
	n := mappingValue(it.node, key)
	if indexed {
		var j int
		if !scanIndex(field, &j) || n == nil || n.Kind != yaml.SequenceNode || j >= len(n.Content) {
			return finding.Edit{}, false
		}
		n = n.Content[j]
	}
	if n == nil || n.Kind != yaml.ScalarNode || n.Anchor != "" {
		return finding.Edit{}, false
	}
	lines := lineStarts(it.src)
	ls := lines[n.Line-1]
	le := len(it.src)
	if n.Line < len(lines) {
		le = lines[n.Line]
	}
	from := ls + n.Column - 1
	to, ok := scalarEnd(it.src, from, n)
	if !ok || to > le {
		return finding.Edit{}, false
	}
	line := string(it.src[ls:from]) + yamlScalar(value) + string(it.src[to:le])
	return it.textEdit(ls, le, line, n.Line), true
}

func (it *ruleItem) textEdit(from, to int, value string, line int) finding.Edit {
	return finding.Edit{
		File: it.file, Document: it.doc, Op: finding.OpReplaceText,
		Old: string(it.src[from:to]), Value: value, At: finding.Location{File: it.file, Line: line, Column: 1},
	}
}

// validEdit replays e on the file and reports whether the result keeps
// every document except this one's spec.ignoreDifferences, which must
// equal want.
func (it *ruleItem) validEdit(e finding.Edit, want []v1alpha1.ResourceIgnoreDifferences) bool {
	lines := lineStarts(it.src)
	if e.At.Line < 1 || e.At.Line > len(lines) {
		return false
	}
	at := lines[e.At.Line-1]
	if e.Old == "" || !bytes.HasPrefix(it.src[at:], []byte(e.Old)) {
		return false
	}
	out := append(append(append([]byte(nil), it.src[:at]...), e.Value...), it.src[at+len(e.Old):]...)
	before, err1 := decodeYAMLDocs(it.src)
	after, err2 := decodeYAMLDocs(out)
	if err1 != nil || err2 != nil || len(before) != len(after) || it.doc >= len(after) {
		return false
	}
	got := takeRules(after[it.doc])
	takeRules(before[it.doc])
	if !reflect.DeepEqual(before, after) {
		return false
	}
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	return rulesJSONEqual(a, b)
}

// rulesJSONEqual compares two JSON rule lists, null and [] alike.
func rulesJSONEqual(a, b []byte) bool {
	var x, y []v1alpha1.ResourceIgnoreDifferences
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	if len(x) == 0 && len(y) == 0 {
		return true
	}
	return reflect.DeepEqual(x, y)
}

// takeRules removes spec.ignoreDifferences from a decoded document and
// returns it as ArgoCD's type (nil when absent or not a list of entries).
func takeRules(doc any) []v1alpha1.ResourceIgnoreDifferences {
	m, _ := doc.(map[string]any)
	spec, _ := m["spec"].(map[string]any)
	if spec == nil {
		return nil
	}
	raw := spec["ignoreDifferences"]
	delete(spec, "ignoreDifferences")
	b, err := json.Marshal(raw)
	if err != nil {
		return nil
	}
	var out []v1alpha1.ResourceIgnoreDifferences
	_ = json.Unmarshal(b, &out)
	return out
}
