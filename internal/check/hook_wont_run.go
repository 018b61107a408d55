package check

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// hookWontRun finds sync hooks that automated sync will not run (again).
var hookWontRun = &Check{
	ID:       "hook-wont-run",
	Summary:  "a sync hook that automated sync never runs again",
	Severity: finding.Warning,
	Modes:    Offline,
	Doc: `ArgoCD runs resource hooks (PreSync, Sync, PostSync, SyncFail) only during a
sync operation, and automated sync starts an operation only when the app is
OutOfSync (argo-cd controller/appcontroller.go autoSync: "Skipping auto-sync:
application status is Synced"). Hooks take no part in the comparison
(controller/state.go skips resources whose ` + "`Hook`" + ` flag is set, and objects
annotated ` + "`Skip`" + `).

**Reported.**
- An Application with automated sync whose render contains only hooks (and
  ` + "`Skip`" + ` objects): it is always Synced, so automated sync never runs the hook,
  not even after its content changes. What counts as a hook follows gitops-engine
  pkg/sync/hook: an ` + "`argocd.argoproj.io/hook`" + ` annotation (unless it is only
  ` + "`Skip`" + `), or else a ` + "`helm.sh/hook`" + ` annotation other than ` + "`crd-install`" + `.
- A hook with a fixed ` + "`metadata.name`" + ` (no ` + "`generateName`" + `) whose delete
  policies are set but do not include ` + "`BeforeHookCreation`" + ` (gitops-engine
  hook/delete_policy.go defaults to BeforeHookCreation only when none is set):
  the object of the previous run is left in place whenever its policy does not
  delete it, and the next sync finds it instead of creating a new one.
- With ` + "`--base REV`" + `: a hook whose rendered content differs from its render at
  the git revision REV (or that is new since REV) while every regular resource
  of its app (all sources, matched by Application name, env and source index)
  renders identically at both revisions. The app stays Synced after the
  commit, so automated sync starts no operation; a manual-sync app shows
  Synced too, so nobody syncs it. Any regular-resource difference, even one
  ArgoCD's diff would ignore, keeps the check silent (a sync may happen), as
  do fields that differ between two renders of the same revision (random or
  time functions) and apps already reported as rendering only hooks.

**Fix.** Trigger a sync by hand
(` + "`kubectl patch application NAME -n argocd --type merge -p '{\"operation\":{\"sync\":{\"syncStrategy\":{\"hook\":{}}}}}'`" + `,
or ` + "`argocd app sync NAME`" + `). Durably: give the app a regular (non-hook)
resource whose content changes with the hook's, e.g. a ConfigMap holding the
hook's inputs, or make the Job a regular resource ordered with a sync wave; add
` + "`BeforeHookCreation`" + ` to the delete policy or use ` + "`generateName`" + `.`,
	Run: runHookWontRun,
}

func init() { register(hookWontRun) }

// appRender is everything one Application renders in one environment
// (all its sources).
type appRender struct {
	first   *Rendered
	objects []*manifest.Object
}

func runHookWontRun(ctx context.Context, in *Input) []finding.Finding {
	var keys []string
	apps := map[string]*appRender{}
	for _, r := range in.Targets {
		if r.Err != nil || r.Target.Blocked != nil {
			continue
		}
		k := r.Target.App.Declared.String() + "\x00" + r.Target.App.Name() + "\x00" + r.Target.Env
		a, ok := apps[k]
		if !ok {
			a = &appRender{first: r}
			apps[k] = a
			keys = append(keys, k)
		}
		a.objects = append(a.objects, r.Objects...)
	}
	var out []finding.Finding
	for _, k := range keys {
		if ctx.Err() != nil {
			return nil
		}
		out = append(out, hookFindings(in, apps[k])...)
	}
	return append(out, baseHookFindings(ctx, in)...)
}

