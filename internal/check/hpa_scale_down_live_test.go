package check

import (
	"context"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// TestHPAScaleDownLive covers what the envtest run does not: HPAs no
// Application lists, an HPA without behavior, no rescale Events.
func TestHPAScaleDownLive(t *testing.T) {
	hpaObj := func(name string, behavior map[string]any) *manifest.Object {
		spec := map[string]any{"minReplicas": int64(1), "maxReplicas": int64(4)}
		if behavior != nil {
			spec["behavior"] = behavior
		}
		c := map[string]any{
			"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
			"metadata": map[string]any{"name": name, "namespace": "shop"},
			"spec":     spec,
			"status":   map[string]any{"currentReplicas": int64(1), "desiredReplicas": int64(1)},
		}
		return &manifest.Object{Content: c, Ref: manifest.RefOf(c, "")}
	}
	app := &v1alpha1.Application{ObjectMeta: metav1.ObjectMeta{Name: "shop", Namespace: "argocd"}}
	app.Status.Resources = []v1alpha1.ResourceStatus{{Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler", Namespace: "shop", Name: "legacy"}}
	in := &Input{Live: &manifest.LiveState{
		Apps: []*manifest.LiveApp{{App: app, Checkout: -1}},
		HPAs: []*manifest.Object{
			hpaObj("legacy", nil),
			hpaObj("unmanaged", nil), // listed in the namespace, not in any Application
		},
	}}
	got := runHPAScaleDown(context.Background(), in)
	if len(got) != 1 {
		t.Fatalf("findings = %+v, want one for legacy", got)
	}
	f := got[0]
	if f.Object.Name != "legacy" || f.App != "shop" || f.Severity != finding.Info || !f.Location.IsZero() || len(f.Fixes) != 0 {
		t.Errorf("finding = %+v; want info on the live object, no location or fix without a checkout", f)
	}
	ev := map[string]string{}
	for _, e := range f.Evidence {
		ev[e.Label] = e.Value
	}
	if ev["recent rescales"] == "" || ev["replicas now"] != "current 1, desired 1 (HPA status)" || ev["behavior"] == "" {
		t.Errorf("evidence = %v", ev)
	}
	if _, ok := ev["scale-down from now"]; ok {
		t.Errorf("an HPA at minReplicas has nothing to give back: %v", ev)
	}
}
