package check

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// outOfSync explains OutOfSync resources field by field, with the writer of
// each field and the narrowest ignore rule.
var outOfSync = &Check{
	ID:       "out-of-sync",
	Summary:  "a live resource is OutOfSync, explained field by field",
	Severity: finding.Warning,
	Modes:    Live,
	Doc: `For every resource ArgoCD reports OutOfSync (` + "`status.resources[].status`" + `),
syncdoctor diffs the object the checkout renders against the live object with
ArgoCD's own diff code (argo-cd util/argo/diff StateDiffs, through
internal/diffsem) under the cluster's ArgoCD version, argocd-cm customizations
and the Application's ignoreDifferences and sync options, and names the writer
of each differing field:

- a **CRD default**: the live CRD's structural schema defaults the field
  (k8s.io/apiextensions-apiserver structural defaulting), typically inside list
  items, which a client-side or server-side apply diff compares whole;
- the **status subresource**: a controller (for an APIService, kube-apiserver's
  aggregator) owns the field through ` + "`status`" + ` in ` + "`managedFields`" + `;
- **another field manager** than ArgoCD: a controller or a mutating webhook;
- **ArgoCD's own last sync**: the checkout changed the field since the last
  sync, so the fix is a sync, not an ignore rule.

When every differing field has a writer other than ArgoCD, the finding proposes
the narrowest ` + "`ignoreDifferences`" + ` entry (diffsem.MinimalRule: group, kind, name,
JSON pointers, jq paths across lists), replayed through the diff to check that
it brings the resource in sync. When every field belongs to other field managers
(controllers, webhooks), it also proposes a ` + "`managedFieldsManagers`" + ` entry naming
them, replayed the same way with a GVK parser built from the cluster's OpenAPI
schema as ArgoCD's controller builds it: it follows the controller to whatever
fields it writes next. The checkout is compared as it is on disk: when
it is at another revision than ArgoCD's ` + "`status.sync.revision`" + `, and the diff
comes out clean, nothing is reported.`,
	Run: runOutOfSync,
}

func init() { register(outOfSync) }

// maxPathEvidence bounds the per-field evidence of one finding.
const maxPathEvidence = 12

