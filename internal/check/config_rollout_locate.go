package check

import (
	"path"
	"regexp"
	"strings"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// crSite is where a workload's pod template is written: the `template:`
// line and, when present, the `annotations:` line of its metadata.
type crSite struct {
	File      string
	Lines     []string
	Template  int // 0-based line index of `template:`
	Metadata  int // `metadata:` under it, -1 when none
	Annots    int // `annotations:` under that, -1 when none
	Define    int // line of the `{{ define }}` holding the site, -1 when none
	Library   bool
	AnnotRest string // text after `annotations:` on its line
}

// Primary is the finding's line: the annotations block, else `template:`.
func (s *crSite) Primary() finding.Location {
	if s.Annots >= 0 {
		return finding.Location{File: s.File, Line: s.Annots + 1}
	}
	return finding.Location{File: s.File, Line: s.Template + 1}
}

var (
	templateLineRE = regexp.MustCompile(`^(\s*)template:\s*(#.*|\{\{/\*.*\*/\}\})?\s*$`)
	keyLineRE      = regexp.MustCompile(`^(\s*)([A-Za-z]+):(.*)$`)
	includeRE      = regexp.MustCompile(`(?:include|template)\s+"([^"]+)"`)
	defineRE       = regexp.MustCompile(`\{\{-?\s*define\s+"([^"]+)"`)
)

// podTemplateSites finds the pod template blocks in lines[from:to].
func podTemplateSites(file string, lines []string, from, to int) []*crSite {
	var out []*crSite
	for i := from; i < to; i++ {
		m := templateLineRE.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		ind := len(m[1])
		s := &crSite{File: file, Lines: lines, Template: i, Metadata: -1, Annots: -1, Define: -1}
		metaInd := -1
		for j := i + 1; j < to; j++ {
			km := keyLineRE.FindStringSubmatch(lines[j])
			if km == nil {
				continue // blank, an action, a list item
			}
			ki := len(km[1])
			if ki <= ind {
				break
			}
			switch {
			case km[2] == "metadata" && s.Metadata < 0:
				s.Metadata, metaInd = j, ki
			case km[2] == "annotations" && metaInd >= 0 && ki > metaInd && s.Annots < 0:
				s.Annots, s.AnnotRest = j, km[3]
			case metaInd >= 0 && ki <= metaInd:
				metaInd = 1 << 30 // left metadata: no more annotations
			}
		}
		if s.Metadata >= 0 {
			out = append(out, s)
		}
	}
	return out
}

// chartFiles maps the checkout path of every template of rd's chart and
// of its dependencies (vendored or file://) to its text, checking that
// the checkout file is the one the chart loaded.
func chartFiles(in *Input, rd *Rendered) map[string]crFile {
	out := map[string]crFile{}
	var walk func(c *chart.Chart, dir string, lib bool, depth int)
	walk = func(c *chart.Chart, dir string, lib bool, depth int) {
		if depth > 10 {
			return
		}
		for _, f := range c.Templates {
			p := path.Join(dir, f.Name)
			if data, err := in.Files.ReadFile(p); err == nil && string(data) == string(f.Data) {
				out[p] = crFile{Text: string(data), Library: lib}
			}
		}
		for _, d := range c.Dependencies() {
			sub := path.Join(dir, "charts", d.Name())
			if c.Metadata != nil {
				for _, dep := range c.Metadata.Dependencies {
					if dep != nil && dep.Name == d.Name() && strings.HasPrefix(dep.Repository, "file://") {
						sub = path.Clean(path.Join(dir, strings.TrimPrefix(dep.Repository, "file://")))
					}
				}
			}
			isLib := d.Metadata != nil && d.Metadata.Type == "library"
			walk(d, sub, isLib, depth+1)
		}
	}
	if rd.Chart != nil {
		walk(rd.Chart, rd.Target.Dir, false, 0)
	}
	return out
}

type crFile struct {
	Text    string
	Library bool
}

// locate finds where w's pod template is written: in its own file, or,
// when that file only includes a define (a library chart's), in the
// define. nth is the workload's position among those from the same file.
func locate(in *Input, rd *Rendered, files map[string]crFile, o *manifest.Object, nth int) *crSite {
	if o.File == "" || in.Files == nil {
		return nil
	}
	data, err := in.Files.ReadFile(o.File)
	if err != nil {
		return nil
	}
	lines := strings.Split(string(data), "\n")
	if sites := podTemplateSites(o.File, lines, 0, len(lines)); len(sites) > 0 {
		return sites[min(nth, len(sites)-1)]
	}
	if rd == nil {
		return nil
	}
	for _, m := range includeRE.FindAllStringSubmatch(string(data), -1) {
		for p, f := range files {
			fl := strings.Split(f.Text, "\n")
			for i, ln := range fl {
				dm := defineRE.FindStringSubmatch(ln)
				if dm == nil || dm[1] != m[1] {
					continue
				}
				end := len(fl)
				for j := i + 1; j < len(fl); j++ {
					if defineRE.MatchString(fl[j]) {
						end = j
						break
					}
				}
				if sites := podTemplateSites(p, fl, i+1, end); len(sites) > 0 {
					s := sites[0]
					s.Define, s.Library = i, f.Library
					return s
				}
			}
		}
	}
	return nil
}
