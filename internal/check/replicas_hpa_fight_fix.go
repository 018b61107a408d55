package check

import (
	"fmt"
	"strings"
	"text/template/parse"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// appSpecPrefix is how the Application's field map names its spec.
func appSpecPrefix(*Rendered) string { return "spec." }

// appEditPrefix is where the Application's spec sits in the file that
// declares it: an ApplicationSet declares it in spec.template.
func appEditPrefix(r *Rendered) string {
	if r.Target.App.Origin == target.OriginApplicationSet {
		return "spec.template.spec."
	}
	return "spec."
}

// omitReplicasFix wraps the template's replicas line in the negation of
// the condition that renders the HPA, when the HPA's template is guarded
// by a single values key. The edited template is re-parsed.
func omitReplicasFix(in *Input, r *Rendered, h *manifest.Object, loc finding.Location) (finding.Fix, bool) {
	ix := chartIndex(in, r)
	if ix == nil || loc.IsZero() || in.Files == nil {
		return finding.Fix{}, false
	}
	var cond string
	for _, g := range ix.Guards(templateName(h)) {
		if g.WholeOutput && !g.Negated && g.Kind == "if" && len(g.TestPaths()) == 1 {
			cond = g.Expr
			break
		}
	}
	if cond == "" {
		return finding.Fix{}, false
	}
	data, err := in.Files.ReadFile(loc.File)
	if err != nil {
		return finding.Fix{}, false
	}
	lines := strings.Split(string(data), "\n")
	if loc.Line > len(lines) {
		return finding.Fix{}, false
	}
	old := strings.TrimRight(lines[loc.Line-1], "\r")
	indent := old[:len(old)-len(strings.TrimLeft(old, " \t"))]
	repl := fmt.Sprintf("%s{{- if not %s }}\n%s\n%s{{- end }}", indent, cond, old, indent)
	edited := strings.Replace(string(data), old, repl, 1)
	tr := parse.New(loc.File)
	tr.Mode = parse.SkipFuncCheck
	if _, err := tr.Parse(edited, "", "", map[string]*parse.Tree{}); err != nil {
		return finding.Fix{}, false
	}
	patch := fmt.Sprintf("--- a/%s\n+++ b/%s\n@@ -%d,1 +%d,3 @@\n+%s{{- if not %s }}\n %s\n+%s{{- end }}\n",
		loc.File, loc.File, loc.Line, loc.Line, indent, cond, old, indent)
	return finding.Fix{
		Title: fmt.Sprintf("Omit replicas when %s is set", strings.TrimPrefix(cond, ".Values.")),
		Kind:  finding.FixTemplate,
		File:  loc.File,
		Patch: patch,
		Edits: []finding.Edit{{File: loc.File, Op: finding.OpReplaceText, Old: old, Value: repl,
			At: finding.Location{File: loc.File, Line: loc.Line, Column: 1}}},
	}, true
}

// ignoreReplicasFix adds the ignore rule and RespectIgnoreDifferences to
// the Application, so ArgoCD neither reports nor writes the field.
func ignoreReplicasFix(r *Rendered, w *manifest.Object, ruleExists bool) finding.Fix {
	app := r.Target.App
	rule := fmt.Sprintf("- group: apps\n  kind: %s\n  name: %s\n  jsonPointers:\n    - /spec/replicas\n", w.Ref.Kind, w.Ref.Name)
	opt := "- RespectIgnoreDifferences=true\n"
	prefix := appEditPrefix(r)
	file := app.Declared.File
	fix := finding.Fix{
		Title: fmt.Sprintf("Ignore /spec/replicas of %s %s in %s and respect it on sync", w.Ref.Kind, w.Ref.Name, app.Name()),
		Kind:  finding.FixYAML,
		File:  file,
		Patch: fmt.Sprintf("# %s\n%signoreDifferences:\n%s%ssyncPolicy:\n  syncOptions:\n  %s",
			file, prefix, indentLines(rule, "  "), prefix, opt),
	}
	if ruleExists {
		fix.Title = fmt.Sprintf("Add RespectIgnoreDifferences=true to %s", app.Name())
		fix.Patch = fmt.Sprintf("# %s\n%ssyncPolicy:\n  syncOptions:\n  %s", file, prefix, opt)
	} else {
		fix.Edits = append(fix.Edits, finding.Edit{File: file, Document: app.DocIndex, Path: prefix + "ignoreDifferences", Op: finding.OpAppend, Value: rule})
	}
	fix.Edits = append(fix.Edits, finding.Edit{File: file, Document: app.DocIndex, Path: prefix + "syncPolicy.syncOptions", Op: finding.OpAppend, Value: opt})
	if app.Origin == target.OriginTerraform {
		fix.Kind, fix.Edits = finding.FixTerraform, nil
	}
	return fix
}

func indentLines(s, indent string) string {
	var b strings.Builder
	for _, ln := range strings.SplitAfter(s, "\n") {
		if ln != "" {
			b.WriteString(indent + ln)
		}
	}
	return b.String()
}