func runOutOfSync(ctx context.Context, in *Input) []finding.Finding {
	if in.Live == nil {
		return nil
	}
	var out []finding.Finding
	for _, la := range in.Live.Apps {
		app := la.App
		if app.Status.Sync.Status != v1alpha1.SyncStatusCodeOutOfSync || la.Checkout < 0 {
			continue
		}
		opts := liveDiffOptions(in, app)
		for _, rs := range app.Status.Resources {
			if ctx.Err() != nil {
				return out
			}
			if rs.Status != v1alpha1.SyncStatusCodeOutOfSync || rs.Hook {
				continue
			}
			ref := finding.ObjectRef{Group: rs.Group, Version: rs.Version, Kind: rs.Kind, Namespace: rs.Namespace, Name: rs.Name}
			var desired *manifest.Object
			for _, d := range la.Desired {
				if manifest.SameObject(d.Ref, ref) {
					desired = d
				}
			}
			live := in.Live.FindLive(app.Name, ref)
			if desired == nil || live == nil {
				// A create or a prune: ArgoCD's own status says it plainly.
				continue
			}
			if f, ok := explainOutOfSync(in, la, desired, live, opts); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// explainOutOfSync builds the finding for one OutOfSync resource, or
// reports false when our diff of the checkout is clean (the checkout is
// not what ArgoCD compared).
func explainOutOfSync(in *Input, la *manifest.LiveApp, desired, live *manifest.Object, opts diffsem.Options) (finding.Finding, bool) {
	app := la.App
	res := diffsem.Compare(desired.Content, live.Content, app.Spec.IgnoreDifferences, opts)
	if res.Err != nil || !res.Modified || len(res.Paths) == 0 {
		return finding.Finding{}, false
	}
	writers := attribute(res.Paths, desired, live, crdOf(in.Live, live))
	secret := live.Ref.Group == "" && live.Ref.Kind == "Secret"
	var ev []finding.Evidence
	byApplier, unknown := 0, 0
	kinds := map[string]bool{}
	for i, p := range res.Paths {
		w := writers[i]
		switch w.kind {
		case writerApplier:
			byApplier++
		case writerUnknown:
			unknown++
		}
		kinds[writerLabel(w)] = true
		if i >= maxPathEvidence {
			continue
		}
		dv, dok := valueAt(res.Predicted, p)
		lv, lok := valueAt(res.Live, p)
		vals := "checkout " + shortJSON(dv, dok) + ", live " + shortJSON(lv, lok)
		if secret {
			vals = "values of Secret data not shown"
		}
		ev = append(ev, finding.Evidence{Label: "field " + p, Value: vals + "; written by " + w.String()})
	}
	if n := len(res.Paths) - maxPathEvidence; n > 0 {
		ev = append(ev, finding.Evidence{Label: "more fields", Value: fmt.Sprintf("%d more differing fields not listed", n)})
	}
	ev = append(ev, finding.Evidence{Label: "compared as", Value: fmt.Sprintf("ArgoCD %s (%s), checkout against live; ArgoCD compared revision %s",
		orDefault(in.Live.ArgoCDVersion, diffsem.VersionDefault+" (assumed)"), orDefault(in.Live.ArgoCDVersionFrom, "no version visible"), orDefault(app.Status.Sync.Revision, "unknown"))})
	what := fmt.Sprintf("%s %s", live.Ref.Kind, live.Ref.Name)
	f := finding.Finding{
		App: app.Name, Env: la.Env, Object: live.Ref, Location: desired.Location(),
		Evidence: ev,
	}
	if byApplier > 0 || unknown > 0 {
		f.Message = fmt.Sprintf("%s is OutOfSync: the checkout changes %d field(s) that ArgoCD's last sync wrote", what, len(res.Paths))
		f.Impact = "the live object is not what the checkout says until the app syncs; an ignore rule here would hide a real change"
		f.Fixes = []finding.Fix{{Title: "Sync the application", Kind: finding.FixKubectl, Patch: syncPatch(app)}}
		return f, true
	}
	f.Message = fmt.Sprintf("%s stays OutOfSync: %s rewrite(s) %d field(s) the checkout sets", what, strings.Join(sortedKeys(kinds), " and "), len(res.Paths))
	f.Impact = "the app never shows Synced, so real drift is lost in the noise; with automated sync and selfHeal ArgoCD re-applies it in a loop"
	rule, ok := diffsem.MinimalRule(desired.Content, live.Content, app.Spec.IgnoreDifferences, opts)
	if ok {
		f.Fixes = append(f.Fixes, ignoreRuleFix(in, la, rule))
	}
	if mrule, ok := managersRule(desired, live, writers, rule, app.Spec.IgnoreDifferences, opts); ok {
		fix := ignoreRuleFix(in, la, mrule)
		fix.Title = "Ignore whatever field manager " + strings.Join(mrule.ManagedFieldsManagers, ", ") +
			" writes in this object (managedFieldsManagers; validated: the diff comes out in sync)"
		f.Fixes = append(f.Fixes, fix)
	}
	return f, true
}

// managersRule is the managedFieldsManagers form of the fix, for fields
// that controllers (not the API server's status writers, not CRD
// defaults) own: it follows the controller wherever it writes, where a
// pointer rule names today's fields only. scope is MinimalRule's rule,
// whose group, kind, name and namespace it keeps. It is offered only when
// replaying it through ArgoCD's diff leaves the object in sync.
func managersRule(desired, live *manifest.Object, writers []writer, scope v1alpha1.ResourceIgnoreDifferences, existing []v1alpha1.ResourceIgnoreDifferences, opts diffsem.Options) (v1alpha1.ResourceIgnoreDifferences, bool) {
	var managers []string
	for _, w := range writers {
		if w.kind != writerOther || w.manager == "" {
			return v1alpha1.ResourceIgnoreDifferences{}, false
		}
		if !slices.Contains(managers, w.manager) {
			managers = append(managers, w.manager)
		}
	}
	if len(managers) == 0 {
		return v1alpha1.ResourceIgnoreDifferences{}, false
	}
	slices.Sort(managers)
	rule := v1alpha1.ResourceIgnoreDifferences{Group: scope.Group, Kind: scope.Kind, Name: scope.Name, Namespace: scope.Namespace, ManagedFieldsManagers: managers}
	res := diffsem.Compare(desired.Content, live.Content, append(slices.Clone(existing), rule), opts)
	return rule, res.Err == nil && !res.Modified
}

func writerLabel(w writer) string {
	switch w.kind {
	case writerCRDDefault:
		return "CRD defaults"
	case writerStatus:
		return w.manager + " (status)"
	case writerOther:
		return w.manager
	}
	return "ArgoCD"
}

// ignoreRuleFix adds rule to the checkout Application's ignoreDifferences.
func ignoreRuleFix(in *Input, la *manifest.LiveApp, rule v1alpha1.ResourceIgnoreDifferences) finding.Fix {
	item, _ := yaml.Marshal([]v1alpha1.ResourceIgnoreDifferences{rule})
	patch := "spec:\n  ignoreDifferences:\n" + indent(string(item), "  ")
	fix := finding.Fix{
		Title: "Ignore the fields other writers own (validated: the diff comes out in sync)",
		Kind:  finding.FixYAML, Patch: patch,
	}
	if la.Checkout >= 0 && la.Checkout < len(in.Apps) {
		decl := in.Apps[la.Checkout]
		fix.File = decl.Declared.File
		if decl.Origin == "yaml" {
			fix.Edits = []finding.Edit{{File: decl.Declared.File, Document: decl.DocIndex, Path: "spec.ignoreDifferences", Op: finding.OpAppend, Value: string(item)}}
		}
	}
	return fix
}

func indent(s, pre string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range lines {
		lines[i] = pre + lines[i]
	}
	return strings.Join(lines, "\n") + "\n"
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
