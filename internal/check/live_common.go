package check

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
)

// Helpers shared by the live checks (out-of-sync, stale-pod-config,
// hook-not-run). Live state arrives as plain data in Input.Live.

// syncPatch is the kubectl command that starts a sync operation on app,
// the way `argocd app sync` does: by setting the Application's operation
// field, which the application controller picks up
// (argo-cd controller/appcontroller.go processRequestedAppOperation).
func syncPatch(app *v1alpha1.Application) string {
	return fmt.Sprintf(`kubectl patch application %s -n %s --type merge -p '{"operation":{"sync":{"syncStrategy":{"hook":{}}}}}'`,
		app.Name, app.Namespace)
}

// liveDiffOptions builds the diffsem options for one cluster Application:
// the cluster's ArgoCD version and argocd-cm, the app's sync and compare
// options.
func liveDiffOptions(in *Input, app *v1alpha1.Application) diffsem.Options {
	st := in.Live
	rules, _ := in.Memo("live:argocd-cm", func() any {
		if st.ArgoCDConfigMap == nil {
			return diffsem.SystemRules{}
		}
		sr, err := diffsem.ParseArgoCDConfigMap(st.ArgoCDConfigMap)
		if err != nil {
			// ArgoCD itself fails on such a ConfigMap; model none.
			return diffsem.SystemRules{}
		}
		return sr
	}).(diffsem.SystemRules)
	opts := diffsem.Options{ArgoCDVersion: st.ArgoCDVersion, SystemRules: rules, GVKParser: st.GVKParser}
	if sp := app.Spec.SyncPolicy; sp != nil {
		opts.ServerSideApply = sp.SyncOptions.HasOption("ServerSideApply=true")
		opts.RespectIgnoreDifferences = sp.SyncOptions.HasOption("RespectIgnoreDifferences=true")
	}
	// argo-cd controller/state.go reads compare options from this
	// annotation on the Application.
	opts.ServerSideDiff = strings.Contains(app.Annotations["argocd.argoproj.io/compare-options"], "ServerSideDiff=true")
	return opts
}

// parseTime reads a metav1.Time as the API server writes it (RFC 3339,
// seconds); zero when absent or malformed.
func parseTime(v any) time.Time {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// valueAt returns the value at an RFC 6901 pointer, and whether it exists.
func valueAt(doc any, ptr string) (any, bool) {
	cur := doc
	for _, tok := range pointerTokens(ptr) {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// pointerTokens splits and unescapes an RFC 6901 pointer.
func pointerTokens(ptr string) []string {
	if ptr == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return parts
}

// shortJSON renders a value for evidence, truncated.
func shortJSON(v any, ok bool) string {
	if !ok {
		return "(absent)"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const limit = 80
	if len(b) > limit {
		return string(b[:limit]) + "…"
	}
	return string(b)
}

// sameJSON compares two decoded JSON values by their encoding, so that
// int64 and float64 spellings of one number are equal.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// sortedKeys returns a set's members in order.
func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
