package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/syncdoctor/syncdoctor/internal/live/livetest"
)

// rescaleMessage is what the HPA controller records on a rescale
// (kubernetes pkg/controller/podautoscaler/horizontal.go).
const rescaleMessage = "New size: 10; reason: cpu resource utilization (percentage of request) above target"

// seedHPAs creates the api Application's HPAs as ArgoCD would have synced
// them from the checkout, the status and Events the HPA controller would
// have written (envtest runs no kube-controller-manager), and the
// Application. It returns when the api HPA's last rescale happened.
func seedHPAs(t *testing.T, env *livetest.Env) time.Time {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(liveRepo, "manifests", "api", "hpa.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var api *unstructured.Unstructured
	for _, doc := range strings.Split(string(data), "\n---\n") {
		got := apply(t, env, "argocd-controller", doc)
		if got.GetName() == "api" {
			api = got
		}
	}
	// The controller scaled api to 10 and the load has not dropped yet.
	if err := unstructured.SetNestedMap(api.Object, map[string]any{"currentReplicas": int64(10), "desiredReplicas": int64(10)}, "status"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Resource(t, "autoscaling/v2", "HorizontalPodAutoscaler", "shop").UpdateStatus(context.Background(), api, metav1.UpdateOptions{FieldManager: "horizontal-pod-autoscaler"}); err != nil {
		t.Fatalf("writing HPA status: %v", err)
	}
	rescaled := time.Now().Add(-10 * time.Minute).UTC().Truncate(time.Second)
	for _, e := range []struct{ name, reason, typ, message string }{
		{"api.rescale", "SuccessfulRescale", "Normal", rescaleMessage},
		// Not a rescale: the reader's field selector leaves it out.
		{"api.metrics", "FailedGetResourceMetric", "Warning", "failed to get cpu utilization: unable to get metrics for resource cpu"},
	} {
		env.Create(t, fmt.Sprintf(`
apiVersion: v1
kind: Event
metadata: {name: %s, namespace: shop}
involvedObject: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: api, namespace: shop, uid: %q}
reason: %s
type: %s
message: %q
source: {component: horizontal-pod-autoscaler}
firstTimestamp: %q
lastTimestamp: %q
count: 1
`, e.name, api.GetUID(), e.reason, e.typ, e.message, rescaled.Format(time.RFC3339), rescaled.Format(time.RFC3339)))
	}
	env.Create(t, appYAML("api", "shop", "  syncPolicy: {automated: {selfHeal: true}}\n", fmt.Sprintf(`
  sync: {status: Synced, revision: %s}
  resources:
    - {group: autoscaling, version: v2, kind: HorizontalPodAutoscaler, namespace: shop, name: api, status: Synced}
    - {group: autoscaling, version: v2, kind: HorizontalPodAutoscaler, namespace: shop, name: worker, status: Synced}
`, revision)))
	return rescaled
}
