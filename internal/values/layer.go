package values

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	yaml3 "gopkg.in/yaml.v3"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Layer is one source of values: a value file (File is checkout-relative) or
// an inline source such as "<values>" or "<parameters>" (File then names the
// Application file that declares it, when known).
type Layer struct {
	Name   string
	File   string
	Values map[string]any
	// Pos maps Path.String() of every map key to the position of the key.
	Pos map[string]finding.Location
}

// At returns where the layer sets p: the key's position, or the layer's file
// when the key has no recorded position.
func (l *Layer) At(p Path) finding.Location {
	if loc, ok := l.Pos[p.String()]; ok {
		return loc
	}
	return finding.Location{File: l.File}
}

// ParseError is a values file that does not parse; At names the file and,
// where the YAML parser says, the line.
type ParseError struct {
	At  finding.Location
	Err error
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s: %v", e.At, e.Err) }
func (e *ParseError) Unwrap() error { return e.Err }

// DuplicateKeyError reports a key defined twice in one mapping. Helm's
// parser (sigs.k8s.io/yaml over go-yaml v2, non-strict) silently keeps the
// last one, so ParseBytes returns the layer with Helm's value together with
// this error: the caller can both report it and go on.
type DuplicateKeyError struct {
	Path  Path
	At    finding.Location // the later definition, the one Helm keeps
	First finding.Location
}

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("%s: key %s already defined at line %d", e.At, e.Path, e.First.Line)
}

// ParseFile reads the values file rel (slash-separated, relative to root).
func ParseFile(root, rel string) (*Layer, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("read values file %s: %w", rel, err)
	}
	return ParseBytes(rel, data)
}

// ParseBytes parses values YAML. Values are decoded exactly as Helm's
// chartutil.ReadValues does (sigs.k8s.io/yaml: numbers become float64 or
// int64 through JSON, first document only, YAML 1.1 scalars), so they compare
// equal to what the renderer sees; positions come from a yaml.v3 node tree
// walked with an alias budget, so alias bombs cost bounded work. name is the
// checkout-relative file (or "<values>") used in positions and errors.
func ParseBytes(name string, data []byte) (*Layer, error) {
	l := &Layer{Name: name, File: name, Pos: map[string]finding.Location{}}
	var vals map[string]any
	if err := yaml.Unmarshal(data, &vals); err != nil {
		return nil, &ParseError{At: finding.Location{File: name, Line: errLine(err)}, Err: err}
	}
	if vals == nil {
		vals = map[string]any{}
	}
	l.Values = vals
	var doc yaml3.Node
	if err := yaml3.Unmarshal(data, &doc); err != nil {
		// go-yaml v2 accepted what v3 rejects (rare YAML 1.1 corners):
		// keep the values, without positions.
		return l, nil
	}
	w := posWalker{file: name, pos: l.Pos, budget: posBudget(len(data))}
	if len(doc.Content) > 0 {
		w.mapping(doc.Content[0], nil, 0)
	}
	if len(w.dups) > 0 {
		return l, errors.Join(w.dups...)
	}
	return l, nil
}

var lineRE = regexp.MustCompile(`line (\d+)`)

// errLine extracts the line number go-yaml puts in its messages.
func errLine(err error) int {
	m := lineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// posBudget bounds the nodes visited through aliases: generous for real
// files, small enough that a billion-laughs document stays cheap.
func posBudget(size int) int { return 100_000 + 10*size }

type posWalker struct {
	file   string
	pos    map[string]finding.Location
	budget int
	dups   []error
}

func (w *posWalker) loc(n *yaml3.Node) finding.Location {
	return finding.Location{File: w.file, Line: n.Line, Column: n.Column}
}

// mapping records the keys of n (a mapping, or an alias of one) under p.
// depth bounds recursion through self-referencing anchors.
func (w *posWalker) mapping(n *yaml3.Node, p Path, depth int) {
	for n != nil && n.Kind == yaml3.AliasNode {
		n = n.Alias
		depth++
	}
	if n == nil || n.Kind != yaml3.MappingNode || depth > 100 {
		return
	}
	seen := map[string]*yaml3.Node{}
	var merges []*yaml3.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if w.budget--; w.budget < 0 {
			return
		}
		if k.Kind == yaml3.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		key := helmKey(k)
		kp := p.Child(key)
		if first, dup := seen[key]; dup {
			w.dups = append(w.dups, &DuplicateKeyError{Path: kp, At: w.loc(k), First: w.loc(first)})
		}
		seen[key] = k
		w.pos[kp.String()] = w.loc(k)
		w.mapping(v, kp, depth)
	}
	// Merge keys (<<: *base) supply the keys the mapping does not set
	// itself; earlier merged mappings win over later ones, as in go-yaml.
	for _, m := range merges {
		items := []*yaml3.Node{m}
		if m.Kind == yaml3.SequenceNode {
			items = m.Content
		}
		for _, it := range items {
			w.merged(it, p, seen, depth+1)
		}
	}
}

func (w *posWalker) merged(n *yaml3.Node, p Path, seen map[string]*yaml3.Node, depth int) {
	for n != nil && n.Kind == yaml3.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml3.MappingNode || depth > 100 {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if w.budget--; w.budget < 0 {
			return
		}
		key := helmKey(k)
		if _, ok := seen[key]; ok || k.Tag == "!!merge" {
			continue
		}
		seen[key] = k
		kp := p.Child(key)
		w.pos[kp.String()] = w.loc(k)
		w.mapping(v, kp, depth)
	}
}

// yaml11Bools are the plain scalars go-yaml v2 (YAML 1.1) reads as booleans.
var yaml11Bools = map[string]string{
	"y": "true", "Y": "true", "yes": "true", "Yes": "true", "YES": "true",
	"on": "true", "On": "true", "ON": "true", "true": "true", "True": "true", "TRUE": "true",
	"n": "false", "N": "false", "no": "false", "No": "false", "NO": "false",
	"off": "false", "Off": "false", "OFF": "false", "false": "false", "False": "false", "FALSE": "false",
}

// helmKey is the key as Helm's parser names it: go-yaml v2 resolves a plain
// `y:` or `on:` key to a boolean and sigs.k8s.io/yaml turns it into the
// string "true", so positions must be recorded under that name.
func helmKey(k *yaml3.Node) string {
	if k.Style == 0 && k.Kind == yaml3.ScalarNode {
		if b, ok := yaml11Bools[k.Value]; ok {
			return b
		}
		if k.Value == "~" || k.Value == "null" || k.Value == "Null" || k.Value == "NULL" || k.Value == "" {
			return "null"
		}
	}
	return k.Value
}
