package pipeline_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/syncdoctor/syncdoctor/internal/live/livetest"
)

// seedCluster creates what the incidents need and lets the real server
// write: defaults, the aggregator's APIService status, managedFields
// times. ArgoCD's syncs are modelled by server-side applies as
// argocd-controller, its controller by Application status.
func seedCluster(t *testing.T, env *livetest.Env) {
	t.Helper()
	for _, ns := range []string{"argocd", "shop"} {
		env.Create(t, "apiVersion: v1\nkind: Namespace\nmetadata: {name: "+ns+"}\n")
	}
	env.Create(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: argocd-server, namespace: argocd}
spec:
  selector: {matchLabels: {app: argocd-server}}
  template:
    metadata: {labels: {app: argocd-server}}
    spec:
      containers: [{name: argocd-server, image: "quay.io/argoproj/argocd:v2.14.11"}]
`)
	seedRBAC(t, env)

	// metrics-server: the aggregator writes status.conditions.
	apply(t, env, "argocd-controller", `
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
	waitFor(t, env, "apiregistration.k8s.io/v1", "APIService", "", "v1beta1.metrics.k8s.io", func(u *unstructured.Unstructured) bool {
		c, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
		return len(c) > 0
	})

	// shop-secrets: the CRD defaults remoteRef fields.
	apply(t, env, "argocd-controller", `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db-credentials, namespace: shop}
spec:
  refreshInterval: 1h0m0s
  secretStoreRef: {kind: ClusterSecretStore, name: vault}
  target: {name: db-credentials}
  data:
    - secretKey: password
      remoteRef: {key: shop/db, property: password}
`)

	// webhooks: ArgoCD applies a placeholder caBundle, cainjector (another
	// field manager) writes the real one.
	apply(t, env, "argocd-controller", `
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: policy-defaults
  annotations: {cert-manager.io/inject-ca-from: kube-system/policy-webhook}
webhooks:
  - name: defaults.policy.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    failurePolicy: Ignore
    clientConfig:
      service: {name: policy-webhook, namespace: kube-system, path: /mutate}
      caBundle: Cg==
    rules: [{apiGroups: [policy.example.com], apiVersions: [v1], operations: [CREATE], resources: [widgets]}]
`)
	apply(t, env, "cert-manager-cainjector", `
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: policy-defaults}
webhooks:
  - name: defaults.policy.example.com
    clientConfig: {caBundle: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==}
`)

	// web: the pod starts, then a sync changes its ConfigMap.
	apply(t, env, "argocd-controller", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config, namespace: shop}\ndata: {LOG_LEVEL: info}\n")
	deploy := apply(t, env, "argocd-controller", `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          envFrom: [{configMapRef: {name: web-config}}]
`)
	rs := env.Create(t, fmt.Sprintf(`
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7c9f8b6d4
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: %q, controller: true}]
spec:
  replicas: 1
  selector: {matchLabels: {app: web, pod-template-hash: 7c9f8b6d4}}
  template:
    metadata: {labels: {app: web, pod-template-hash: 7c9f8b6d4}}
    spec:
      containers: [{name: web, image: "nginx:1.27", envFrom: [{configMapRef: {name: web-config}}]}]
`, deploy.GetUID()))
	pod := env.Create(t, fmt.Sprintf(`
apiVersion: v1
kind: Pod
metadata:
  name: web-7c9f8b6d4-x2x7q
  namespace: shop
  labels: {app: web, pod-template-hash: 7c9f8b6d4}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7c9f8b6d4, uid: %q, controller: true}]
spec:
  containers: [{name: web, image: "nginx:1.27", envFrom: [{configMapRef: {name: web-config}}]}]
`, rs.GetUID()))
	// There is no kubelet: write the start time through the status
	// subresource, an hour before the ConfigMap change below.
	started := metav1.NewTime(time.Now().Add(-time.Hour).UTC())
	if err := unstructured.SetNestedField(pod.Object, started.Format(time.RFC3339), "status", "startTime"); err != nil {
		t.Fatal(err)
	}
	_ = unstructured.SetNestedField(pod.Object, "Running", "status", "phase")
	if _, err := env.Resource(t, "v1", "Pod", "shop").UpdateStatus(context.Background(), pod, metav1.UpdateOptions{FieldManager: "kubelet"}); err != nil {
		t.Fatalf("writing pod status: %v", err)
	}
	apply(t, env, "argocd-controller", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config, namespace: shop}\ndata: {LOG_LEVEL: debug}\n")

	seedApplications(t, env)
}

