// Custom resources whose CRD defaults fields the checkout omits, under a diff mode that compares them.
package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

var crdDefaultDrift = &Check{
	ID:       "crd-default-drift",
	Summary:  "defaults a CRD adds keep a custom resource OutOfSync",
	Severity: finding.Warning,
	Modes:    Offline,
	Doc: `A custom resource leaves out fields its CRD defaults (External Secrets'
` + "`remoteRef.conversionStrategy`, `decodingStrategy`, `metadataPolicy`, `target.deletionPolicy`" + `),
and the way ArgoCD compares the app reports the defaulted fields, so the app
is OutOfSync after every sync.

**Why.** The API server applies the structural-schema defaults of the CRD
on every write. ArgoCD's default client-side diff does not see them: it
keeps fields that only the live object has (gitops-engine pkg/diff). But
with ` + "`ServerSideApply=true`" + ` (an Application sync option, or the resource's
` + "`argocd.argoproj.io/sync-options`" + ` annotation) the diff is a structured merge,
and a list without list-type markers is atomic: the desired list replaces
the live one, the defaults inside its items disappear from the prediction,
and every item differs. The server-side diff (` + "`ServerSideDiff=true`" + `) can
report them the same way.

**How syncdoctor knows.** For each custom resource whose CRD the checkout
renders (any Application's objects), or that a ` + "`--crds DIR`" + ` directory
holds (for CRDs installed by another tool; rendered ones win), it applies
the real defaulting code of k8s.io/apiextensions-apiserver to the rendered
object and compares the
result with ArgoCD's own diff code (internal/diffsem) under the app's
ArgoCD version, sync and compare options, ` + "`ignoreDifferences`" + ` and the
argocd-cm (the file ` + "`--argocd-cm`" + ` or ` + "`argocdCM`" + ` in .syncdoctor.yaml names, which
wins, else one an Application renders). Without the CRD a small catalog of operators
(External Secrets ` + "`ExternalSecret`" + `; cert-manager's ` + "`Certificate`" + ` has no
defaults) stands in; each entry is tested against the operator's real CRD.
Only fields ArgoCD would report are listed. The same prediction is replayed
under the other ArgoCD major (2.14 or 3.x) and the other diff modes, and
the evidence says under which the defaults would still drift and under
which the app would be in sync.

**Fix.** Add the narrowest ` + "`ignoreDifferences`" + ` entry (a ` + "`jqPathExpressions`" + `
entry with ` + "`[]`" + ` for list items, since indexes shift), replayed through the diff
until it comes out in sync, or write the defaults out in the manifest.`,
	Run: runCRDDefaultDrift,
}

func init() { register(crdDefaultDrift) }

