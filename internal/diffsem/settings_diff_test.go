package diffsem

import (
	"context"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/settings"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// TestOverridesMatchSettingsManager is the differential test of
// ParseArgoCDConfigMap + Options.overrides against ArgoCD 3.5.7's own
// SettingsManager.GetResourceOverrides, fed the same argocd-cm through a
// fake clientset.
func TestOverridesMatchSettingsManager(t *testing.T) {
	variants := []map[string]string{
		{},
		{"resource.compareoptions": "ignoreResourceStatusField: crd\n"},
		{"resource.compareoptions": "ignoreResourceStatusField: none\n"},
		{"resource.compareoptions": "ignoreResourceStatusField: off\n"},
		{"resource.compareoptions": "ignoreResourceStatusField: bogus\n"},
		{
			"resource.customizations.ignoreDifferences.admissionregistration.k8s.io_MutatingWebhookConfiguration": "jqPathExpressions:\n- .webhooks[]?.clientConfig.caBundle\n",
			"resource.customizations.ignoreDifferences.all":                                                       "jsonPointers:\n- /metadata/labels/x\nmanagedFieldsManagers:\n- kube-controller-manager\n",
			"resource.customizations.ignoreDifferences.ConfigMap":                                                 "jsonPointers: [/data/x]",
			"resource.customizations.knownTypeFields.argoproj.io_Rollout":                                         "- field: spec.template.spec\n  type: core/v1/PodSpec\n",
		},
		{
			"resource.customizations": "apps/Deployment:\n  ignoreDifferences: |\n    jsonPointers:\n    - /spec/replicas\n",
			"resource.compareoptions": "ignoreResourceStatusField: crd\n",
		},
	}
	for i, data := range variants {
		cm := &corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Name: "argocd-cm", Namespace: "argocd", Labels: map[string]string{"app.kubernetes.io/part-of": "argocd"}},
			Data:       data,
		}
		secret := &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Name: "argocd-secret", Namespace: "argocd", Labels: map[string]string{"app.kubernetes.io/part-of": "argocd"}},
			Data:       map[string][]byte{"server.secretkey": []byte("x")},
		}
		mgr := settings.NewSettingsManager(context.Background(), fake.NewClientset(cm, secret), "argocd")
		upstream, err := mgr.GetResourceOverrides()
		if err != nil {
			t.Fatalf("variant %d: upstream: %v", i, err)
		}
		anyData := map[string]any{}
		for k, v := range data {
			anyData[k] = v
		}
		sr, err := ParseArgoCDConfigMap(map[string]any{"data": anyData})
		if err != nil {
			t.Fatalf("variant %d: %v", i, err)
		}
		ours := Options{ArgoCDVersion: "3.5", SystemRules: sr}.overrides()
		if diff := cmp.Diff(diffView(upstream), diffView(ours), cmpEmpty); diff != "" {
			t.Errorf("variant %d (-upstream +ours):\n%s", i, diff)
		}
	}
}

// diffView keeps what the diff reads from overrides.
func diffView(m map[string]v1alpha1.ResourceOverride) map[string]v1alpha1.ResourceOverride {
	out := map[string]v1alpha1.ResourceOverride{}
	for k, ro := range m {
		id := ro.IgnoreDifferences
		if len(id.JSONPointers)+len(id.JQPathExpressions)+len(id.ManagedFieldsManagers)+len(ro.KnownTypeFields) == 0 {
			continue
		}
		out[k] = v1alpha1.ResourceOverride{IgnoreDifferences: id, KnownTypeFields: ro.KnownTypeFields}
	}
	return out
}
