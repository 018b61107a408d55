package check

import (
	"path"
	"regexp"
	"slices"
	"strings"
	"text/template/parse"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// Helpers shared by the HPA checks (hpa-scale-down, replicas-hpa-fight,
// hpa-pdb-conflict): where a rendered object's lines are in the user's
// sources, and the chart facts they need.

// chartSources maps the Helm names of a chart's templates ("web/templates/
// hpa.yaml", "web/charts/lib/templates/_hpa.tpl") to checkout files. A
// file:// dependency lives where Chart.yaml points, not under charts/; the
// names follow Helm's (alias for an aliased dependency), as the values index
// names them.
func chartSources(c *chart.Chart, dir string) map[string]string {
	out := map[string]string{}
	var walk func(c *chart.Chart, base, dir string, depth int)
	walk = func(c *chart.Chart, base, dir string, depth int) {
		if c == nil || depth > 20 {
			return
		}
		for _, t := range c.Templates {
			if t != nil {
				out[base+"/"+t.Name] = path.Join(dir, t.Name)
			}
		}
		for _, d := range c.Dependencies() {
			name, sub := d.Name(), path.Join(dir, "charts", d.Name())
			if c.Metadata != nil {
				for _, r := range c.Metadata.Dependencies {
					if r == nil || (r.Name != d.Name() && r.Alias != d.Name()) {
						continue
					}
					if r.Alias != "" {
						name = r.Alias
					}
					if repo, ok := strings.CutPrefix(r.Repository, "file://"); ok && !path.IsAbs(repo) {
						sub = path.Clean(path.Join(dir, repo))
					}
					break
				}
			}
			walk(d, base+"/charts/"+name, sub, depth+1)
		}
	}
	walk(c, c.Name(), dir, 0)
	return out
}

// parsedRenderer hands out the parse trees a render made of a Target's
// chart (internal/render Renderer.ParsedTemplates), so that the values
// index does not parse every template a second time.
type parsedRenderer interface {
	ParsedTemplates(t *target.Target) (trees map[string]*parse.Tree, texts map[string]string, ok bool)
}

// chartIndex is the values read index of a rendered Helm target's chart,
// computed once per chart directory.
func chartIndex(in *Input, r *Rendered) *values.Index {
	if r.Chart == nil {
		return nil
	}
	v := in.Memo("values.Index:"+r.Target.Dir, func() any {
		var trees map[string]*parse.Tree
		var texts map[string]string
		if pr, ok := in.Renderer.(parsedRenderer); ok {
			trees, texts, _ = pr.ParsedTemplates(r.Target)
		}
		ix, _ := values.IndexChartParsed(r.Chart, r.Target.Dir, trees, texts) // an incomplete index answers "read" for everything
		return ix
	})
	ix, _ := v.(*values.Index)
	return ix
}

// templateName returns the Helm template name of a rendered object (its
// `# Source:` path), when it came from a chart.
func templateName(o *manifest.Object) string { return o.Source }

// sourceLine finds the line matching re in the files that produced o: the
// object's own template first, then the templates it includes (the files
// the values index saw it read through), then, for plain manifests, the
// object's file from its first line on. The zero Location means not found.
func sourceLine(in *Input, r *Rendered, o *manifest.Object, re *regexp.Regexp) finding.Location {
	var files []string
	if r.Chart != nil {
		srcs := chartSources(r.Chart, r.Target.Dir)
		if f := srcs[templateName(o)]; f != "" {
			files = append(files, f)
		}
		if ix := chartIndex(in, r); ix != nil {
			for _, rd := range ix.Reads(templateName(o)) {
				if f := srcs[rd.Template]; f != "" && !slices.Contains(files, f) {
					files = append(files, f)
				}
			}
		}
	} else if o.File != "" {
		files = append(files, o.File)
	}
	for i, f := range files {
		from := 1
		if i == 0 && r.Chart == nil && o.Line > 0 {
			from = o.Line
		}
		if l := matchLine(in, f, from, re); l > 0 {
			return finding.Location{File: f, Line: l}
		}
	}
	return finding.Location{}
}

// matchLine returns the first line at or after from in file that matches
// re, or 0.
func matchLine(in *Input, file string, from int, re *regexp.Regexp) int {
	if in.Files == nil {
		return 0
	}
	data, err := in.Files.ReadFile(file)
	if err != nil {
		return 0
	}
	for i, ln := range strings.Split(string(data), "\n") {
		if i+1 >= from && re.MatchString(strings.TrimRight(ln, "\r")) {
			return i + 1
		}
	}
	return 0
}

// objectsOfKind returns the objects of r with the given API group and kind.
func objectsOfKind(r *Rendered, group, kind string) []*manifest.Object {
	var out []*manifest.Object
	for _, o := range r.Objects {
		if o.Ref.Group == group && o.Ref.Kind == kind {
			out = append(out, o)
		}
	}
	return out
}

// hpaTarget finds the workload an HPA scales (scaleTargetRef kind and name,
// in the HPA's namespace) among the objects of the same render.
func hpaTarget(r *Rendered, h *manifest.Object) *manifest.Object {
	kind := manifest.GetString(h.Content, "spec", "scaleTargetRef", "kind")
	name := manifest.GetString(h.Content, "spec", "scaleTargetRef", "name")
	for _, o := range r.Objects {
		if o.Ref.Kind == kind && o.Ref.Name == name && o.Ref.Namespace == h.Ref.Namespace &&
			(kind != "Deployment" && kind != "StatefulSet" || o.Ref.Group == "apps") {
			return o
		}
	}
	return nil
}

// isHPA reports whether o is an autoscaling/v2 (or v2beta2) HPA, the
// versions with spec.behavior.
func isHPA(o *manifest.Object) bool {
	return o.Ref.Group == "autoscaling" && o.Ref.Kind == "HorizontalPodAutoscaler" &&
		(o.Ref.Version == "v2" || o.Ref.Version == "v2beta2")
}

// intField reads an integer field of a decoded object.
func intField(m map[string]any, keys ...string) (int64, bool) {
	switch v := manifest.Get(m, keys...).(type) {
	case int64:
		return v, true
	case float64:
		if v == float64(int64(v)) {
			return int64(v), true
		}
	}
	return 0, false
}
