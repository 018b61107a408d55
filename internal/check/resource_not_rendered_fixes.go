package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// fixes proposes the changes that make the template render, each checked
// by re-rendering the target with it applied.
func (m *missing) fixes(ctx context.Context, in *Input) []finding.Fix {
	if m.guard == nil {
		return nil
	}
	var out []finding.Fix
	if f, ok := m.guardFix(ctx, in); ok {
		out = append(out, f)
	}
	if f, ok := m.valueFix(ctx, in); ok {
		out = append(out, f)
	}
	if f, ok := m.apiFix(ctx, in); ok {
		out = append(out, f)
	}
	return out
}

// guardFix widens an `if` guard to the first alternative key that makes
// the template render: {{- if or .Values.database.host .Values.secretRef.hostKey }}.
func (m *missing) guardFix(ctx context.Context, in *Input) (finding.Fix, bool) {
	tr, ok := in.Renderer.(templateRenderer)
	t := m.r.Target
	if !ok || m.guard.Kind != "if" || m.guard.Negated || m.action == "" || !strings.HasPrefix(m.file, t.Dir+"/templates/") {
		return finding.Fix{}, false
	}
	i := strings.Index(m.action, "if")
	if i < 0 {
		return finding.Fix{}, false
	}
	end := len(m.action) - 2
	if strings.HasSuffix(m.action, "-}}") {
		end--
	}
	expr := strings.TrimSpace(m.action[i+2 : end])
	for _, alt := range m.alts {
		ref := ".Values." + alt.String()
		if !plainPath(alt) {
			continue
		}
		if !m.topLevel() {
			ref = "$" + ref
		}
		newExpr := widenGuard(expr, ref)
		newAction := m.action[:i+2] + " " + newExpr + " " + m.action[end:]
		newText := m.text[:m.actionOff] + newAction + m.text[m.actionOff+len(m.action):]
		objs, err := tr.RenderWithTemplates(ctx, t, m.r.Values, map[string]string{m.file: newText})
		if err != nil || !rendersTemplate(objs, m.tpl) {
			continue
		}
		line := m.guard.At.Line
		oldLine := rnrLineText(m.text, line)
		newLine := strings.Replace(oldLine, m.action, newAction, 1)
		return finding.Fix{
			Title: fmt.Sprintf("Render %s when %s is set too", strings.TrimPrefix(m.file, t.Dir+"/"), alt),
			Kind:  finding.FixTemplate, File: m.file,
			Patch: rnrUnifiedLine(m.file, line, oldLine, newLine),
			Edits: []finding.Edit{{
				File: m.file, Op: finding.OpReplaceText, Old: m.action, Value: newAction,
				At: finding.Location{File: m.file, Line: line, Column: m.actionOff - rnrLineOffset(m.text, line) + 1},
			}},
		}, true
	}
	return finding.Fix{}, false
}

// topLevel reports whether the guard's dot is the template's root context
// (no enclosing with), so .Values may be written without $.
func (m *missing) topLevel() bool {
	for _, g := range m.enclosing {
		if g.Kind == "with" {
			return false
		}
	}
	return true
}

func plainPath(p values.Path) bool {
	for _, k := range p {
		if k == "" || strings.ContainsAny(k, ".-[]\"\\ /") {
			return false
		}
	}
	return true
}

// valueFix copies the tested keys' values from an environment that
// renders the template into this environment's own value file. Proposed
// only without an alternative key (otherwise the guard is what is wrong).
func (m *missing) valueFix(ctx context.Context, in *Input) (finding.Fix, bool) {
	t := m.r.Target
	if len(m.alts) > 0 || len(m.others) == 0 || len(m.guard.Tests) == 0 || in.Renderer == nil {
		return finding.Fix{}, false
	}
	file := envValueFile(m.r, m.others)
	if file == "" {
		return finding.Fix{}, false
	}
	src := m.others[0]
	vals := rnrCopy(m.r.Values)
	var patch strings.Builder
	var edits []finding.Edit
	for _, p := range m.guard.TestPaths() {
		here, _ := effectiveValue(m.r, p)
		there, ok := effectiveValue(src, p)
		if !ok || tplTruthy(here) == tplTruthy(there) || !plainPath(p) {
			continue
		}
		vals = rnrSetPath(vals, p, there)
		y := yamlAt(p, there)
		patch.WriteString(y)
		edits = append(edits, finding.Edit{File: file, Path: p.String(), Op: finding.OpSet, Value: strings.TrimSpace(yamlAt(nil, there))})
	}
	if len(edits) == 0 {
		return finding.Fix{}, false
	}
	objs, err := in.Renderer.RenderValues(ctx, t, vals)
	if err != nil || !rendersTemplate(objs, m.tpl) {
		return finding.Fix{}, false
	}
	return finding.Fix{
		Title: fmt.Sprintf("Set %s in %s as %s does (review the value for %s)", edits[0].Path, file, src.Target.Env, t.Env),
		Kind:  finding.FixYAML, File: file, Patch: patch.String(), Edits: edits,
	}, true
}

