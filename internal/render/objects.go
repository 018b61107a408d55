package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// clusterScoped are the built-in kinds that have no namespace; objects of
// any other kind get the Target's namespace when they name none, as
// ArgoCD's destination namespace is applied to namespaced resources.
var clusterScoped = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true,
	"ClusterRole": true, "ClusterRoleBinding": true,
	"CustomResourceDefinition": true, "APIService": true,
	"StorageClass": true, "CSIDriver": true, "CSINode": true, "VolumeAttachment": true,
	"PriorityClass": true, "RuntimeClass": true, "IngressClass": true,
	"ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true,
	"ValidatingAdmissionPolicy": true, "ValidatingAdmissionPolicyBinding": true,
	"MutatingAdmissionPolicy": true, "MutatingAdmissionPolicyBinding": true,
	"CertificateSigningRequest": true, "FlowSchema": true, "PriorityLevelConfiguration": true,
	"ClusterIssuer": true, "ClusterSecretStore": true, "ClusterExternalSecret": true,
}

// docChunk is one YAML document of a file and the 1-based line where its
// content starts.
type docChunk struct {
	text string
	line int
}

// splitDocs splits a multi-document YAML text at "---" lines the way
// apimachinery's YAMLReader does (k8s.io/apimachinery/pkg/util/yaml
// decoder.go: a line starting with "---" and followed by nothing or a
// comment). Empty documents are dropped.
func splitDocs(text string) []docChunk {
	if !strings.HasPrefix(text, "---") && !strings.Contains(text, "\n---") {
		// One document, the whole text (most rendered files): no copy.
		if first := firstContentLine(text); first > 0 {
			return []docChunk{{text: text, line: first}}
		}
		return nil
	}
	return splitDocLines(text)
}

// splitDocLines is splitDocs line by line, for texts with "---" lines.
func splitDocLines(text string) []docChunk {
	var out []docChunk
	var cur strings.Builder
	first := 0
	flush := func() {
		if first > 0 {
			out = append(out, docChunk{text: cur.String(), line: first})
		}
		cur.Reset()
		first = 0
	}
	for i, ln := range strings.SplitAfter(text, "\n") {
		if strings.HasPrefix(ln, "---") {
			rest := strings.TrimSpace(ln[3:])
			if rest == "" || strings.HasPrefix(rest, "#") {
				flush()
				continue
			}
		}
		cur.WriteString(ln)
		if t := strings.TrimSpace(ln); first == 0 && t != "" && !strings.HasPrefix(t, "#") {
			first = i + 1
		}
	}
	flush()
	return out
}

// firstContentLine is the 1-based number of the first line that is
// neither blank nor a comment, 0 when there is none.
func firstContentLine(text string) int {
	for n := 1; ; n++ {
		ln, rest, more := strings.Cut(text, "\n")
		if t := strings.TrimSpace(ln); t != "" && !strings.HasPrefix(t, "#") {
			return n
		}
		if !more {
			return 0
		}
		text = rest
	}
}

// decodeDoc parses one YAML (or JSON) document into the unstructured form
// apimachinery uses (integers as int64, other numbers as float64), via the
// same YAML-to-JSON conversion ArgoCD's kube.SplitYAML goes through.
func decodeDoc(text string) (any, error) {
	if v, ok := decodeFast(text); ok {
		return v, nil
	}
	j, err := yaml.YAMLToJSON([]byte(text))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return values.Unstructure(v), nil
}

// objBuilder collects objects, numbering the documents of each source.
type objBuilder struct {
	namespace string
	objs      []*manifest.Object
	docs      map[string]int
	lines     bool // record document lines (plain files, not templates)
}

func newObjBuilder(namespace string) *objBuilder {
	return &objBuilder{namespace: namespace, docs: map[string]int{}}
}

// addDocs adds every document of text as produced by source (Helm's
// `# Source:` path or a file path) from the checkout file.
func (b *objBuilder) addDocs(source, file, text string) error {
	for _, d := range splitDocs(text) {
		v, err := decodeDoc(d.text)
		if err != nil {
			loc := finding.Location{File: file}
			if b.lines {
				loc.Line = d.line
			}
			return &Error{Loc: loc, Err: fmt.Errorf("%s: document %d is not valid YAML: %w", source, b.docs[source], err)}
		}
		if v == nil {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return &Error{Loc: finding.Location{File: file, Line: d.line}, Err: fmt.Errorf("%s: document %d is not an object", source, b.docs[source])}
		}
		line := 0
		if b.lines {
			line = d.line
		}
		b.add(source, file, line, m)
		b.docs[source]++
	}
	return nil
}

// add appends one object, expanding `kind: List` into its items.
func (b *objBuilder) add(source, file string, line int, m map[string]any) {
	if k := manifest.GetString(m, "kind"); k == "List" || (strings.HasSuffix(k, "List") && manifest.GetString(m, "apiVersion") == "v1" && m["items"] != nil) {
		items, _ := m["items"].([]any)
		for _, it := range items {
			if im, ok := it.(map[string]any); ok {
				b.add(source, file, line, im)
			}
		}
		return
	}
	ns := b.namespace
	if clusterScoped[manifest.GetString(m, "kind")] {
		ns = ""
	}
	b.objs = append(b.objs, &manifest.Object{
		Content: m,
		Ref:     manifest.RefOf(m, ns),
		Source:  source,
		File:    file,
		Line:    line,
		Doc:     b.docs[source],
	})
}
