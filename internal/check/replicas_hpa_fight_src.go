package check

import (
	"path"
	"regexp"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// manifestLine finds, for an object of a kustomize render (which keeps no
// per-object provenance), the line matching re inside the document that
// declares or patches the object: the kustomization's resources (followed
// into bases), then its patches. With last set the last match wins, so an
// overlay patch beats its base; otherwise the first (the declaration).
func manifestLine(in *Input, r *Rendered, o *manifest.Object, re *regexp.Regexp) finding.Location {
	return manifestLineOpt(in, r, o, re, false)
}

func manifestLineOpt(in *Input, r *Rendered, o *manifest.Object, re *regexp.Regexp, last bool) finding.Location {
	if r.Target.Kind != target.SourceKustomize || in.Files == nil {
		return finding.Location{}
	}
	var found finding.Location
	for _, f := range kustomizeFiles(in, r.Target.Dir, 0) {
		data, err := in.Files.ReadFile(f)
		if err != nil {
			continue
		}
		for _, d := range yamlDocs(string(data)) {
			var m map[string]any
			if yaml.Unmarshal([]byte(d.text), &m) != nil || m == nil {
				continue
			}
			name := manifest.GetString(m, "metadata", "name")
			if manifest.GetString(m, "kind") != o.Ref.Kind || name == "" || !strings.Contains(o.Ref.Name, name) {
				continue
			}
			for i, ln := range strings.Split(d.text, "\n") {
				if re.MatchString(strings.TrimRight(ln, "\r")) {
					found = finding.Location{File: f, Line: d.line + i}
					if !last {
						return found
					}
					break
				}
			}
		}
	}
	return found
}

type yamlDoc struct {
	text string
	line int // 1-based line of the document's first line
}

// yamlDocs splits a multi-document YAML file at "---" lines.
func yamlDocs(text string) []yamlDoc {
	var out []yamlDoc
	lines := strings.Split(text, "\n")
	start := 0
	for i := 0; i <= len(lines); i++ {
		if i == len(lines) || strings.HasPrefix(lines[i], "---") {
			out = append(out, yamlDoc{text: strings.Join(lines[start:i], "\n"), line: start + 1})
			start = i + 1
		}
	}
	return out
}

var kustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// kustomizeFiles lists the manifest files a kustomization reads, resources
// (recursively) before patches. Remote bases are skipped.
func kustomizeFiles(in *Input, dir string, depth int) []string {
	if depth > 10 {
		return nil
	}
	var k map[string]any
	for _, n := range kustomizationFiles {
		if data, err := in.Files.ReadFile(path.Join(dir, n)); err == nil {
			_ = yaml.Unmarshal(data, &k)
			break
		}
	}
	if k == nil {
		return nil
	}
	var res, patches []string
	add := func(e string) {
		if e == "" || strings.Contains(e, "://") || strings.HasPrefix(e, "github.com/") {
			return
		}
		p := path.Clean(path.Join(dir, e))
		if ext := path.Ext(p); ext == ".yaml" || ext == ".yml" || ext == ".json" {
			res = append(res, p)
			return
		}
		res = append(res, kustomizeFiles(in, p, depth+1)...)
	}
	for _, key := range []string{"resources", "bases", "components"} {
		list, _ := k[key].([]any)
		for _, e := range list {
			if s, ok := e.(string); ok {
				add(s)
			}
		}
	}
	for _, key := range []string{"patches", "patchesStrategicMerge"} {
		list, _ := k[key].([]any)
		for _, e := range list {
			p, _ := e.(string)
			if m, ok := e.(map[string]any); ok {
				p, _ = m["path"].(string)
			}
			if p != "" && !strings.Contains(p, "\n") {
				patches = append(patches, path.Clean(path.Join(dir, p)))
			}
		}
	}
	return append(res, patches...)
}
