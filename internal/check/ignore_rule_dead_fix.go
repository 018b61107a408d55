package check

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/glob"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// deadEdit is a certain correction of one entry: its deletion, or one
// scalar field (group, kind, name or jsonPointers[i]) set to value.
type deadEdit struct {
	rule         int
	remove       bool
	field, value string
	fixed        v1alpha1.ResourceIgnoreDifferences
}

// deadCorrection returns the correction of p when it is certain, replayed
// through diffsem: the nearest (unique) group, kind, name or JSON pointer
// for a typo, or the deletion of a rule that hides nothing. objects are
// the app's predicted objects (nil when some source did not render).
func deadCorrection(app *target.Application, p diffsem.RuleProblem, objects []map[string]any, opts diffsem.Options) (deadEdit, bool) {
	if app.Origin != target.OriginYAML || objects == nil {
		return deadEdit{}, false // Terraform edits cannot delete; config charts have no Application
	}
	rule := app.App.Spec.IgnoreDifferences[p.Rule]
	d := deadEdit{rule: p.Rule, fixed: rule}
	switch p.Kind {
	case diffsem.ProblemNoObject:
		field, v := suggestScope(rule.Group, rule.Kind, rule.Name, objects)
		switch {
		case field == "":
			d.remove = true
		case !uniqueNearest(scopeValue(rule, field), v, scopeCandidates(rule, field, objects)):
			return d, false
		default:
			setScope(&d.fixed, field, v)
			d.field, d.value = field, v
		}
	case diffsem.ProblemRemovesNothing:
		var j int
		v := ""
		if strings.HasPrefix(p.Field, "jsonPointers[") && scanIndex(p.Field, &j) && j < len(rule.JSONPointers) {
			v = nearestPointer(rule.JSONPointers[j], matchedPointers(rule, objects))
		}
		if v == "" {
			d.remove = deadWhole(rule, p, objects, opts)
			return d, d.remove
		}
		d.fixed.JSONPointers = slices.Clone(rule.JSONPointers)
		d.fixed.JSONPointers[j] = v
		d.field, d.value = p.Field, v
	default:
		return d, false
	}
	return d, d.remove || cleanRule(d.fixed, objects, opts)
}

// applyDeadEdit gives f's fix the edit of d. A deletion is a replace-text
// edit of the entry's lines (ignore_rule_dead_text.go), which no other
// edit's index depends on. A corrected field is a path edit
// (spec.ignoreDifferences[i].kind), which the fix package knows to
// conflict with other structural edits of the list, unless an entry
// before it is deleted or split by another finding (shifted): then the
// index could name another entry, and the field's line is replaced as
// text instead.
func applyDeadEdit(in *Input, app *target.Application, f *finding.Finding, d deadEdit, shifted bool) {
	if len(f.Fixes) == 0 {
		return
	}
	want := slices.Clone(app.App.Spec.IgnoreDifferences)
	var e finding.Edit
	switch {
	case d.remove:
		it, ok := locateRule(in, app, d.rule)
		if !ok {
			return
		}
		e = it.deleteEdit()
		want = slices.Delete(want, d.rule, d.rule+1)
		if !it.validEdit(e, want) {
			return
		}
		f.Fixes[0].Title = "Remove the entry"
	case shifted:
		it, ok := locateRule(in, app, d.rule)
		if !ok {
			return
		}
		if e, ok = it.scalarEdit(d.field, d.value); !ok {
			return
		}
		want[d.rule] = d.fixed
		if !it.validEdit(e, want) {
			return
		}
		f.Fixes[0].Title = "Correct the entry"
	default:
		e = finding.Edit{File: app.Declared.File, Document: app.DocIndex, Path: fmt.Sprintf("spec.ignoreDifferences[%d].%s", d.rule, d.field), Op: finding.OpSet, Value: yamlScalar(d.value)}
		f.Fixes[0].Title = "Correct the entry"
	}
	f.Fixes[0].Edits = []finding.Edit{e}
}