// apiFix adds the API versions a Capabilities guard asks for to the
// Application's helm.apiVersions.
func (m *missing) apiFix(ctx context.Context, in *Input) (finding.Fix, bool) {
	t := m.r.Target
	if len(m.apis) == 0 || in.Renderer == nil || t.Source.Helm == nil {
		return finding.Fix{}, false
	}
	t2 := *t
	h := *t.Source.Helm
	h.APIVersions = append(append([]string(nil), h.APIVersions...), m.apis...)
	t2.Source.Helm = &h
	objs, err := in.Renderer.RenderValues(ctx, &t2, m.r.Values)
	if err != nil || !rendersTemplate(objs, m.tpl) {
		return finding.Fix{}, false
	}
	field := helmFieldPath(t, "apiVersions")
	var items strings.Builder
	for _, a := range m.apis {
		items.WriteString("- " + a + "\n")
	}
	return finding.Fix{
		Title: fmt.Sprintf("Add %s to %s of %s", strings.Join(m.apis, ", "), field, t.App.Name()),
		Kind:  finding.FixYAML, File: t.App.Declared.File,
		Patch: field + ":\n" + items.String(),
		Edits: []finding.Edit{{File: t.App.Declared.File, Document: t.App.DocIndex, Path: field, Op: finding.OpAppend, Value: items.String()}},
	}, true
}

// helmFieldPath is the key path of a helm field of the target's source.
func helmFieldPath(t *target.Target, field string) string {
	if len(t.App.App.Spec.Sources) > 0 {
		return fmt.Sprintf("spec.sources[%d].helm.%s", t.SourceIndex, field)
	}
	return "spec.source.helm." + field
}

// helmField is the position of a helm field of the target's source.
func helmField(t *target.Target, field string) finding.Location {
	return t.App.FieldLocation(helmFieldPath(t, field))
}

// rnrSetPath returns vals with v set at p, copying the maps along the way.
func rnrSetPath(vals map[string]any, p values.Path, v any) map[string]any {
	if len(p) == 0 {
		return vals
	}
	out := make(map[string]any, len(vals)+1)
	for k, x := range vals {
		out[k] = x
	}
	if len(p) == 1 {
		out[p[0]] = v
		return out
	}
	child, _ := out[p[0]].(map[string]any)
	out[p[0]] = rnrSetPath(child, p[1:], v)
	return out
}

// rnrCopy deep-copies decoded values.
func rnrCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if mm, ok := v.(map[string]any); ok {
			v = rnrCopy(mm)
		}
		out[k] = v
	}
	return out
}

// widenGuard adds ref as one more alternative of a guard expression: into
// its first `(or …)` group when it has one (keeping the `and` around it),
// else into a top-level or, else as `or EXPR ref`.
func widenGuard(expr, ref string) string {
	if i := strings.Index(expr, "(or "); i >= 0 {
		depth := 0
		for j := i; j < len(expr); j++ {
			switch expr[j] {
			case '(':
				depth++
			case ')':
				if depth--; depth == 0 {
					return expr[:j] + " " + ref + expr[j:]
				}
			}
		}
	}
	switch {
	case strings.HasPrefix(expr, "or "):
		return expr + " " + ref
	case strings.ContainsAny(expr, " (|"):
		return "or (" + expr + ") " + ref
	}
	return "or " + expr + " " + ref
}