// seedApplications creates the cluster's Applications with the status
// ArgoCD's controller would have written.
func seedApplications(t *testing.T, env *livetest.Env) {
	t.Helper()
	finished := time.Now().Add(-30 * time.Minute).UTC().Format(time.RFC3339)
	apps := []string{
		appYAML("metrics-server", "kube-system", "", fmt.Sprintf(`
  sync: {status: OutOfSync, revision: %s}
  resources:
    - {group: apiregistration.k8s.io, version: v1, kind: APIService, name: v1beta1.metrics.k8s.io, status: OutOfSync}
`, revision)),
		appYAML("shop-secrets", "shop", "  syncPolicy: {syncOptions: [ServerSideApply=true]}\n", fmt.Sprintf(`
  sync: {status: OutOfSync, revision: %s}
  resources:
    - {group: external-secrets.io, version: v1, kind: ExternalSecret, namespace: shop, name: db-credentials, status: OutOfSync}
`, revision)),
		appYAML("webhooks", "kube-system", "", fmt.Sprintf(`
  sync: {status: OutOfSync, revision: %s}
  resources:
    - {group: admissionregistration.k8s.io, version: v1, kind: MutatingWebhookConfiguration, name: policy-defaults, status: OutOfSync}
`, revision)),
		appYAML("web", "shop", "  syncPolicy: {automated: {selfHeal: true}}\n", fmt.Sprintf(`
  sync: {status: Synced, revision: %[1]s}
  resources:
    - {group: apps, version: v1, kind: Deployment, namespace: shop, name: web, status: Synced}
    - {version: v1, kind: ConfigMap, namespace: shop, name: web-config, status: Synced}
  operationState:
    operation: {sync: {revision: %[1]s}}
    phase: Succeeded
    startedAt: %[2]q
    finishedAt: %[2]q
    syncResult:
      revision: %[1]s
      resources:
        - {group: batch, version: v1, kind: Job, namespace: shop, name: smoke-test, hookType: PostSync, hookPhase: Succeeded, status: Synced, syncPhase: PostSync}
`, revision, finished)),
	}
	for _, a := range apps {
		got := env.Create(t, a)
		if _, ok := got.Object["status"]; !ok {
			t.Fatalf("Application %s lost its status on create: the CRD now has a status subresource; write it with UpdateStatus", got.GetName())
		}
	}
}

func appYAML(name, ns, syncPolicy, status string) string {
	return fmt.Sprintf(`
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: %s, namespace: argocd}
spec:
  project: default
  source: {repoURL: "https://git.example.com/platform/cluster.git", targetRevision: main, path: manifests/%s}
  destination: {server: "https://kubernetes.default.svc", namespace: %s}
%sstatus:%s`, name, name, ns, syncPolicy, status)
}

// seedRBAC creates a read-only ClusterRole (get, list, watch on
// everything), one that also lacks pods and secrets, and binds them to
// service accounts the tests impersonate.
func seedRBAC(t *testing.T, env *livetest.Env) {
	t.Helper()
	env.Create(t, `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: syncdoctor-reader}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch]}
`)
	env.Create(t, `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: syncdoctor-nopods}
rules:
  - {apiGroups: [""], resources: [configmaps, services, namespaces], verbs: [get, list, watch]}
  - {apiGroups: [""], resources: [events], verbs: [list]}
  - {apiGroups: [apps, batch, autoscaling, argoproj.io, apiregistration.k8s.io, admissionregistration.k8s.io, external-secrets.io, apiextensions.k8s.io], resources: ["*"], verbs: [get, list, watch]}
`)
	for _, name := range []string{"syncdoctor-reader", "syncdoctor-nopods"} {
		env.Create(t, fmt.Sprintf(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: %[1]s}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %[1]s}
subjects: [{kind: ServiceAccount, name: %[1]s, namespace: argocd}]
`, name))
	}
}
