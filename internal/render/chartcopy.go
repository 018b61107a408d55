package render

import (
	"path"

	"gopkg.in/yaml.v3"
	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// copyChart copies the parts of a chart tree that Helm's dependency
// processing and value coalescing write to (helm pkg/chartutil
// dependencies.go: Metadata.Dependencies entries, the dependency list,
// Values via import-values), sharing the read-only templates and files.
func copyChart(c *chart.Chart) *chart.Chart {
	out := *c
	if c.Metadata != nil {
		md := *c.Metadata
		if c.Metadata.Dependencies != nil {
			md.Dependencies = make([]*chart.Dependency, len(c.Metadata.Dependencies))
			for i, d := range c.Metadata.Dependencies {
				if d == nil {
					continue
				}
				dc := *d
				dc.Tags = append([]string(nil), d.Tags...)
				dc.ImportValues = append([]interface{}(nil), d.ImportValues...)
				md.Dependencies[i] = &dc
			}
		}
		out.Metadata = &md
	}
	out.Values = values.DeepCopy(c.Values)
	subs := make([]*chart.Chart, 0, len(c.Dependencies()))
	for _, d := range c.Dependencies() {
		subs = append(subs, copyChart(d))
	}
	// out shares c's unexported parent and dependency fields until reset.
	out.SetDependencies(subs...)
	return &out
}

// dependencyLoc is the position of the i-th entry of Chart.yaml's
// dependencies list, found through yaml.v3 node positions; the file alone
// when it cannot be found.
func dependencyLoc(c *chart.Chart, dir string, i int) finding.Location {
	loc := finding.Location{}
	if dir != "" {
		loc.File = path.Join(dir, "Chart.yaml")
	}
	var raw []byte
	for _, f := range c.Raw {
		if f.Name == "Chart.yaml" {
			raw = f.Data
		}
	}
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil || len(doc.Content) == 0 {
		return loc
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return loc
	}
	for k := 0; k+1 < len(top.Content); k += 2 {
		if top.Content[k].Value != "dependencies" {
			continue
		}
		seq := top.Content[k+1]
		loc.Line, loc.Column = top.Content[k].Line, top.Content[k].Column
		if seq.Kind == yaml.SequenceNode && i < len(seq.Content) {
			loc.Line, loc.Column = seq.Content[i].Line, seq.Content[i].Column
		}
	}
	return loc
}
