// Fields the API server or a controller rewrites that the app's ArgoCD version compares.
package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

var serverFieldDrift = &Check{
	ID:       "server-field-drift",
	Summary:  "a field the server rewrites keeps an app OutOfSync",
	Severity: finding.Warning,
	Modes:    Offline,
	Doc: `An object declares a field that something in the cluster rewrites, and the
configured ArgoCD version compares it, so the app is OutOfSync after every
sync: ` + "`status`" + ` (written only through the status subresource), the ` + "`caBundle`" + ` that
cert-manager's cainjector injects into webhook configurations, APIServices
and CRDs, the ` + "`rules`" + ` of an aggregated ClusterRole, a CRD's deprecated
` + "`preserveUnknownFields: false`" + `, or an APIService's ` + "`insecureSkipTLSVerify: false`" + `
(or empty ` + "`caBundle`" + `), which the API server does not store (omitempty in
apiregistration/v1): the client-side diff and ServerSideApply compare the
declared value with a live object without the field, a server-side diff
does not. A vendored copy of a chart the catalog below knows (keda 2.12)
cites the same evidence.

**Why.** ArgoCD's diff keeps fields only the live object has, so a status
the checkout does not declare never drifts. A status it does declare (a
manifest exported with ` + "`kubectl get -o yaml`" + `, a chart that templates
` + "`status: {}`" + ` with content) is compared unless argocd-cm
` + "`resource.compareoptions`" + ` ` + "`ignoreResourceStatusField`" + ` hides it: ArgoCD 2.x
defaults to ` + "`crd`" + ` (status of CRDs only), 3.x to ` + "`all`" + `
(argo-cd util/settings/settings.go, docs/operator-manual/upgrading/2.14-3.0.md).
Set the version with ` + "`--argocd-version`" + ` or ` + "`argocdVersion`" + ` in .syncdoctor.yaml.

**How syncdoctor knows.** internal/diffsem's catalog of server-written
fields (PredictServerFields) proposes the fields; each is replayed through
ArgoCD's own diff code against a predicted live object with the app's
` + "`ignoreDifferences`" + ` and argocd-cm (the file ` + "`--argocd-cm`" + ` or ` + "`argocdCM`" + ` in
.syncdoctor.yaml names, which wins, else one an Application renders; other
argocd-cm files in the checkout are not read), and reported only when the
diff comes out OutOfSync. The evidence then names the ArgoCD versions and
diff modes under which the same live object would compare in sync and
those under which it drifts too, from the same replay under the other
major (2.14 or 3.x) and the other diff modes.

**Charts that are not rendered.** A chart from a Helm repository that
cannot be pulled (` + "`--offline`" + `) is judged from diffsem's catalog of
well-known charts (keda 2.12's ` + "`insecureSkipTLSVerify: false`" + `, which the API
server does not store; aws-load-balancer-controller ≤ 1.4.1's placeholder
webhook ` + "`caBundle`" + ` under cert-manager; ...), each fact citing the chart
template at a tag and the issues where users hit it, with the values read
from the Application. When a value file is not visible, nothing is guessed.

**Fix.** Remove the field from the manifest (best for an exported
` + "`status`" + `), or add the narrowest ` + "`ignoreDifferences`" + ` entry, validated by the
same replay.`,
	Run: runServerFieldDrift,
}

func init() { register(serverFieldDrift) }

func runServerFieldDrift(ctx context.Context, in *Input) []finding.Finding {
	var out []finding.Finding
	for _, r := range in.Targets {
		if ctx.Err() != nil {
			return out
		}
		opts := appDiffOptions(in, r.Target.App)
		for _, obj := range r.Objects {
			if f, ok := serverFieldFinding(in, r, obj, opts); ok {
				out = append(out, f)
			}
		}
	}
	return append(out, remoteChartFindings(in, diffsem.WrittenInCluster)...)
}

