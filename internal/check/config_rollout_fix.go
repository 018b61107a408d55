package check

import (
	"context"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// crTemplateRenderer is implemented by internal/render's Renderer; a fix to
// a template is validated by rendering with the edited template.
type crTemplateRenderer interface {
	RenderWithTemplates(ctx context.Context, t *target.Target, vals map[string]any, overrides map[string]string) ([]*manifest.Object, error)
}

// fixer collects what each finding needs for its fixes and builds them
// once every Target is analysed (a library helper hashes the keys of every
// chart that uses it).
type fixer struct {
	in   *Input
	reqs map[string]*fixReq
	lib  map[string]map[string]values.Path // library file -> hashed paths
	memo map[string]bool                   // validation results
	// rendered memoises validation renders shared by several findings.
	rendered map[string][]*manifest.Object
	// marked holds each Target's perturbation analysis made with filled
	// markers, whose landings spare the fixer a marker render.
	marked map[string]*crAnalysis
}

type fixReq struct {
	rd   *Rendered
	p    crPair
	site *crSite
	hash []values.Path // what the checksum must cover
	a    *crAnalysis
}

func newFixer(in *Input) *fixer {
	return &fixer{in: in, reqs: map[string]*fixReq{}, lib: map[string]map[string]values.Path{}, memo: map[string]bool{}, rendered: map[string][]*manifest.Object{}, marked: map[string]*crAnalysis{}}
}

// add records a perturbation finding: the checksum must cover every key
// that feeds any config source the workload reads.
func (fx *fixer) add(f *finding.Finding, rd *Rendered, p crPair, site *crSite, a *crAnalysis) {
	var keys []values.Path
	for _, s := range p.w.Sources {
		keys = append(keys, consumedFeeds(a, p.w, s)...)
	}
	hash := coverPaths(effectiveValues(rd.Chart, rd.Values), keys)
	fx.reqs[f.Key()] = &fixReq{rd: rd, p: p, site: site, hash: hash, a: a}
	if site != nil && site.Library {
		if fx.lib[site.File] == nil {
			fx.lib[site.File] = map[string]values.Path{}
		}
		for _, h := range hash {
			fx.lib[site.File][h.String()] = h
		}
	}
}

// absorb adds what another fixer recorded (nil: nothing), later records
// replacing earlier ones as they would in one fixer.
func (fx *fixer) absorb(o *fixer) {
	if o == nil {
		return
	}
	maps.Copy(fx.reqs, o.reqs)
	maps.Copy(fx.marked, o.marked)
	for file, paths := range o.lib {
		if fx.lib[file] == nil {
			fx.lib[file] = map[string]values.Path{}
		}
		maps.Copy(fx.lib[file], paths)
	}
}

// addReloader records a finding whose only fix is Reloader's annotation.
func (fx *fixer) addReloader(f *finding.Finding, rd *Rendered, p crPair) {
	fx.reqs[f.Key()] = &fixReq{rd: rd, p: p}
}

func (fx *fixer) finish(ctx context.Context, out []finding.Finding) []finding.Finding {
	for i := range out {
		r := fx.reqs[out[i].Key()]
		if r == nil || ctx.Err() != nil {
			continue
		}
		if fix, ok := fx.templateFix(ctx, r); ok {
			out[i].Fixes = append(out[i].Fixes, fix)
		}
		if fix, ok := fx.reloaderFix(ctx, r); ok {
			out[i].Fixes = append(out[i].Fixes, fix)
		}
	}
	return out
}

// coverPaths shortens keys to the maps they fill: a map all of whose
// leaves are keys is hashed whole (`.Values.shared.config`), never the root.
func coverPaths(eff map[string]any, keys []values.Path) []values.Path {
	set := map[string]bool{}
	for _, k := range keys {
		set[k.String()] = true
	}
	full := func(p values.Path) bool {
		v, _ := values.Lookup(eff, p)
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for _, l := range values.Leaves(m) {
			if !set[p.Child(l...).String()] {
				return false
			}
		}
		return true
	}
	seen := map[string]bool{}
	var out []values.Path
	for _, k := range keys {
		// Only the map that holds the key: hashing further up would roll
		// the pods for keys that feed nothing.
		p := k
		if len(p) > 1 && full(p[:len(p)-1]) {
			p = p[:len(p)-1]
		}
		if !seen[p.String()] {
			seen[p.String()] = true
			out = append(out, p)
		}
	}
	slices.SortFunc(out, comparePath)
	// drop paths below another one
	var kept []values.Path
	for _, p := range out {
		if len(kept) == 0 || !p.HasPrefix(kept[len(kept)-1]) {
			kept = append(kept, p)
		}
	}
	return kept
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// valuesExpr is the template expression reading p.
func valuesExpr(p values.Path) string {
	plain := true
	for _, k := range p {
		plain = plain && identRE.MatchString(k)
	}
	if plain {
		return ".Values." + strings.Join(p, ".")
	}
	q := make([]string, len(p))
	for i, k := range p {
		q[i] = fmt.Sprintf("%q", k)
	}
	return "(index .Values " + strings.Join(q, " ") + ")"
}

func hashExpr(paths []values.Path) string {
	if len(paths) == 1 {
		return valuesExpr(paths[0]) + " | toJson | sha256sum"
	}
	parts := make([]string, len(paths))
	for i, p := range paths {
		parts[i] = valuesExpr(p)
	}
	return "list " + strings.Join(parts, " ") + " | toJson | sha256sum"
}

var restOK = regexp.MustCompile(`^\s*(#.*|\{\{/\*.*\*/\}\})?\s*$`)

func indentOf(s string) string { return s[:len(s)-len(strings.TrimLeft(s, " "))] }

// replaceLines builds a replace-text edit turning lines[i] into val; Old
// grows upwards until it is unique in the file.
func replaceLines(file string, lines []string, i int, val string) finding.Edit {
	text := strings.Join(lines, "\n")
	start := i
	old := lines[i]
	for start > 0 && strings.Count(text, old) > 1 {
		start--
		old = lines[start] + "\n" + old
		val = lines[start] + "\n" + val
	}
	return finding.Edit{File: file, Op: finding.OpReplaceText, Old: old, Value: val, At: finding.Location{File: file, Line: start + 1, Column: 1}}
}

// templateEdits returns the edits that add the checksum annotation (and
// the library helper) at site, and the edited text.
func templateEdits(site *crSite, hash []values.Path) ([]finding.Edit, string, string, bool) {
	if site == nil || len(hash) == 0 {
		return nil, "", "", false
	}
	lines := site.Lines
	expr := hashExpr(hash)
	var edits []finding.Edit
	helper := ""
	if site.Library && site.Define >= 0 {
		dm := defineRE.FindStringSubmatch(lines[site.Define])
		prefix := dm[1]
		if i := strings.LastIndex(prefix, "."); i > 0 {
			prefix = prefix[:i]
		}
		helper = prefix + ".configChecksum"
		body := fmt.Sprintf("{{/* %s hashes every values key that feeds the workload's ConfigMaps and Secrets (added by syncdoctor config-rollout). */}}\n{{- define %q -}}\n{{- %s }}\n{{- end }}\n\n", helper, helper, expr)
		edits = append(edits, replaceLines(site.File, lines, site.Define, body+lines[site.Define]))
		expr = fmt.Sprintf("include %q .", helper)
	}
	switch {
	case site.Annots >= 0:
		if !restOK.MatchString(site.AnnotRest) {
			return nil, "", "", false // content on the annotations line itself
		}
		ind := indentOf(lines[site.Annots]) + "  "
		line := ind + "checksum/config: {{ " + expr + " }}"
		done := false
		for j := site.Annots + 1; j < len(lines); j++ {
			km := keyLineRE.FindStringSubmatch(lines[j])
			if km != nil && len(km[1]) <= len(indentOf(lines[site.Annots])) {
				break
			}
			if strings.HasPrefix(strings.TrimSpace(lines[j]), "checksum/config:") {
				edits = append(edits, replaceLines(site.File, lines, j, indentOf(lines[j])+"checksum/config: {{ "+expr+" }}"))
				done = true
				break
			}
		}
		if !done {
			edits = append(edits, replaceLines(site.File, lines, site.Annots, lines[site.Annots]+"\n"+line))
		}
	case site.Metadata >= 0:
		ind := indentOf(lines[site.Metadata]) + "  "
		edits = append(edits, replaceLines(site.File, lines, site.Metadata, lines[site.Metadata]+"\n"+ind+"annotations:\n"+ind+"  checksum/config: {{ "+expr+" }}"))
	default:
		return nil, "", "", false
	}
	text := strings.Join(lines, "\n")
	for _, e := range edits {
		if strings.Count(text, e.Old) != 1 {
			return nil, "", "", false
		}
		text = strings.Replace(text, e.Old, e.Value, 1)
	}
	return edits, text, helper, true
}

func (fx *fixer) templateFix(ctx context.Context, r *fixReq) (finding.Fix, bool) {
	tr, ok := fx.in.Renderer.(crTemplateRenderer)
	if !ok || r.site == nil || len(r.hash) == 0 {
		return finding.Fix{}, false
	}
	hash := r.hash
	if r.site.Library {
		for _, h := range fx.lib[r.site.File] {
			hash = append(hash, h)
		}
		hash = coverPaths(map[string]any{}, hash)
	}
	edits, text, helper, ok := templateEdits(r.site, hash)
	if !ok {
		return finding.Fix{}, false
	}
	// The same edit to the same chart proves the same mechanism in every
	// environment: validate it once.
	key := r.rd.Target.Dir + "\x00" + r.p.w.Obj.Ref.Kind + "\x00" + r.p.w.Obj.Source + "\x00" + text
	valid, seen := fx.memo[key]
	if !seen {
		valid = fx.validateTemplate(ctx, tr, r, text, hash)
		fx.memo[key] = valid
	}
	if !valid {
		return finding.Fix{}, false
	}
	title := fmt.Sprintf("Add a checksum/config annotation to %s's pod template", wlText(r.p.w.Obj))
	if helper != "" {
		title = fmt.Sprintf("Hash every config key in %s and annotate %s's pod template with it", helper, wlText(r.p.w.Obj))
	}
	return finding.Fix{Title: title, Kind: finding.FixTemplate, File: r.site.File,
		Patch: unifiedDiff(r.site.File, strings.Join(r.site.Lines, "\n"), text), Edits: edits}, true
}

// validateTemplate renders the chart with the edited template and checks
// that every key feeding the workload's sources now changes its pod
// template.
func (fx *fixer) validateTemplate(ctx context.Context, tr crTemplateRenderer, r *fixReq, text string, hash []values.Path) bool {
	t := r.rd.Target
	ov := map[string]string{r.site.File: text}
	base, err := tr.RenderWithTemplates(ctx, t, r.rd.Values, ov)
	if err != nil {
		return false
	}
	bi := indexObjs(base)
	eff := effectiveValues(r.rd.Chart, r.rd.Values)
	ref := r.p.w.Obj.Ref.String()
	// The annotation hashes whole maps (coverPaths), so one key per hashed
	// path proves the path; keys hashed one by one are each tried.
	var jobs []map[string]any
	tried := map[string]bool{}
	for _, s := range r.p.w.Sources {
		for _, k := range consumedFeeds(r.a, r.p.w, s) {
			h := k.String()
			for _, hp := range hash {
				if k.HasPrefix(hp) {
					h = hp.String()
				}
			}
			if tried[h] {
				continue
			}
			tried[h] = true
			v, _ := values.Lookup(eff, k)
			pv, _ := perturb(v)
			jobs = append(jobs, withValue(r.rd.Values, k, pv))
		}
	}
	res := renderAll(ctx, func(v map[string]any) ([]*manifest.Object, error) {
		return tr.RenderWithTemplates(ctx, t, v, ov)
	}, jobs)
	for _, objs := range res {
		if objs == nil || !changedTemplate(bi, objs, ref) {
			return false
		}
	}
	return true
}

const autoAnnotation = "reloader.stakater.com/auto"

// reloaderFix proposes Reloader's auto annotation through a values map
// that lands in the workload's annotations, in the chart's values.yaml.
func (fx *fixer) reloaderFix(ctx context.Context, r *fixReq) (finding.Fix, bool) {
	rd := r.rd
	if rd.Chart == nil || fx.in.Renderer == nil {
		return finding.Fix{}, false
	}
	file := path.Join(rd.Target.Dir, "values.yaml")
	if _, err := fx.in.Files.ReadFile(file); err != nil {
		return finding.Fix{}, false
	}
	var lands []crLanding
	if r.a != nil {
		lands = r.a.landings[r.p.w.Obj.Ref.String()]
	} else if a := fx.marked[rd.Target.ID()]; a != nil {
		lands = a.landings[r.p.w.Obj.Ref.String()]
	} else {
		lands = fx.landings(ctx, rd, r.p.w)
	}
	slices.SortStableFunc(lands, func(a, b crLanding) int {
		return map[bool]int{true: 0, false: 1}[a.Meta] - map[bool]int{true: 0, false: 1}[b.Meta]
	})
	for _, l := range lands {
		// auto covers every source a container reads, whatever its name:
		// one render per chart, workload template and landing suffices.
		vk := rd.Target.Dir + "\x00" + r.p.w.Obj.Source + "\x00" + r.p.w.Obj.Ref.Kind + "\x00" + r.p.s.Kind + "\x00" + l.Path.String()
		valid, seen := fx.memo[vk]
		if !seen {
			objs, _ := fx.in.Renderer.RenderValues(ctx, rd.Target, withValue(rd.Values, l.Path.Child(autoAnnotation), "true"))
			var srcAnn map[string]string
			if r.p.obj != nil {
				srcAnn = r.p.obj.Annotations()
			}
			if w := indexObjs(objs)[r.p.w.Obj.Ref.String()]; w != nil {
				valid, _ = reloaderCovers(w, r.p.s, srcAnn)
			}
			fx.memo[vk] = valid
		}
		if !valid {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "# %s\n", file)
		for i, k := range l.Path {
			fmt.Fprintf(&b, "%s%s:\n", strings.Repeat("  ", i), k)
		}
		fmt.Fprintf(&b, "%s%s: \"true\"\n", strings.Repeat("  ", len(l.Path)), autoAnnotation)
		return finding.Fix{
			Title: fmt.Sprintf("Let Reloader restart %s when its ConfigMaps or Secrets change (%s)", wlText(r.p.w.Obj), l.Path),
			Kind:  finding.FixYAML, File: file, Patch: b.String(),
			Edits: []finding.Edit{{File: file, Path: l.Path.String(), Op: finding.OpMerge, Value: autoAnnotation + `: "true"`}},
		}, true
	}
	return finding.Fix{}, false
}

// landings tags the values of a Target without a perturbation analysis
// (only external sources) to find its annotation values.
func (fx *fixer) landings(ctx context.Context, rd *Rendered, w *crWorkload) []crLanding {
	v, tags := tagValues(effectiveValues(rd.Chart, rd.Values), true)
	mk := rd.Target.ID() + "\x00<markers>"
	objs, seen := fx.rendered[mk]
	if !seen {
		objs, _ = fx.in.Renderer.RenderValues(ctx, rd.Target, v)
		fx.rendered[mk] = objs
	}
	if objs == nil {
		return nil
	}
	o := indexObjs(objs)[w.Obj.Ref.String()]
	if o == nil {
		return nil
	}
	return landingsOf(o, tags)
}
