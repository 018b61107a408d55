package livetest

import (
	"context"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"sigs.k8s.io/yaml"
)

// Create creates the object one YAML (or JSON) document describes, in
// namespace "default" when it is namespaced and names none, and returns
// the object as the server stored it: defaults applied, managedFields set.
func (e *Env) Create(t *testing.T, manifest string) *unstructured.Unstructured {
	t.Helper()
	obj := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(manifest), &obj.Object); err != nil {
		t.Fatalf("livetest: decoding manifest: %v\n%s", err, manifest)
	}
	m := e.mapping(t, obj.GroupVersionKind())
	if m.Scope.Name() == meta.RESTScopeNameNamespace && obj.GetNamespace() == "" {
		obj.SetNamespace("default")
	}
	got, err := e.client(m, obj.GetNamespace()).Create(context.Background(), obj, metav1.CreateOptions{FieldManager: "livetest"})
	if err != nil {
		t.Fatalf("livetest: creating %s %s: %v", obj.GetKind(), obj.GetName(), err)
	}
	return got
}

// Get reads an object back; namespace is ignored for cluster-scoped kinds.
func (e *Env) Get(t *testing.T, apiVersion, kind, namespace, name string) *unstructured.Unstructured {
	t.Helper()
	got, err := e.Resource(t, apiVersion, kind, namespace).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("livetest: getting %s %s/%s: %v", kind, namespace, name, err)
	}
	return got
}

// Resource returns the dynamic client for kind in namespace (ignored for
// cluster-scoped kinds), resolved through the server's discovery.
func (e *Env) Resource(t *testing.T, apiVersion, kind, namespace string) dynamic.ResourceInterface {
	t.Helper()
	return e.client(e.mapping(t, schema.FromAPIVersionAndKind(apiVersion, kind)), namespace)
}

// mapping resolves gvk through discovery, failing the test when the
// server does not serve it.
func (e *Env) mapping(t *testing.T, gvk schema.GroupVersionKind) *meta.RESTMapping {
	t.Helper()
	m, err := e.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		// A CRD installed after the mapper first looked: ask again.
		e.Mapper.Reset()
		m, err = e.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	if err != nil {
		t.Fatalf("livetest: no resource for %s: %v", gvk, err)
	}
	return m
}

func (e *Env) client(m *meta.RESTMapping, namespace string) dynamic.ResourceInterface {
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		return e.Dynamic.Resource(m.Resource).Namespace(namespace)
	}
	return e.Dynamic.Resource(m.Resource)
}