// cleanRule replays a corrected rule with ArgoCD's normalizer (via
// diffsem.RuleProblems): it must match an object and every path must
// remove something.
func cleanRule(r v1alpha1.ResourceIgnoreDifferences, objects []map[string]any, opts diffsem.Options) bool {
	for _, q := range diffsem.RuleProblems([]v1alpha1.ResourceIgnoreDifferences{r}, objects, opts) {
		if q.Kind != diffsem.ProblemManagerAbsent {
			return false
		}
	}
	return true
}

// deadWhole reports whether the rule hides nothing at all: it has no
// managers (which act in the cluster only) and every path removes nothing.
func deadWhole(r v1alpha1.ResourceIgnoreDifferences, p diffsem.RuleProblem, objects []map[string]any, opts diffsem.Options) bool {
	if len(r.ManagedFieldsManagers) > 0 {
		return false
	}
	dead := 0
	for _, q := range diffsem.RuleProblems([]v1alpha1.ResourceIgnoreDifferences{r}, objects, opts) {
		if q.Kind == diffsem.ProblemRemovesNothing || q.Kind == diffsem.ProblemPointerSyntax {
			dead++
		}
	}
	return dead == len(r.JSONPointers)+len(r.JQPathExpressions)
}

func scopeValue(r v1alpha1.ResourceIgnoreDifferences, field string) string {
	switch field {
	case "group":
		return r.Group
	case "kind":
		return r.Kind
	}
	return r.Name
}

func setScope(r *v1alpha1.ResourceIgnoreDifferences, field, v string) {
	switch field {
	case "group":
		r.Group = v
	case "kind":
		r.Kind = v
	default:
		r.Name = v
	}
}

// scopeCandidates lists the values suggestScope chose from for field.
func scopeCandidates(r v1alpha1.ResourceIgnoreDifferences, field string, objects []map[string]any) []string {
	set := map[string]bool{}
	for _, o := range objects {
		g, k := groupKindOf(o)
		switch field {
		case "group":
			set[g] = true
		case "kind":
			set[k] = true
		default:
			if glob.Match(r.Group, g) && glob.Match(r.Kind, k) {
				set[manifest.GetString(o, "metadata", "name")] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	return out
}

// uniqueNearest reports whether want is the only candidate at the
// smallest edit distance from s.
func uniqueNearest(s, want string, cands []string) bool {
	d := levenshtein(strings.ToLower(s), strings.ToLower(want))
	for _, c := range cands {
		if c != want && levenshtein(strings.ToLower(s), strings.ToLower(c)) <= d {
			return false
		}
	}
	return true
}

// nearestPointer returns the one candidate within edit distance 2 of ptr
// that is strictly nearer than every other, or "".
func nearestPointer(ptr string, cands []string) string {
	best, bestD, tie := "", 3, false
	for _, c := range cands {
		d := levenshtein(ptr, c)
		switch {
		case d < bestD:
			best, bestD, tie = c, d, false
		case d == bestD:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// matchedPointers lists the RFC 6901 pointers of every field (leaves and
// containers) of the objects the rule applies to.
func matchedPointers(r v1alpha1.ResourceIgnoreDifferences, objects []map[string]any) []string {
	set := map[string]bool{}
	for _, o := range objects {
		if ruleScopes(r, o) {
			walkPointers("", o, set)
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func walkPointers(prefix string, v any, set map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			p := prefix + "/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(k)
			set[p] = true
			walkPointers(p, c, set)
		}
	case []any:
		for i, c := range t {
			p := fmt.Sprintf("%s/%d", prefix, i)
			set[p] = true
			walkPointers(p, c, set)
		}
	}
}

// yamlScalar encodes s as a YAML scalar value for an Edit.
func yamlScalar(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return s
	}
	return strings.TrimSuffix(string(b), "\n")
}
