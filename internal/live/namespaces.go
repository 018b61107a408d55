package live

import (
	"context"
	"slices"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// workloadGVRs are the owners a pod's ownerReferences lead through.
var workloadGVRs = []schema.GroupVersionResource{
	{Group: "apps", Version: "v1", Resource: "replicasets"},
	{Group: "apps", Version: "v1", Resource: "deployments"},
	{Group: "apps", Version: "v1", Resource: "statefulsets"},
	{Group: "apps", Version: "v1", Resource: "daemonsets"},
}

var (
	podGVR    = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	secretGVR = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
)

// namespaces lists pods, workloads, ConfigMaps and Secrets in every
// namespace the Applications deploy to. Secrets are listed through the
// metadata API: their data never leaves the server.
func (r *reader) namespaces(ctx context.Context, apps []*v1alpha1.Application) {
	var nss []string
	add := func(ns string) {
		if ns != "" && !slices.Contains(nss, ns) {
			nss = append(nss, ns)
		}
	}
	for _, app := range apps {
		add(app.Spec.Destination.Namespace)
		for _, rs := range app.Status.Resources {
			add(rs.Namespace)
		}
	}
	slices.Sort(nss)
	for _, ns := range nss {
		if ctx.Err() != nil {
			return
		}
		r.state.Pods = append(r.state.Pods, r.list(ctx, podGVR, "Pod", ns)...)
		for _, gvr := range workloadGVRs {
			r.state.Workloads = append(r.state.Workloads, r.list(ctx, gvr, kindOf(gvr), ns)...)
		}
		r.state.ConfigSources = append(r.state.ConfigSources, r.list(ctx, configMapGVR, "ConfigMap", ns)...)
		r.state.ConfigSources = append(r.state.ConfigSources, r.listMetadata(ctx, secretGVR, "Secret", ns)...)
		r.hpas(ctx, ns)
	}
}

func kindOf(gvr schema.GroupVersionResource) string {
	switch gvr.Resource {
	case "replicasets":
		return "ReplicaSet"
	case "deployments":
		return "Deployment"
	case "statefulsets":
		return "StatefulSet"
	}
	return "DaemonSet"
}

// list lists one resource in ns as full objects.
func (r *reader) list(ctx context.Context, gvr schema.GroupVersionResource, kind, ns string) []*manifest.Object {
	l, err := r.dyn.Resource(gvr).Namespace(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		r.unread("list", gvr, ns, "", finding.ObjectRef{}, err)
		return nil
	}
	out := make([]*manifest.Object, 0, len(l.Items))
	for _, it := range l.Items {
		it.SetKind(kind)
		it.SetAPIVersion(gvr.GroupVersion().String())
		out = append(out, &manifest.Object{Content: it.Object, Ref: manifest.RefOf(it.Object, "")})
	}
	return out
}

// listMetadata lists one resource in ns as metadata only (managedFields
// included).
func (r *reader) listMetadata(ctx context.Context, gvr schema.GroupVersionResource, kind, ns string) []*manifest.Object {
	l, err := r.meta.Resource(gvr).Namespace(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		r.unread("list", gvr, ns, "", finding.ObjectRef{}, err)
		return nil
	}
	out := make([]*manifest.Object, 0, len(l.Items))
	for i := range l.Items {
		md, err := toMap(&l.Items[i].ObjectMeta)
		if err != nil {
			continue
		}
		content := map[string]any{"apiVersion": gvr.GroupVersion().String(), "kind": kind, "metadata": md}
		out = append(out, &manifest.Object{Content: content, Ref: manifest.RefOf(content, "")})
	}
	return out
}
