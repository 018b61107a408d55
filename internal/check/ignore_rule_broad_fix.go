package check

import (
	"context"
	"fmt"
	"slices"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// broadEntry is one broad Application entry with its finding and, when
// one exists, its validated narrowing.
type broadEntry struct {
	rule int
	f    finding.Finding
	n    narrowing
	ok   bool // n is a validated narrowing (n.rules empty: delete)
}

// broadPlan runs ignore-rule-broad's analysis once per Input: the broad
// entries of every Application, in order, with their fixes. It is shared
// with ignore-rule-dead, whose path edits must not name an index that a
// narrowing moves (see deadRuleEdits).
func broadPlan(ctx context.Context, in *Input) map[*target.Application][]broadEntry {
	return in.Memo("ignore-rule-broad:plan", func() any {
		out := map[*target.Application][]broadEntry{}
		_, by := appTargets(in)
		for _, app := range in.Apps {
			if ctx.Err() != nil {
				return out
			}
			out[app] = appBroadEntries(ctx, in, app, by[app])
		}
		return out
	}).(map[*target.Application][]broadEntry)
}

func appBroadEntries(ctx context.Context, in *Input, app *target.Application, rs []*Rendered) []broadEntry {
	rules := app.App.Spec.IgnoreDifferences
	if len(rules) == 0 {
		return nil
	}
	opts := appDiffOptions(in, app)
	var entries []broadEntry
	for i, r := range rules {
		if why := broadness(r.Kind, r.JSONPointers, r.JQPathExpressions); why != "" {
			entries = append(entries, broadEntry{rule: i, f: broadFinding(app, i, r, why)})
			continue
		}
		if len(r.JSONPointers)+len(r.JQPathExpressions) == 0 {
			continue
		}
		if hidden := hiddenUserFields(ctx, in, rs, r, opts); len(hidden) > 0 {
			entries = append(entries, broadEntry{rule: i, f: broadHiddenFinding(app, i, r, hidden)})
		}
	}
	if len(entries) == 0 {
		return nil
	}
	// The other broad entries may be narrowed too, and an entry whose jq
	// does not compile fails every comparison (ignore-rule-dead reports
	// it): each narrowing is judged without them, so it holds whichever
	// of the other fixes are applied.
	skip := map[int]bool{}
	for _, e := range entries {
		skip[e.rule] = true
	}
	for _, p := range diffsem.RuleProblems(rules, nil, opts) {
		if p.Kind == diffsem.ProblemJQCompile {
			skip[p.Rule] = true
		}
	}
	for k := range entries {
		e := &entries[k]
		n, why := narrowRule(ctx, in, app, rs, e.rule, skip)
		if why != "" {
			e.f.Evidence = append(e.f.Evidence, finding.Evidence{Label: "no machine fix", Value: why})
			e.f.Fixes[0].Patch = "# no machine fix: " + why + "\n" + e.f.Fixes[0].Patch
			continue
		}
		if fixes := broadFixes(in, app, e.rule, n); len(fixes) > 0 {
			e.n, e.ok = n, true
			for _, k := range n.kept {
				e.f.Evidence = append(e.f.Evidence, finding.Evidence{Label: "predicted drift it should hide", Value: k})
			}
			e.f.Fixes = fixes
		}
	}
	return entries
}

// broadFixes writes the narrowing of entry i in the three forms: the
// Application file (a replace-text edit of the entry's lines, or the
// Terraform kubernetes_manifest's list set whole), and a kubectl merge
// patch carrying the app's other entries.
func broadFixes(in *Input, app *target.Application, i int, n narrowing) []finding.Fix {
	rules := app.App.Spec.IgnoreDifferences
	all := slices.Concat(rules[:i], n.rules, rules[i+1:])
	title := "Narrow the entry to the objects and fields that drift (validated: the predicted drift stays hidden, the fields set in git are compared again)"
	patch := fmt.Sprintf("# replace spec.ignoreDifferences[%d] with\n", i) + rulesYAML(n.rules)
	if len(n.rules) == 0 {
		title = "Remove the entry: nothing it alone hides is predicted to drift (validated: the fields set in git are compared again)"
		patch = fmt.Sprintf("# remove spec.ignoreDifferences[%d]\n", i) + rulesYAML(rules[i:i+1])
	}
	var out []finding.Fix
	switch app.Origin {
	case target.OriginConfig:
		return nil // a chart listed in .syncdoctor.yaml has no Application
	case target.OriginTerraform:
		value := "[]"
		if len(all) > 0 {
			value = rulesYAML(all)
		}
		out = append(out, finding.Fix{
			Title: title, Kind: finding.FixTerraform, File: app.Declared.File,
			Patch: "# in " + app.TerraformAddress + ", manifest.spec\n" + terraformHCL(all),
			Edits: []finding.Edit{{File: app.Declared.File, Path: app.TerraformAddress + ".manifest.spec.ignoreDifferences", Op: finding.OpSet, Value: value}},
		})
	default:
		fix := finding.Fix{Title: title, Kind: finding.FixYAML, File: app.Declared.File, Patch: patch}
		if it, ok := locateRule(in, app, i); ok {
			e := it.deleteEdit()
			if len(n.rules) > 0 {
				e = it.replaceEdit(n.rules)
			}
			if it.validEdit(e, all) {
				fix.Edits = []finding.Edit{e}
			}
		}
		out = append(out, fix)
	}
	return append(out, finding.Fix{
		Title: title + " in the cluster now (keeps the other entries)", Kind: finding.FixKubectl,
		Patch: kubectlList(app, all),
	})
}

// broadFinding reports an entry that is broad by its shape.
func broadFinding(app *target.Application, i int, r v1alpha1.ResourceIgnoreDifferences, why string) finding.Finding {
	loc := ruleLocation(app, i)
	return finding.Finding{
		App: app.Name(), Location: loc,
		Message:  fmt.Sprintf("ignoreDifferences[%d] of %s %s", i, app.Name(), why),
		Evidence: []finding.Evidence{{Label: "rule", Value: ruleSummary(r) + pathSummary(r.JSONPointers, r.JQPathExpressions), At: loc}},
		Impact:   "changes to these fields, in git or by hand, never show as OutOfSync and are never reverted by selfHeal",
		Fixes: []finding.Fix{{
			Title: "Scope the entry to the objects and fields that drift", Kind: finding.FixYAML, File: loc.File,
			Patch: "# replace spec.ignoreDifferences[" + fmt.Sprint(i) + "] with entries scoped by group, kind and name, e.g.\n" +
				rulesYAML([]v1alpha1.ResourceIgnoreDifferences{{Group: "apps", Kind: "Deployment", Name: "web", JSONPointers: []string{"/spec/replicas"}}}),
		}},
	}
}

// shiftsFrom reports whether a broad entry's fix before index j (or at
// it) removes entries or adds some, so that a path edit naming index j
// could land on another entry.
func shiftsFrom(entries []broadEntry, j int) bool {
	for _, e := range entries {
		if e.ok && (e.rule == j || (e.rule < j && len(e.n.rules) != 1)) {
			return true
		}
	}
	return false
}
