// ignoreDifferences entries that hide nothing, or break the app's comparison.
package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/glob"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

var ignoreRuleDead = &Check{
	ID:       "ignore-rule-dead",
	Summary:  "an ignoreDifferences entry hides nothing or breaks the diff",
	Severity: finding.Warning,
	Modes:    Offline,
	Doc: `An Application's ` + "`spec.ignoreDifferences`" + ` entry does nothing, or worse:

- a ` + "`jqPathExpressions`" + ` entry that does not compile fails the comparison of
  the whole app (ComparisonError, nothing syncs);
- a jq expression that errors at run time, or a JSON pointer that is not
  RFC 6901, is skipped silently;
- a group or kind pattern that does not compile, or a group/kind/name that
  matches none of the objects the app renders (typically a typo: the
  nearest existing group, kind or name is suggested);
- a path that none of the predicted live objects has. Offline the live
  object is predictable only for custom resources whose CRD is known
  (rendered defaults), so this is reported for them only, and never for
  ` + "`/status`" + ` or ` + "`/metadata`" + `, which the cluster writes.

The rule was meant to stop an OutOfSync loop, so the loop is still there.
Matching and evaluation are ArgoCD's own (argo-cd util/argo/normalizers,
via internal/diffsem RuleProblems). Apps with a source that cannot be
rendered offline are checked for syntax only.

Fix: ` + "`syncdoctor fix`" + ` sets a misspelled group, kind, name or JSON pointer to
its only near match, or deletes an entry that matches no object, once the
corrected rule has been replayed through ArgoCD's normalizer; a jq
expression that does not compile is left to a person.`,
	Run: runIgnoreRuleDead,
}

func init() { register(ignoreRuleDead) }

func runIgnoreRuleDead(ctx context.Context, in *Input) []finding.Finding {
	crds := checkoutCRDs(in)
	apps, by := appTargets(in)
	var out []finding.Finding
	for _, app := range apps {
		if ctx.Err() != nil {
			return out
		}
		rules := app.App.Spec.IgnoreDifferences
		if len(rules) == 0 {
			continue
		}
		objs, exact, complete := predictedObjects(in, by[app], crds)
		var objects []map[string]any
		if complete {
			objects = objs
		}
		opts := appDiffOptions(in, app)
		var fs []finding.Finding
		var edits []deadEdit
		removed := len(rules) // the first entry a correction deletes
		for _, p := range diffsem.RuleProblems(rules, objects, opts) {
			if f, ok := deadRuleFinding(app, p, objs, exact); ok {
				d, certain := deadCorrection(app, p, objects, opts)
				if !certain {
					d.rule = -1
				} else if d.remove {
					removed = min(removed, d.rule)
				}
				fs, edits = append(fs, f), append(edits, d)
			}
		}
		for k := range fs {
			if d := edits[k]; d.rule >= 0 {
				shifted := d.rule >= removed || shiftsFrom(broadPlan(ctx, in)[app], d.rule)
				applyDeadEdit(in, app, &fs[k], d, shifted)
			}
		}
		out = append(out, fs...)
	}
	return out
}

// predictedObjects returns the app's objects as the API server would
// store them (CRD defaults applied where known), which of them are exact
// predictions of spec, and whether every source rendered.
func predictedObjects(in *Input, rs []*Rendered, crds map[string]crdEntry) (objs []map[string]any, exact map[int]bool, complete bool) {
	exact = map[int]bool{}
	complete = true
	for _, r := range rs {
		if r.Err != nil || r.Target.Blocked != nil || (len(r.Objects) == 0 && r.Target.Kind != target.SourceHelm && r.Target.Kind != target.SourceDirectory && r.Target.Kind != target.SourceKustomize) {
			complete = false
		}
		for _, o := range r.Objects {
			if pd, ok := predictDefaults(in, o, crds); ok {
				exact[len(objs)] = true
				objs = append(objs, pd.live)
				continue
			}
			objs = append(objs, o.Content)
		}
	}
	return objs, exact, complete
}

