package check

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// hookNotRun finds sync hooks of a Synced app that have not run since they
// changed.
var hookNotRun = &Check{
	ID:       "hook-not-run",
	Summary:  "a changed sync hook has not run on a synced app",
	Severity: finding.Warning,
	Modes:    Live,
	Doc: `ArgoCD runs hooks (` + "`argocd.argoproj.io/hook`" + `: PreSync, Sync, PostSync, or the
Helm hooks it maps onto them) only during a sync operation, and hooks take no
part in the comparison (argo-cd controller/state.go skips hook resources), so
an app whose only change is a hook stays Synced and automated sync never starts
an operation (controller/appcontroller.go autoSync). The migration Job you
changed never runs.

syncdoctor renders the checkout's hooks for each Synced Application and looks
at the cluster: a hook whose live object differs from the checkout (ArgoCD's
diff, internal/diffsem) has not run since it changed; a hook whose live object
is absent and that the last operation's ` + "`syncResult.resources`" + ` does not
list never ran; a hook that the last operation ran at another revision than
the one the app is Synced to may have changed since. A hook absent because its
delete policy removed it (` + "`HookSucceeded`, `HookFailed`" + `) after running at
the current revision is fine (gitops-engine pkg/sync/hook/delete_policy.go).

**Fix.** Start a sync: the ` + "`kubectl patch application`" + ` command in the finding, or
` + "`argocd app sync NAME`" + `.`,
	Run: runHookNotRun,
}

func init() { register(hookNotRun) }

// runnableHook reports whether a sync runs the hook: PreSync, Sync,
// PostSync or a Helm install/upgrade hook (gitops-engine pkg/sync/hook and
// its helm mapping); SyncFail, PostDelete and Skip do not run on success.
func runnableHook(types []string) (string, bool) {
	for _, t := range types {
		switch t {
		case "PreSync", "Sync", "PostSync", "pre-install", "pre-upgrade", "post-install", "post-upgrade":
			return t, true
		}
	}
	return "", false
}

func runHookNotRun(ctx context.Context, in *Input) []finding.Finding {
	if in.Live == nil {
		return nil
	}
	var out []finding.Finding
	for _, la := range in.Live.Apps {
		app := la.App
		if app.Status.Sync.Status != v1alpha1.SyncStatusCodeSynced || la.Checkout < 0 {
			continue
		}
		for _, d := range la.Desired {
			if ctx.Err() != nil {
				return out
			}
			phase, ok := runnableHook(d.HookTypes())
			if !ok {
				continue
			}
			if f, ok := hookFinding(in, la, d, phase); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// hookResult finds the hook's entry in the last operation's sync result.
func hookResult(op *v1alpha1.OperationState, ref finding.ObjectRef) *v1alpha1.ResourceResult {
	if op == nil || op.SyncResult == nil {
		return nil
	}
	for _, rr := range op.SyncResult.Resources {
		if rr.HookType != "" && manifest.SameObject(ref, finding.ObjectRef{Group: rr.Group, Kind: rr.Kind, Namespace: rr.Namespace, Name: rr.Name}) {
			return rr
		}
	}
	return nil
}

func hookFinding(in *Input, la *manifest.LiveApp, desired *manifest.Object, phase string) (finding.Finding, bool) {
	app := la.App
	op := app.Status.OperationState
	hr := hookResult(op, desired.Ref)
	live := in.Live.FindLive(app.Name, desired.Ref)
	what := fmt.Sprintf("%s hook %s %s", phase, desired.Ref.Kind, desired.Ref.Name)
	var msg string
	var ev []finding.Evidence
	switch {
	case live != nil:
		res := diffsem.Compare(desired.Content, live.Content, nil, liveDiffOptions(in, app))
		if res.Err != nil || !res.Modified {
			return finding.Finding{}, false
		}
		msg = what + " has not run since it changed: the live object differs from the checkout while the app is Synced"
		paths := res.Paths
		if len(paths) > 5 {
			paths = append(paths[:5:5], "…")
		}
		ev = append(ev, finding.Evidence{Label: "differing fields", Value: strings.Join(paths, ", ")})
	case hr == nil:
		msg = what + " has not run: the last sync operation did not run it and the app is Synced"
		ev = append(ev, finding.Evidence{Label: "live object", Value: "absent, and absent from the last operation's syncResult.resources"})
	default:
		lastRev, nowRev := "", app.Status.Sync.Revision
		if op.SyncResult != nil {
			lastRev = op.SyncResult.Revision
		}
		if lastRev == "" || nowRev == "" || lastRev == nowRev {
			// Ran at the current revision; its delete policy removed it.
			return finding.Finding{}, false
		}
		msg = fmt.Sprintf("%s last ran at revision %s, but the app is Synced at %s without a sync", what, short(lastRev), short(nowRev))
		ev = append(ev, finding.Evidence{Label: "last run", Value: fmt.Sprintf("hook phase %s at revision %s; the live object is gone (delete policy %s)", hr.HookPhase, lastRev, deletePolicy(desired))})
	}
	ev = append(ev, finding.Evidence{Label: "application", Value: fmt.Sprintf("%s is Synced at revision %s", app.Name, orDefault(app.Status.Sync.Revision, "unknown"))})
	if op != nil {
		ev = append(ev, finding.Evidence{Label: "last operation", Value: fmt.Sprintf("%s, finished %s", op.Phase, finishedAt(op))})
	} else {
		ev = append(ev, finding.Evidence{Label: "last operation", Value: "none recorded in status.operationState"})
	}
	return finding.Finding{
		App: app.Name, Env: la.Env, Object: desired.Ref, Location: desired.Location(),
		Message: msg, Evidence: ev,
		Impact: "what the hook does (a migration, a smoke test) has not happened for the current revision, and nothing will run it until a sync starts",
		Fixes:  []finding.Fix{{Title: "Start a sync so the hook runs", Kind: finding.FixKubectl, Patch: syncPatch(app)}},
	}, true
}

func deletePolicy(o *manifest.Object) string {
	p := o.Annotations()["argocd.argoproj.io/hook-delete-policy"]
	if p == "" {
		p = o.Annotations()["helm.sh/hook-delete-policy"]
	}
	if p == "" {
		return "BeforeHookCreation (default)"
	}
	return p
}

func finishedAt(op *v1alpha1.OperationState) string {
	if op.FinishedAt == nil {
		return "not yet"
	}
	return op.FinishedAt.UTC().Format("2006-01-02T15:04:05Z")
}

func short(rev string) string {
	if len(rev) > 12 && !slices.Contains([]byte(rev), '.') {
		return rev[:12]
	}
	return rev
}
