package discover

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// yamlApplication turns one Application document into a target.Application.
func (d *discoverer) yamlApplication(rel string, doc yamlDoc) {
	decl := docLocation(rel, doc.Root)
	fields := map[string]finding.Location{}
	fieldPositions(doc.Root, rel, 0, "", fields)
	var app v1alpha1.Application
	if err := decodeNode(doc.Root, &app); err != nil {
		d.decodeProblem(kindApplication, docName(doc.Root), err, rel, decl, fields)
		return
	}
	d.apps = append(d.apps, &target.Application{
		App:      &app,
		Declared: decl,
		Origin:   target.OriginYAML,
		Fields:   fields,
		DocIndex: doc.Index,
	})
}

// decodeProblem reports a document ArgoCD's API server would reject, at the
// offending field when the error names one.
func (d *discoverer) decodeProblem(kind, name string, err error, rel string, decl finding.Location, fields map[string]finding.Location) {
	loc, msg := errorLocation(err, rel, decl, fields)
	f := problem(CheckDiscoveryError, finding.Error, loc, "%s %q cannot be decoded: %s", kind, name, msg)
	f.App = name
	d.problems = append(d.problems, f)
}

// docLocation is where a document starts: its first key, or the node
// itself for a document that is not a mapping.
func docLocation(rel string, n *yaml.Node) finding.Location {
	if n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	return finding.Location{File: rel, Line: n.Line, Column: n.Column}
}

// docName returns metadata.name of a document for messages, or "".
func docName(n *yaml.Node) string {
	md := mappingValue(n, "metadata")
	if v := mappingValue(md, "name"); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return resolveAlias(n.Content[i+1])
		}
	}
	return nil
}

// decodeNode decodes a YAML node into an ArgoCD API type the way the API
// server does: YAML to JSON, then encoding/json without rejecting unknown
// fields.
func decodeNode(n *yaml.Node, into any) error {
	data, err := nodeToJSON(n)
	if err != nil {
		return err
	}
	return decodeJSON(data, into)
}

func decodeJSON(data any, into any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, into)
}

var yamlErrLineRE = regexp.MustCompile(`line (\d+): (.*)`)

// errorLocation finds the position an error talks about: a yaml.v3 line
// (duplicate keys) or the JSON field path of a type mismatch, falling back
// to the declaration.
func errorLocation(err error, rel string, decl finding.Location, fields map[string]finding.Location) (finding.Location, string) {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		if m := yamlErrLineRE.FindStringSubmatch(te.Errors[0]); m != nil {
			line, _ := strconv.Atoi(m[1])
			return finding.Location{File: rel, Line: line}, m[2]
		}
		return decl, te.Errors[0]
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) && ute.Field != "" {
		msg := fmt.Sprintf("%s: cannot use %s as %s", ute.Field, ute.Value, jsonTypeName(ute.Type.String()))
		if loc, ok := fields[ute.Field]; ok {
			return loc, msg
		}
		return decl, msg
	}
	return decl, strings.TrimPrefix(err.Error(), "json: ")
}

func jsonTypeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["), strings.Contains(goType, "."):
		return "an object (" + goType + ")"
	}
	return goType
}