func hookFindings(in *Input, a *appRender) []finding.Finding {
	var hooks []*manifest.Object
	plain := 0
	for _, o := range a.objects {
		switch hookClass(o) {
		case "hook":
			hooks = append(hooks, o)
		case "":
			plain++
		}
	}
	app := a.first.Target.App
	sp := app.App.Spec.SyncPolicy
	onlyHooks := len(hooks) > 0 && plain == 0 && sp != nil && sp.IsAutomatedSyncEnabled()
	var out []finding.Finding
	for _, h := range hooks {
		collide, policies := hookCollides(h)
		if !onlyHooks && !collide {
			continue
		}
		t := a.first.Target
		types := hookPhases(h)
		f := finding.Finding{
			App: app.Name(), Env: t.Env, Object: h.Ref, Location: hookLine(in, h),
			Evidence: []finding.Evidence{
				{Label: "hook", Value: fmt.Sprintf("%s %s", types, h.Ref)},
				{Label: "delete policy", Value: strings.Join(policies, ",")},
				{Label: "name", Value: hookNaming(h)},
			},
			Fixes: []finding.Fix{syncNowFix(app.Name(), app.App.Namespace)},
		}
		if onlyHooks {
			f.Message = fmt.Sprintf("%s hook %s/%s never runs under automated sync: %s renders nothing but hooks", types, h.Ref.Kind, h.Ref.Name, app.Name())
			f.Evidence = append([]finding.Evidence{{
				Label: "application", Value: fmt.Sprintf("%s renders %d hook(s) and no other resource: ArgoCD compares no resource, reports Synced, and automated sync never starts an operation", app.Name(), len(hooks)),
				At: app.Declared,
			}}, f.Evidence...)
			f.Impact = "the hook runs only when someone syncs by hand: a change to it (a new database, a new migration) is never applied, and nothing reports that it did not run"
		} else {
			f.Message = fmt.Sprintf("%s hook %s/%s has a fixed name and no BeforeHookCreation delete policy, so a re-run finds the previous object", types, h.Ref.Kind, h.Ref.Name)
			f.Impact = "when the previous run's object was not deleted (its policy only deletes on the other outcome), the next sync finds it instead of creating a new one: the hook does not run again, or a Job fails to update its immutable template"
			f.Fixes = nil
		}
		if collide {
			f.Fixes = append(f.Fixes, finding.Fix{
				Title: fmt.Sprintf("Add BeforeHookCreation to the delete policy of %s", h.Ref.Name),
				Kind:  finding.FixYAML, File: h.File,
				Patch: "metadata:\n  annotations:\n    argocd.argoproj.io/hook-delete-policy: " + strings.Join(append(policies, "BeforeHookCreation"), ",") + "\n",
			})
		}
		out = append(out, f)
	}
	return out
}

// hookClass says how gitops-engine treats an object (pkg/sync/hook
// hook.go IsHook/Skip, hook/helm/hook.go IsHook): "hook", "skip" (not
// applied, not compared) or "" (a regular resource).
func hookClass(o *manifest.Object) string {
	ann := o.Annotations()
	if v, ok := ann["argocd.argoproj.io/hook"]; ok {
		var types []string
		for _, t := range strings.Split(v, ",") {
			switch t = strings.TrimSpace(t); t {
			case "PreSync", "Sync", "PostSync", "SyncFail", "Skip":
				types = append(types, t)
			}
		}
		if len(types) == 1 && types[0] == "Skip" {
			return "skip"
		}
		return "hook"
	}
	if v, ok := ann["helm.sh/hook"]; ok && v != "crd-install" {
		return "hook"
	}
	return ""
}

