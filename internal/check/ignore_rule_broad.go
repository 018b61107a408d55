// ignoreDifferences entries so wide that they hide real changes.
package check

import (
	"context"
	"fmt"
	"strings"

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
kind are globs).

**Fix.** ` + "`syncdoctor fix`" + ` replaces an Application's entry with entries for
only the group and kind (and the name where other objects of that kind
need no rule) whose fields the prediction shows drifting: fields the API
server or a controller writes (internal/diffsem PredictServerFields, e.g.
an exported ` + "`status`" + ` under ArgoCD 2.x or an APIService's
` + "`insecureSkipTLSVerify: false`" + `), CRD defaults, and fields changed in the
cluster on purpose (replicas under an autoscaler, images under an image
updater, allocated Service fields, ` + "`caBundle`" + `), each path as narrow as
diffsem MinimalRule writes it. An entry that hides nothing predicted to
drift (or only what other entries hide too) is removed. The replacement is
replayed through ArgoCD's diff: the predicted drift stays hidden exactly
as before and every field set in git that the entry hid is compared
again. The fix comes as an edit of the Application file (only the entry's
lines change), the Terraform ` + "`kubernetes_manifest`" + `'s list, and a
` + "`kubectl patch`" + ` that keeps the other entries. There is no machine fix when
a source of the app is not rendered (the entry may cover objects nobody
saw), when the entry names managedFieldsManagers, when it hides fields of
an object whose writers are unknown (a custom resource without its CRD, a
Secret's data), or for argocd-cm ` + "`.all`" + `, which reaches apps outside the
checkout.`,
	Run: runIgnoreRuleBroad,
}

func init() { register(ignoreRuleBroad) }

// wholeSections are top-level fields that hold everything a user declares.
var wholeSections = []string{"spec", "data", "stringData", "binaryData", "rules", "webhooks"}

func runIgnoreRuleBroad(ctx context.Context, in *Input) []finding.Finding {
	var out []finding.Finding
	plan := broadPlan(ctx, in)
	for _, app := range in.Apps {
		for _, e := range plan[app] {
			out = append(out, e.f)
		}
	}
	sr := checkoutSystemRules(in)
	if sr.obj != nil && sr.rules.All != nil {
		a := sr.rules.All
		if why := broadness("*", a.JSONPointers, a.JQPathExpressions); why != "" {
			loc := objectLocation(in, sr.obj)
			// No machine fix: the .all entry applies to every application
			// of the ArgoCD instance, including those outside this
			// checkout, so no prediction made here can show that narrowing
			// it keeps their drift hidden.
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