func deadRuleFinding(app *target.Application, p diffsem.RuleProblem, objs []map[string]any, exact map[int]bool) (finding.Finding, bool) {
	rule := app.App.Spec.IgnoreDifferences[p.Rule]
	f := finding.Finding{App: app.Name(), Location: ruleLocation(app, p.Rule)}
	subject := fmt.Sprintf("ignoreDifferences[%d] of %s", p.Rule, app.Name())
	switch p.Kind {
	case diffsem.ProblemManagerAbsent:
		return f, false // managedFields exist only in the cluster
	case diffsem.ProblemRemovesNothing:
		path := fieldPath(rule, p.Field)
		if strings.HasPrefix(path, "/status") || strings.HasPrefix(path, "/metadata") ||
			strings.HasPrefix(path, ".status") || strings.HasPrefix(path, ".metadata") || !allExact(rule, objs, exact) {
			return f, false
		}
		f.Message = fmt.Sprintf("%s: %s %q matches no field of the objects it applies to", subject, strings.SplitN(p.Field, "[", 2)[0], path)
		f.Impact = "the rule hides nothing; whatever drift it was written for is still reported"
	case diffsem.ProblemJQCompile:
		f.Severity = finding.Error
		f.Message = subject + ": a jq path expression does not compile, so ArgoCD fails the whole comparison"
		f.Impact = "the app shows ComparisonError and nothing in it is compared or synced until the expression is fixed"
	case diffsem.ProblemNoObject:
		f.Message = subject + " matches none of the objects the app renders"
		f.Impact = "the rule hides nothing; whatever drift it was written for is still reported"
		if field, v := suggestScope(rule.Group, rule.Kind, rule.Name, objs); field != "" {
			f.Message += "; did you mean " + field + " " + strconvQuote(v)
		}
	default:
		f.Message = subject + ": " + p.Message
		f.Impact = "ArgoCD skips the broken part silently, so the drift it should hide is still reported"
	}
	f.Evidence = []finding.Evidence{
		{Label: "problem", Value: p.Message, At: f.Location},
		{Label: "rule", Value: ruleSummary(rule)},
	}
	f.Fixes = []finding.Fix{{
		Title: "Correct or remove the entry", Kind: finding.FixYAML, File: f.Location.File,
		Patch: fmt.Sprintf("# spec.ignoreDifferences[%d]%s\n", p.Rule, fieldSuffix(p.Field)) + rulesYAML(app.App.Spec.IgnoreDifferences[p.Rule:p.Rule+1]),
	}}
	return f, true
}

func fieldSuffix(field string) string {
	if field == "" {
		return ""
	}
	return "." + field
}

// fieldPath returns the pointer or expression a "jsonPointers[i]" or
// "jqPathExpressions[i]" field names.
func fieldPath(rule v1alpha1.ResourceIgnoreDifferences, field string) string {
	var i int
	switch {
	case strings.HasPrefix(field, "jsonPointers[") && scanIndex(field, &i) && i < len(rule.JSONPointers):
		return rule.JSONPointers[i]
	case strings.HasPrefix(field, "jqPathExpressions[") && scanIndex(field, &i) && i < len(rule.JQPathExpressions):
		return rule.JQPathExpressions[i]
	}
	return ""
}

func scanIndex(field string, i *int) bool {
	open, end := strings.Index(field, "["), strings.Index(field, "]")
	if open < 0 || end < open {
		return false
	}
	n, err := parseUint(field[open+1 : end])
	*i = n
	return err == nil
}

// allExact reports whether every object the rule matches is one whose
// live spec syncdoctor predicts exactly (a custom resource with a known CRD).
func allExact(rule v1alpha1.ResourceIgnoreDifferences, objs []map[string]any, exact map[int]bool) bool {
	matched := false
	for i, o := range objs {
		if !ruleScopes(rule, o) {
			continue
		}
		matched = true
		if !exact[i] {
			return false
		}
	}
	return matched
}

// ruleScopes is ArgoCD's matcher (group and kind globs, exact name and
// namespace), see diffsem.RuleProblems.
func ruleScopes(r v1alpha1.ResourceIgnoreDifferences, o map[string]any) bool {
	g, k := groupKindOf(o)
	return glob.Match(r.Group, g) && glob.Match(r.Kind, k) &&
		(r.Name == "" || r.Name == manifest.GetString(o, "metadata", "name")) &&
		(r.Namespace == "" || r.Namespace == manifest.GetString(o, "metadata", "namespace"))
}

func ruleSummary(r v1alpha1.ResourceIgnoreDifferences) string {
	parts := []string{"group " + strconvQuote(r.Group), "kind " + strconvQuote(r.Kind)}
	if r.Name != "" {
		parts = append(parts, "name "+strconvQuote(r.Name))
	}
	if r.Namespace != "" {
		parts = append(parts, "namespace "+strconvQuote(r.Namespace))
	}
	return strings.Join(parts, ", ")
}

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }

// suggestScope proposes the nearest existing group, kind or name when the
// rule's scope is a near miss (edit distance at most 2, or case only): it
// returns the rule field ("group", "kind" or "name") and its new value.
func suggestScope(group, kind, name string, objs []map[string]any) (field, value string) {
	kinds, groups, names := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, o := range objs {
		g, k := groupKindOf(o)
		kinds[k], groups[g] = true, true
		if glob.Match(group, g) && glob.Match(kind, k) {
			names[manifest.GetString(o, "metadata", "name")] = true
		}
	}
	switch {
	case !strings.ContainsAny(kind, "*?[") && !kinds[kind]:
		if k := nearest(kind, kinds); k != "" {
			return "kind", k
		}
	case !strings.ContainsAny(group, "*?[") && !groups[group]:
		if g := nearest(group, groups); g != "" {
			return "group", g
		}
	case name != "" && len(names) > 0:
		if n := nearest(name, names); n != "" {
			return "name", n
		}
	}
	return "", ""
}

func nearest(s string, set map[string]bool) string {
	best, bestD := "", 3
	for c := range set {
		d := levenshtein(strings.ToLower(s), strings.ToLower(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