func serverFieldFinding(in *Input, r *Rendered, obj *manifest.Object, opts diffsem.Options) (finding.Finding, bool) {
	app := r.Target.App
	rules := app.App.Spec.IgnoreDifferences
	var drifts []diffsem.Drift
	predicted := diffsem.PredictServerFields(obj.Content, opts)
	if len(predicted) == 0 {
		return finding.Finding{}, false // most objects: no copy needed
	}
	live := values.DeepCopyValue(obj.Content).(map[string]any)
	for _, d := range predicted {
		one := values.DeepCopyValue(obj.Content).(map[string]any)
		if !rewrite(one, d) {
			continue
		}
		// Keep only what ArgoCD reports with the app's own rules.
		if res := diffsem.Compare(obj.Content, one, rules, opts); res.Err != nil || !res.Modified {
			continue
		}
		rewrite(live, d)
		drifts = append(drifts, d)
	}
	if len(drifts) == 0 {
		return finding.Finding{}, false
	}
	ev := []finding.Evidence{}
	var paths []string
	for _, d := range drifts {
		paths = append(paths, d.Path)
		ev = append(ev, finding.Evidence{Label: "field " + d.Path, Value: "written by " + d.Writer + "; " + d.Why})
	}
	ev = append(ev, finding.Evidence{Label: "compared as", Value: modeLabel(opts, obj.Content)})
	ev = append(ev, variantEvidence(obj.Content, live, rules, opts, func(res diffsem.Result) bool { return res.Modified })...)
	ev = append(ev, catalogEvidence(r, obj, paths)...)
	ev = append(ev, finding.Evidence{Label: "application", Value: "Application " + app.Name() + " has no ignoreDifferences entry for these fields", At: app.FieldLocation("spec.ignoreDifferences")})
	f := finding.Finding{
		App: app.Name(), Env: r.Target.Env, Object: obj.Ref, Location: objectLocation(in, obj),
		Message:  fmt.Sprintf("%s %s stays OutOfSync: it declares %s, rewritten by %s", obj.Ref.Kind, obj.Ref.Name, strings.Join(paths, ", "), drifts[0].Writer),
		Evidence: ev,
		Impact:   "the app never shows Synced, so real drift is lost in the noise; with automated sync and selfHeal ArgoCD re-applies the object in a loop",
	}
	rule := scopeOf(obj)
	for _, p := range paths {
		if strings.HasPrefix(p, ".") {
			rule.JQPathExpressions = append(rule.JQPathExpressions, p)
		} else {
			rule.JSONPointers = append(rule.JSONPointers, p)
		}
	}
	if res := diffsem.Compare(obj.Content, live, append(append([]v1alpha1.ResourceIgnoreDifferences(nil), rules...), rule), opts); res.Err == nil && !res.Modified {
		f.Fixes = ignoreFixes(app, []v1alpha1.ResourceIgnoreDifferences{rule}, "Ignore the server-written fields (validated: the diff comes out in sync)")
	}
	return f, true
}

// scopeOf is an ignoreDifferences entry scoped to one object, as
// diffsem.MinimalRule scopes its proposals.
func scopeOf(obj *manifest.Object) v1alpha1.ResourceIgnoreDifferences {
	return v1alpha1.ResourceIgnoreDifferences{
		Group: obj.Ref.Group, Kind: obj.Ref.Kind, Name: obj.Ref.Name,
		Namespace: manifest.GetString(obj.Content, "metadata", "namespace"),
	}
}

// catalogEvidence cites diffsem's catalog of well-known charts when the
// object comes from a vendored copy of a catalogued chart: the remote
// chart's finding and this one then give the same upstream evidence.
func catalogEvidence(r *Rendered, obj *manifest.Object, paths []string) []finding.Evidence {
	if r.Chart == nil || r.Chart.Metadata == nil {
		return nil
	}
	var ev []finding.Evidence
	for _, p := range paths {
		for _, f := range diffsem.FactsAbout(r.Chart.Metadata.Name, r.Chart.Metadata.Version, obj.Content, p) {
			ev = append(ev, finding.Evidence{Label: "known upstream", Value: fmt.Sprintf("syncdoctor's catalog of well-known charts (%s): chart %s %s renders it this way", f.ID, r.Chart.Metadata.Name, f.Versions)})
			for _, e := range f.Evidence {
				ev = append(ev, finding.Evidence{Label: "evidence", Value: e})
			}
		}
	}
	return ev
}

// rewrite changes the field d names the way its writer would: a status
// replaced by the server's, a caBundle by the injected CA, aggregated
// rules extended, a field the server does not store removed. It reports
// false for a path it does not model.
func rewrite(obj map[string]any, d diffsem.Drift) bool {
	const injected = "c3luY2RvY3Rvci1wcmVkaWN0ZWQtY2E=" // any CA other than the declared one
	if d.Dropped {
		return removePointer(obj, d.Path)
	}
	switch d.Path {
	case "/status":
		obj["status"] = map[string]any{"conditions": []any{map[string]any{
			"type": "Available", "status": "True", "reason": "Passed", "lastTransitionTime": "2024-01-01T00:00:00Z",
		}}}
	case "/spec/caBundle":
		spec, ok := obj["spec"].(map[string]any)
		if !ok {
			return false
		}
		spec["caBundle"] = injected
	case ".webhooks[].clientConfig.caBundle":
		hooks, _ := obj["webhooks"].([]any)
		for _, h := range hooks {
			if cc, ok := manifest.Get(asMap(h), "clientConfig").(map[string]any); ok {
				cc["caBundle"] = injected
			}
		}
	case "/spec/conversion/webhook/clientConfig/caBundle":
		cc, ok := manifest.Get(obj, "spec", "conversion", "webhook", "clientConfig").(map[string]any)
		if !ok {
			return false
		}
		cc["caBundle"] = injected
	case "/rules":
		rules, _ := obj["rules"].([]any)
		obj["rules"] = append(append([]any(nil), rules...), map[string]any{
			"apiGroups": []any{""}, "resources": []any{"pods"}, "verbs": []any{"get"},
		})
	case "/spec/preserveUnknownFields":
		spec, ok := obj["spec"].(map[string]any)
		if !ok {
			return false
		}
		delete(spec, "preserveUnknownFields")
	default:
		return false
	}
	return true
}

// removePointer deletes the map key RFC 6901 pointer p names; it reports
// false when p does not name a key of a map.
func removePointer(obj map[string]any, p string) bool {
	m, last, ok := pointerParent(obj, p)
	parent, isMap := m.(map[string]any)
	if !ok || !isMap {
		return false
	}
	if _, has := parent[last]; !has {
		return false
	}
	delete(parent, last)
	return true
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
