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

// deadRuleEdits gives f's fix machine edits when the correction is certain
// and replays it through diffsem: the nearest (unique) group, kind, name or
// JSON pointer for a typo, or the deletion of a rule that hides nothing.
// objects are the app's predicted objects (nil when some source did not
// render); last is the highest rule index with any problem in this app:
// a deletion shifts the indices of the rules after it, so it is proposed
// only when no other finding edits a later rule.
func deadRuleEdits(app *target.Application, f *finding.Finding, p diffsem.RuleProblem, objects []map[string]any, opts diffsem.Options, last int) {
	if app.Origin != target.OriginYAML || len(f.Fixes) == 0 || objects == nil {
		return // Terraform edits cannot delete; config charts have no Application
	}
	rules := app.App.Spec.IgnoreDifferences
	rule := rules[p.Rule]
	base := fmt.Sprintf("spec.ignoreDifferences[%d]", p.Rule)
	edit := func(path string, op finding.EditOp, value string) finding.Edit {
		return finding.Edit{File: app.Declared.File, Document: app.DocIndex, Path: path, Op: op, Value: value}
	}
	var e finding.Edit
	switch p.Kind {
	case diffsem.ProblemNoObject:
		field, v := suggestScope(rule.Group, rule.Kind, rule.Name, objects)
		fixed := rule
		switch {
		case field == "" && p.Rule == last:
			e = edit(base, finding.OpDelete, "")
		case field == "" || !uniqueNearest(scopeValue(rule, field), v, scopeCandidates(rule, field, objects)):
			return
		default:
			setScope(&fixed, field, v)
			if !cleanRule(fixed, objects, opts) {
				return
			}
			e = edit(base+"."+field, finding.OpSet, yamlScalar(v))
		}
	case diffsem.ProblemRemovesNothing:
		var j int
		if !strings.HasPrefix(p.Field, "jsonPointers[") || !scanIndex(p.Field, &j) || j >= len(rule.JSONPointers) {
			if deadWhole(rule, p, objects, opts) && p.Rule == last {
				e = edit(base, finding.OpDelete, "")
				break
			}
			return
		}
		ptr := rule.JSONPointers[j]
		cands := matchedPointers(rule, objects)
		v := nearestPointer(ptr, cands)
		if v == "" {
			if deadWhole(rule, p, objects, opts) && p.Rule == last {
				e = edit(base, finding.OpDelete, "")
				break
			}
			return
		}
		fixed := rule
		fixed.JSONPointers = slices.Clone(rule.JSONPointers)
		fixed.JSONPointers[j] = v
		if !cleanRule(fixed, objects, opts) {
			return
		}
		e = edit(base+"."+p.Field, finding.OpSet, yamlScalar(v))
	default:
		return
	}
	if e.Op == finding.OpDelete {
		f.Fixes[0].Title = "Remove the entry"
	} else {
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
