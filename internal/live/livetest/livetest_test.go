package livetest_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/syncdoctor/syncdoctor/internal/live/livetest"
)

// TestRealServer pins down what the real kube-apiserver and the real CRDs
// do to objects, since live-mode checks explain OutOfSync fields by these
// very effects. One control plane serves all subtests; they run in order
// because the APIService one makes an API group unavailable.
func TestRealServer(t *testing.T) {
	env := livetest.Start(t, livetest.Options{})

	t.Run("kubeconfig reaches the server", func(t *testing.T) {
		cfg, err := clientcmd.BuildConfigFromFlags("", env.Kubeconfig)
		if err != nil {
			t.Fatalf("loading %s: %v", env.Kubeconfig, err)
		}
		dc, err := discovery.NewDiscoveryClientForConfig(cfg)
		if err != nil {
			t.Fatal(err)
		}
		v, err := dc.ServerVersion()
		if err != nil {
			t.Fatalf("server version through the kubeconfig: %v", err)
		}
		// install-test-assets stamps the release into the binary and
		// names the directory after it.
		if dir := filepath.Base(env.AssetsDir); strings.HasPrefix(dir, "v1.") && v.GitVersion != dir {
			t.Errorf("server version = %q, want %q (the assets directory's name)", v.GitVersion, dir)
		}
	})

	t.Run("ArgoCD Application CRD is served and has no defaults", func(t *testing.T) {
		got := env.Create(t, `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: guestbook}
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: guestbook}
  source: {repoURL: https://example.invalid/repo.git, path: guestbook, targetRevision: HEAD}
`)
		want := map[string]any{
			"project":     "default",
			"destination": map[string]any{"server": "https://kubernetes.default.svc", "namespace": "guestbook"},
			"source":      map[string]any{"repoURL": "https://example.invalid/repo.git", "path": "guestbook", "targetRevision": "HEAD"},
		}
		if diff := cmp.Diff(want, got.Object["spec"]); diff != "" {
			t.Errorf("Application spec after create (-want +got):\n%s", diff)
		}
	})

	t.Run("ExternalSecret remoteRef gets CRD defaults", func(t *testing.T) {
		env.Create(t, `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db}
spec:
  secretStoreRef: {name: vault, kind: SecretStore}
  target: {name: db}
  data:
  - secretKey: password
    remoteRef: {key: db/password}
`)
		got := env.Get(t, "external-secrets.io/v1", "ExternalSecret", "default", "db")
		data, _, _ := unstructured.NestedSlice(got.Object, "spec", "data")
		if len(data) != 1 {
			t.Fatalf("spec.data = %v, want one entry", data)
		}
		// The structural-schema defaults of ESO v1.3.2's CRD.
		want := map[string]any{
			"key":                "db/password",
			"conversionStrategy": "Default",
			"decodingStrategy":   "None",
			"metadataPolicy":     "None",
		}
		if diff := cmp.Diff(want, data[0].(map[string]any)["remoteRef"]); diff != "" {
			t.Errorf("spec.data[0].remoteRef after create (-want +got):\n%s", diff)
		}
		if ri, _, _ := unstructured.NestedString(got.Object, "spec", "refreshInterval"); ri != "1h0m0s" {
			t.Errorf("spec.refreshInterval = %q, want the CRD default 1h0m0s", ri)
		}
	})

	t.Run("HPA v2 without behavior gets metrics, not behavior", func(t *testing.T) {
		got := env.Create(t, `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
`)
		want := map[string]any{
			"scaleTargetRef": map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
			"minReplicas":    int64(1),
			"maxReplicas":    int64(5),
			"metrics": []any{map[string]any{
				"type": "Resource",
				"resource": map[string]any{
					"name":   "cpu",
					"target": map[string]any{"type": "Utilization", "averageUtilization": int64(80)},
				},
			}},
		}
		if diff := cmp.Diff(want, got.Object["spec"]); diff != "" {
			t.Errorf("HPA spec after create (-want +got):\n%s", diff)
		}
	})

	t.Run("aggregator writes APIService status through the status subresource", func(t *testing.T) {
		env.Create(t, `
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io}
spec:
  group: metrics.k8s.io
  version: v1beta1
  service: {name: metrics-server, namespace: kube-system}
  groupPriorityMinimum: 100
  versionPriority: 100
  insecureSkipTLSVerify: true
`)
		var got *unstructured.Unstructured
		ctx := context.Background()
		client := env.Resource(t, "apiregistration.k8s.io/v1", "APIService", "")
		err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 20*time.Second, true, func(ctx context.Context) (bool, error) {
			var err error
			if got, err = client.Get(ctx, "v1beta1.metrics.k8s.io", metav1.GetOptions{}); err != nil {
				return false, err
			}
			conds, _, _ := unstructured.NestedSlice(got.Object, "status", "conditions")
			return len(conds) > 0, nil
		})
		if err != nil {
			t.Fatalf("waiting for the aggregator to write status.conditions: %v", err)
		}

		if port, _, _ := unstructured.NestedInt64(got.Object, "spec", "service", "port"); port != 443 {
			t.Errorf("spec.service.port = %d, want the server default 443", port)
		}
		conds, _, _ := unstructured.NestedSlice(got.Object, "status", "conditions")
		cond := conds[0].(map[string]any)
		if cond["type"] != "Available" || cond["status"] != "False" || cond["reason"] != "ServiceNotFound" {
			t.Errorf("status.conditions[0] = %v, want Available=False reason ServiceNotFound", cond)
		}
		var managers []string
		for _, mf := range got.GetManagedFields() {
			managers = append(managers, mf.Manager+"/"+mf.Subresource)
		}
		// The server orders managedFields its own way; the set is the fact.
		sort.Strings(managers)
		want := []string{"kube-apiserver/status", "livetest/"}
		if diff := cmp.Diff(want, managers); diff != "" {
			t.Errorf("managedFields manager/subresource (-want +got):\n%s", diff)
		}
	})
}
