package discover

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// The identity of the ArgoCD kinds discovery reads.
const (
	argoAPIVersion     = "argoproj.io/v1alpha1"
	kindApplication    = "Application"
	kindApplicationSet = "ApplicationSet"
)

// yamlDoc is one document of a manifest file.
type yamlDoc struct {
	Index int        // 0-based, counting empty documents as yaml.v3 does
	Root  *yaml.Node // the document's content node (a mapping for objects)
}

// splitYAML decodes every document of data. Documents before a syntax
// error are returned together with the error's position.
func splitYAML(data []byte) ([]yamlDoc, *syntaxError) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []yamlDoc
	for i := 0; ; i++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, newSyntaxError(err, data)
		}
		if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
			docs = append(docs, yamlDoc{Index: i, Root: n.Content[0]})
		}
	}
}

// yamlFile reads the Applications and ApplicationSets of one manifest file.
func (d *discoverer) yamlFile(rel string, data []byte) {
	docs, serr := splitYAML(data)
	if serr != nil {
		d.errorf(finding.Location{File: rel, Line: serr.Line}, "%s", serr.Msg)
	}
	for _, doc := range docs {
		switch objectKind(doc.Root) {
		case kindApplication:
			d.yamlApplication(rel, doc)
		case kindApplicationSet:
			d.applicationSet(rel, doc)
		}
	}
}

// objectKind returns "Application" or "ApplicationSet" for ArgoCD
// documents and "" for everything else.
func objectKind(n *yaml.Node) string {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return ""
	}
	var apiVersion, kind string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		if v == nil || v.Kind != yaml.ScalarNode {
			continue
		}
		switch k.Value {
		case "apiVersion":
			apiVersion = v.Value
		case "kind":
			kind = v.Value
		}
	}
	if apiVersion != argoAPIVersion {
		return ""
	}
	if kind == kindApplication || kind == kindApplicationSet {
		return kind
	}
	return ""
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode && depth < 100; depth++ {
		n = n.Alias
	}
	return n
}

// syntaxError is a YAML error with the 1-based line it points at.
type syntaxError struct {
	Line int
	Msg  string
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the messages of yaml.v3's parser (parserc.go). yaml.v3
// prints a parser error's line 0-based and a scanner error's line 1-based
// (decode.go, parser.fail), so the two must be told apart.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

var unknownAnchorRE = regexp.MustCompile(`unknown anchor '([^']*)' referenced`)

// newSyntaxError turns a yaml.v3 error into a message and a 1-based line
// within data, clamped to the file's lines.
func newSyntaxError(err error, data []byte) *syntaxError {
	msg := err.Error()
	line := 1
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		if parserProblems[m[2]] {
			line++
		}
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		if m := unknownAnchorRE.FindStringSubmatch(msg); m != nil {
			if i := bytes.Index(data, []byte("*"+m[1])); i >= 0 {
				line = 1 + bytes.Count(data[:i], []byte("\n"))
			}
		}
	}
	return &syntaxError{Line: clampLine(line, data), Msg: "invalid YAML: " + msg}
}

// clampLine keeps a line inside the file: yaml.v3 reports errors at end of
// input on the line after the last newline.
func clampLine(line int, data []byte) int {
	last := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		last++
	}
	return max(1, min(line, last))
}