// hookCollides reports a fixed-name hook with explicit delete policies
// none of which is BeforeHookCreation, and returns the effective policies
// (gitops-engine pkg/sync/hook/delete_policy.go DeletePolicies: Argo's
// annotation, plus Helm's mapped ones, BeforeHookCreation when none).
func hookCollides(o *manifest.Object) (bool, []string) {
	ann := o.Annotations()
	var ps []string
	for _, p := range strings.Split(ann["argocd.argoproj.io/hook-delete-policy"], ",") {
		switch p = strings.TrimSpace(p); p {
		case "HookSucceeded", "HookFailed", "BeforeHookCreation":
			ps = append(ps, p)
		}
	}
	helmMap := map[string]string{"before-hook-creation": "BeforeHookCreation", "hook-succeeded": "HookSucceeded", "hook-failed": "HookFailed"}
	for _, p := range strings.Split(ann["helm.sh/hook-delete-policy"], ",") {
		if m, ok := helmMap[strings.TrimSpace(p)]; ok {
			ps = append(ps, m)
		}
	}
	if len(ps) == 0 {
		return false, []string{"BeforeHookCreation (default)"}
	}
	fixed := manifest.GetString(o.Content, "metadata", "name") != ""
	return fixed && !slices.Contains(ps, "BeforeHookCreation"), ps
}

func hookNaming(o *manifest.Object) string {
	if manifest.GetString(o.Content, "metadata", "name") != "" {
		return "fixed metadata.name " + o.Ref.Name
	}
	return "generateName " + manifest.GetString(o.Content, "metadata", "generateName")
}

// hookLine finds the hook annotation line of o in its template or file:
// for templates, the annotation of the o.Doc-th document that has one; for
// plain manifests, the first one after the object's line.
func hookLine(in *Input, o *manifest.Object) finding.Location {
	loc := o.Location()
	if in.Files == nil || o.File == "" {
		return loc
	}
	data, err := in.Files.ReadFile(o.File)
	if err != nil {
		return loc
	}
	key := "argocd.argoproj.io/hook:"
	if _, ok := o.Annotations()["argocd.argoproj.io/hook"]; !ok {
		key = "helm.sh/hook:"
	}
	var hits []int
	for i, ln := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(ln)
		if strings.HasPrefix(t, key) || strings.HasPrefix(t, `"`+strings.TrimSuffix(key, ":")+`":`) {
			hits = append(hits, i+1)
		}
	}
	switch {
	case len(hits) == 0:
		return loc
	case o.Line > 0:
		for _, h := range hits {
			if h >= o.Line {
				return finding.Location{File: o.File, Line: h}
			}
		}
		return loc
	case o.Doc < len(hits):
		return finding.Location{File: o.File, Line: hits[o.Doc]}
	}
	return finding.Location{File: o.File, Line: hits[0]}
}

// syncNowFix starts a sync operation by hand: the Operation of argo-cd
// pkg/apis/application/v1alpha1 types.go (Operation.Sync.SyncStrategy.Hook,
// the default strategy, spelled out so hooks certainly run).
func syncNowFix(app, ns string) finding.Fix {
	if ns == "" {
		ns = "argocd"
	}
	return finding.Fix{
		Title: "Sync " + app + " now so its hooks run",
		Kind:  finding.FixKubectl,
		Patch: fmt.Sprintf(`kubectl patch application %s -n %s --type merge -p '{"operation":{"initiatedBy":{"username":"syncdoctor"},"sync":{"syncStrategy":{"hook":{}}}}}'`, app, ns) +
			"\n# durable: add a regular resource that changes with the hook (a ConfigMap of its inputs), or make it a regular resource ordered by argocd.argoproj.io/sync-wave",
	}
}

// hookPhases names the ArgoCD phases of a hook, with Helm hooks mapped as
// gitops-engine pkg/sync/hook/helm/type.go maps them.
func hookPhases(o *manifest.Object) string {
	if _, ok := o.Annotations()["argocd.argoproj.io/hook"]; ok {
		return strings.Join(o.HookTypes(), ",")
	}
	m := map[string]string{"pre-install": "PreSync", "pre-upgrade": "PreSync", "post-install": "PostSync", "post-upgrade": "PostSync"}
	var out []string
	for _, t := range o.HookTypes() {
		if p, ok := m[t]; ok && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return "Helm " + strings.Join(o.HookTypes(), ",")
	}
	return strings.Join(out, ",")
}
