package check

import (
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// TestVariantEvidence: a declared APIService status drifts under 2.14's
// ignoreResourceStatusField crd in every diff mode and under no 3.x
// default; the evidence says both, computed by replay.
func TestVariantEvidence(t *testing.T) {
	desired := func(annotations map[string]any) map[string]any {
		md := map[string]any{"name": "v1beta1.metrics.k8s.io"}
		if annotations != nil {
			md["annotations"] = annotations
		}
		return map[string]any{
			"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService", "metadata": md,
			"spec":   map[string]any{"group": "metrics.k8s.io", "version": "v1beta1", "groupPriorityMinimum": int64(100), "versionPriority": int64(100)},
			"status": map[string]any{"conditions": []any{map[string]any{"type": "Available", "status": "False"}}},
		}
	}
	ssaAnn := map[string]any{"argocd.argoproj.io/sync-options": "ServerSideApply=true"}
	tests := []struct {
		name        string
		desired     map[string]any
		opts        diffsem.Options
		wantNot     []string // substrings of "in sync under"
		wantAlso    []string // substrings of "also drifts under"
		wantNoNot   bool
		wantDropped string // a variant label that must not appear (same comparison as opts)
	}{
		{
			name: "2.14 client-side", desired: desired(nil), opts: diffsem.Options{ArgoCDVersion: "2.14"},
			wantNot:  []string{"ArgoCD 3.1, client-side diff, ignoreResourceStatusField all"},
			wantAlso: []string{"ArgoCD 2.14, structured-merge diff (sync option ServerSideApply=true)", "ArgoCD 2.14, server-side diff"},
		},
		{
			// argocd-cm's explicit ignoreResourceStatusField holds across
			// versions, so no variant brings the status in sync.
			name: "3.x with argocd-cm crd", desired: desired(nil),
			opts:      diffsem.Options{SystemRules: diffsem.SystemRules{IgnoreResourceStatusField: diffsem.StatusIgnoreCRD}},
			wantNoNot: true,
			wantAlso:  []string{"ArgoCD 2.14, client-side diff, ignoreResourceStatusField crd", "ArgoCD 3.1, server-side diff"},
		},
		{
			// The resource annotation makes client-side and ServerSideApply
			// the same comparison: only server-side diff remains as a mode.
			name: "annotated ServerSideApply", desired: desired(ssaAnn), opts: diffsem.Options{ArgoCDVersion: "2.14"},
			wantNot:     []string{"ArgoCD 3.1"},
			wantAlso:    []string{"ArgoCD 2.14, server-side diff"},
			wantDropped: "client-side diff",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			live := values.DeepCopyValue(tc.desired).(map[string]any)
			if !rewrite(live, diffsem.Drift{Path: "/status"}) {
				t.Fatal("rewrite /status")
			}
			ev := variantEvidence(tc.desired, live, nil, tc.opts, func(r diffsem.Result) bool { return r.Modified })
			got := map[string]string{}
			for _, e := range ev {
				got[e.Label] = e.Value
			}
			for _, w := range tc.wantNot {
				if !strings.Contains(got["in sync under"], w) {
					t.Errorf("in sync under = %q, want %q", got["in sync under"], w)
				}
			}
			for _, w := range tc.wantAlso {
				if !strings.Contains(got["also drifts under"], w) {
					t.Errorf("also drifts under = %q, want %q", got["also drifts under"], w)
				}
			}
			if _, ok := got["in sync under"]; tc.wantNoNot && ok {
				t.Errorf("in sync under = %q, want none", got["in sync under"])
			}
			if tc.wantDropped != "" && strings.Contains(got["in sync under"]+got["also drifts under"], tc.wantDropped) {
				t.Errorf("evidence %v names %q", got, tc.wantDropped)
			}
		})
	}
}