func runCRDDefaultDrift(ctx context.Context, in *Input) []finding.Finding {
	crds := checkoutCRDs(in)
	var out []finding.Finding
	for _, r := range in.Targets {
		if ctx.Err() != nil {
			return out
		}
		app := r.Target.App
		opts := appDiffOptions(in, app)
		for _, obj := range r.Objects {
			if obj.Ref.Group == "" || obj.IsHook() {
				continue
			}
			if f, ok := crdDefaultFinding(in, r, obj, crds, opts); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// predictedDefaults is one object as the API server would store it.
type predictedDefaults struct {
	live  map[string]any
	added []string
	// source says where the defaults come from, at the CRD when rendered.
	source string
	at     finding.Location
	crd    *crdEntry
}

// predictDefaults defaults obj with the checkout's CRD or the catalog.
func predictDefaults(in *Input, obj *manifest.Object, crds map[string]crdEntry) (predictedDefaults, bool) {
	key := obj.Ref.Group + "/" + obj.Ref.Kind
	if e, ok := crds[key]; ok {
		live, added, err := diffsem.ApplyCRDDefaults(obj.Content, e.crd)
		if err != nil {
			return predictedDefaults{}, false
		}
		return predictedDefaults{live: live, added: added, source: "CRD " + e.crd.Name, at: objectLocation(in, e.obj), crd: &e}, true
	}
	if f, ok := lookupOperator(obj.Ref.Group, obj.Ref.Kind, obj.Ref.Version); ok {
		live, added := applyOperatorDefaults(f, obj.Content)
		return predictedDefaults{live: live, added: added, source: "syncdoctor's catalog of the CRD in " + f.Module + " " + f.CRDFile}, true
	}
	return predictedDefaults{}, false
}

func crdDefaultFinding(in *Input, r *Rendered, obj *manifest.Object, crds map[string]crdEntry, opts diffsem.Options) (finding.Finding, bool) {
	app := r.Target.App
	pd, ok := predictDefaults(in, obj, crds)
	if !ok || len(pd.added) == 0 {
		return finding.Finding{}, false
	}
	rules := app.App.Spec.IgnoreDifferences
	res := diffsem.Compare(obj.Content, pd.live, rules, opts)
	if res.Err != nil || !res.Modified {
		return finding.Finding{}, false // in sync, or ignore-rule-dead reports the broken rule
	}
	var paths []string
	for _, p := range res.Paths {
		if underAny(p, pd.added) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return finding.Finding{}, false // pruning, not defaulting; out of scope here
	}
	ev := []finding.Evidence{{
		Label: "why",
		Value: fmt.Sprintf("the API server defaults %d field(s) the checkout leaves out, and the app's diff mode compares them", len(paths)),
	}}
	for i, p := range paths {
		if i == maxPathEvidence {
			ev = append(ev, finding.Evidence{Label: "more fields", Value: fmt.Sprintf("%d more defaulted fields not listed", len(paths)-i)})
			break
		}
		v, _ := valueAt(pd.live, p)
		e := finding.Evidence{Label: "field " + p, Value: fmt.Sprintf("defaulted to %s by %s", shortJSON(v, true), pd.source)}
		if pd.crd != nil {
			e.At = schemaDefaultLine(in, pd.crd.obj, obj.Ref.Version, p)
		}
		ev = append(ev, e)
	}
	ev = append(ev, finding.Evidence{Label: "compared as", Value: modeLabel(opts, obj.Content)})
	ev = append(ev, variantEvidence(obj.Content, pd.live, rules, opts, func(res diffsem.Result) bool {
		for _, p := range res.Paths {
			if underAny(p, pd.added) {
				return true
			}
		}
		return false
	})...)
	ev = append(ev, finding.Evidence{Label: "application", Value: "Application " + app.Name() + " has no ignoreDifferences entry for these fields", At: app.FieldLocation("spec.ignoreDifferences")})
	f := finding.Finding{
		App: app.Name(), Env: r.Target.Env, Object: obj.Ref, Location: objectLocation(in, obj),
		Message:  fmt.Sprintf("%s %s stays OutOfSync: its CRD defaults %s, which the checkout leaves out", obj.Ref.Kind, obj.Ref.Name, fieldList(paths)),
		Evidence: ev,
		Impact:   "the app never shows Synced, so real drift is lost in the noise; with automated sync and selfHeal ArgoCD re-applies the object in a loop",
	}
	if rule, ok := diffsem.MinimalRule(obj.Content, pd.live, rules, opts); ok && ruleCount(rule) > 0 {
		f.Fixes = ignoreFixes(app, []v1alpha1.ResourceIgnoreDifferences{rule}, "Ignore the CRD-defaulted fields (validated: the diff comes out in sync)")
	}
	return f, true
}

// fieldList names the distinct leaf fields of paths, list indexes dropped.
func fieldList(paths []string) string {
	var names []string
	seen := map[string]bool{}
	for _, p := range paths {
		toks := pointerTokens(p)
		var keep []string
		for _, t := range toks {
			if _, err := parseUint(t); err != nil {
				keep = append(keep, t)
			} else if len(keep) > 0 {
				keep[len(keep)-1] += "[]"
			}
		}
		n := strings.Join(keep, ".")
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if len(names) > 3 {
		return strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", len(names)-3)
	}
	return strings.Join(names, ", ")
}

func parseUint(s string) (int, error) {
	n := 0
	if s == "" {
		return 0, fmt.Errorf("empty")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("not a number")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

// schemaDefaultLine finds the `default:` line of the property at pointer
// p in the CRD's file: each non-index token is looked up in order, deeper
// than the previous one, then the first `default:` below the last.
func schemaDefaultLine(in *Input, crdObj *manifest.Object, version, p string) finding.Location {
	if in.Files == nil || crdObj.Line == 0 {
		return finding.Location{}
	}
	data, err := in.Files.ReadFile(crdObj.File)
	if err != nil {
		return finding.Location{}
	}
	lines := strings.Split(string(data), "\n")
	i, indent := crdObj.Line-1, -1
	// Start at the schema of the served version the object names.
	for _, anchor := range []string{"name: " + version, "openAPIV3Schema:"} {
		for j := i; j < len(lines); j++ {
			t := strings.TrimPrefix(strings.TrimSpace(lines[j]), "- ")
			if t == anchor {
				i = j
				break
			}
		}
	}
	indent = indentWidth(lines[min(i, len(lines)-1)])
	for _, tok := range pointerTokens(p) {
		if _, err := parseUint(tok); err == nil {
			continue
		}
		j, ok := schemaChild(lines, i, indent, tok)
		if !ok {
			return finding.Location{File: crdObj.File, Line: objectLocation(in, crdObj).Line}
		}
		i, indent = j, indentWidth(lines[j])
	}
	for j := i + 1; j < len(lines) && j < i+40; j++ {
		if strings.TrimSpace(lines[j]) != "" && indentWidth(lines[j]) <= indent {
			break
		}
		if strings.HasPrefix(strings.TrimSpace(lines[j]), "default:") {
			return finding.Location{File: crdObj.File, Line: j + 1}
		}
	}
	return finding.Location{File: crdObj.File, Line: i + 1}
}

// schemaChild finds property tok of the schema node at line i (indent
// indent): the first `properties:` below it (through `items:` for lists),
// then tok among that mapping's direct keys.
func schemaChild(lines []string, i, indent int, tok string) (int, bool) {
	for j := i + 1; j < len(lines); j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if indentWidth(lines[j]) <= indent {
			return 0, false
		}
		if t != "properties:" {
			continue
		}
		parent, child := indentWidth(lines[j]), -1
		for k := j + 1; k < len(lines); k++ {
			t := strings.TrimSpace(lines[k])
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
			ind := indentWidth(lines[k])
			if ind <= parent {
				return 0, false
			}
			if child < 0 {
				child = ind
			}
			if ind == child && t == tok+":" {
				return k, true
			}
		}
		return 0, false
	}
	return 0, false
}

func indentWidth(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
