// ignoreDifferences entries so wide that they hide real changes.
package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

var ignoreRuleBroad = &Check{
	ID:       "ignore-rule-broad",
	Summary:  "an ignoreDifferences entry hides changes people make",
	Severity: finding.Warning,
	Modes:    Offline,
	Doc: `An ignore rule is wider than the drift it was written for, so ArgoCD stops
reporting changes people make in git or by hand:

- an Application ` + "`ignoreDifferences`" + ` entry with ` + "`kind: '*'`" + ` and JSON pointers or jq
  paths: the path is ignored in every kind the app deploys;
- argocd-cm ` + "`resource.customizations.ignoreDifferences.all`" + ` with JSON pointers
  or jq paths: ignored in every object of every app of the ArgoCD instance;
- a path that hides a whole ` + "`spec`" + `, ` + "`data`" + `, ` + "`stringData`" + `, ` + "`rules`" + ` or ` + "`webhooks`" + `
  of an object: every change to it.
- an entry that hides fields the user sets in git and nothing in the cluster
  writes: each matched object is compared (internal/diffsem Explain) with a
  live copy in which every field differs, and the fields the entry alone
  hides are listed. Only built-in workload, networking, RBAC and policy
  kinds are judged; status, metadata, fields the API server allocates or
  defaults (Service clusterIP, nodePort), ` + "`caBundle`" + ` (cert-manager and
  service-ca injection), ` + "`/spec/replicas`" + ` (HPA, KEDA, kubectl scale) and
  an entry that hides container images only (Keel, Kyverno, image
  updaters) stay silent.

Rules made only of ` + "`managedFieldsManagers`" + ` are left alone: ArgoCD documents
` + "`kind: '*'`" + ` with a controller's manager as the way to ignore what that
controller writes. Matching follows argo-cd util/argo/normalizers (group and
kind are globs). Fix: scope the rule to the group, kind and name that drift,
with the narrowest path (server-field-drift and crd-default-drift propose
validated ones).`,
	Run: runIgnoreRuleBroad,
}

func init() { register(ignoreRuleBroad) }

// wholeSections are top-level fields that hold everything a user declares.
var wholeSections = []string{"spec", "data", "stringData", "binaryData", "rules", "webhooks"}

func runIgnoreRuleBroad(ctx context.Context, in *Input) []finding.Finding {
	var out []finding.Finding
	_, by := appTargets(in)
	for _, app := range in.Apps {
		if ctx.Err() != nil {
			return out
		}
		opts := appDiffOptions(in, app)
		for i, r := range app.App.Spec.IgnoreDifferences {
			why := broadness(r.Kind, r.JSONPointers, r.JQPathExpressions)
			if why == "" {
				if len(r.JSONPointers)+len(r.JQPathExpressions) == 0 {
					continue
				}
				if hidden := hiddenUserFields(ctx, by[app], r, opts); len(hidden) > 0 {
					out = append(out, broadHiddenFinding(app, i, r, hidden))
				}
				continue
			}
			loc := ruleLocation(app, i)
			out = append(out, finding.Finding{
				App: app.Name(), Location: loc,
				Message:  fmt.Sprintf("ignoreDifferences[%d] of %s %s", i, app.Name(), why),
				Evidence: []finding.Evidence{{Label: "rule", Value: ruleSummary(r) + pathSummary(r.JSONPointers, r.JQPathExpressions), At: loc}},
				Impact:   "changes to these fields, in git or by hand, never show as OutOfSync and are never reverted by selfHeal",
				Fixes: []finding.Fix{{
					Title: "Scope the entry to the objects and fields that drift", Kind: finding.FixYAML, File: loc.File,
					Patch: "# replace spec.ignoreDifferences[" + fmt.Sprint(i) + "] with entries scoped by group, kind and name, e.g.\n" +
						rulesYAML([]v1alpha1.ResourceIgnoreDifferences{{Group: "apps", Kind: "Deployment", Name: "web", JSONPointers: []string{"/spec/replicas"}}}),
				}},
			})
		}
	}
	sr := checkoutSystemRules(in)
	if sr.obj != nil && sr.rules.All != nil {
		a := sr.rules.All
		if why := broadness("*", a.JSONPointers, a.JQPathExpressions); why != "" {
			loc := objectLocation(in, sr.obj)
			out = append(out, finding.Finding{
				Object: sr.obj.Ref, Location: loc,
				Message:  "argocd-cm resource.customizations.ignoreDifferences.all hides its paths in every object of every application",
				Evidence: []finding.Evidence{{Label: "rule", Value: "resource.customizations.ignoreDifferences.all" + pathSummary(a.JSONPointers, a.JQPathExpressions), At: loc}},
				Impact:   "changes to these fields, in git or by hand, never show as OutOfSync in any app and are never reverted by selfHeal",
				Fixes: []finding.Fix{{
					Title: "Move the paths to per-kind keys (resource.customizations.ignoreDifferences.<group>_<kind>)", Kind: finding.FixYAML, File: loc.File,
					Patch: "data:\n  resource.customizations.ignoreDifferences.apps_Deployment: |\n    jsonPointers:\n      - /spec/replicas\n",
				}},
			})
		}
	}
	return out
}

// broadness says why a rule is too wide, or "".
func broadness(kind string, pointers, jq []string) string {
	if len(pointers)+len(jq) == 0 {
		return "" // managers only: the documented way to ignore a controller
	}
	for _, p := range pointers {
		for _, s := range wholeSections {
			if p == "/"+s || p == "/"+s+"/" {
				return fmt.Sprintf("ignores the whole %s", s)
			}
		}
	}
	for _, e := range jq {
		e = strings.TrimSpace(e)
		for _, s := range wholeSections {
			if e == "."+s || e == "."+s+"?" {
				return fmt.Sprintf("ignores the whole %s", s)
			}
		}
	}
	if kind == "*" {
		return "ignores its paths in every kind of object"
	}
	return ""
}

func pathSummary(pointers, jq []string) string {
	var parts []string
	if len(pointers) > 0 {
		parts = append(parts, "jsonPointers "+strings.Join(pointers, ", "))
	}
	if len(jq) > 0 {
		parts = append(parts, "jqPathExpressions "+strings.Join(jq, ", "))
	}
	return "; " + strings.Join(parts, "; ")
}
