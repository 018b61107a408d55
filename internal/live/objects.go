package live

import (
	"context"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// appObjects reads the objects app's status.resources names, the objects
// of its last operation's sync result (hooks among them) and the extra
// refs the caller asks for.
func (r *reader) appObjects(ctx context.Context, app *v1alpha1.Application) {
	var refs []finding.ObjectRef
	for _, rs := range app.Status.Resources {
		refs = append(refs, finding.ObjectRef{Group: rs.Group, Version: rs.Version, Kind: rs.Kind, Namespace: rs.Namespace, Name: rs.Name})
	}
	if op := app.Status.OperationState; op != nil && op.SyncResult != nil {
		for _, rr := range op.SyncResult.Resources {
			refs = append(refs, finding.ObjectRef{Group: rr.Group, Version: rr.Version, Kind: rr.Kind, Namespace: rr.Namespace, Name: rr.Name})
		}
	}
	if r.opts.Extra != nil {
		refs = append(refs, r.opts.Extra(app)...)
	}
	seen := map[string]bool{}
	for _, ref := range refs {
		if ctx.Err() != nil {
			return
		}
		obj := r.get(ctx, ref)
		if obj == nil || seen[refKey(obj.Ref)] {
			continue
		}
		seen[refKey(obj.Ref)] = true
		r.state.Objects[app.Name] = append(r.state.Objects[app.Name], obj)
	}
}

// refKey identifies an object regardless of version.
func refKey(ref finding.ObjectRef) string {
	return ref.Group + "/" + ref.Kind + "/" + ref.Namespace + "/" + ref.Name
}

// get reads one object, nil when it does not exist or cannot be read (the
// latter recorded as unread). Each object is read once per run.
func (r *reader) get(ctx context.Context, ref finding.ObjectRef) *manifest.Object {
	key := refKey(ref)
	if obj, done := r.cache[key]; done {
		return obj
	}
	r.cache[key] = nil
	m, err := r.mapping(ref.Group, ref.Kind, ref.Version)
	if err != nil {
		r.unread("get", schema.GroupVersionResource{Group: ref.Group, Resource: strings.ToLower(ref.Kind)}, ref.Namespace, ref.Name, ref, err)
		return nil
	}
	client := r.dyn.Resource(m.Resource)
	var got map[string]any
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		u, err := client.Namespace(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err != nil {
			r.getFailed(m.Resource, ref, err)
			return nil
		}
		got = u.Object
	} else {
		u, err := client.Get(ctx, ref.Name, metav1.GetOptions{})
		if err != nil {
			r.getFailed(m.Resource, ref, err)
			return nil
		}
		got = u.Object
	}
	obj := &manifest.Object{Content: got, Ref: manifest.RefOf(got, "")}
	r.cache[key] = obj
	return obj
}

func (r *reader) getFailed(gvr schema.GroupVersionResource, ref finding.ObjectRef, err error) {
	if apierrors.IsNotFound(err) {
		return // absent: a fact the checks use, not a failed read
	}
	r.unread("get", gvr, ref.Namespace, ref.Name, ref, err)
}

// mapping resolves a kind through discovery; version may be empty (the
// group's preferred version).
func (r *reader) mapping(group, kind, version string) (*meta.RESTMapping, error) {
	gk := schema.GroupKind{Group: group, Kind: kind}
	if version != "" {
		return r.mapper.RESTMapping(gk, version)
	}
	return r.mapper.RESTMapping(gk)
}

// builtinGroups serve kinds that no CRD defines.
var builtinGroups = map[string]bool{
	"": true, "apps": true, "batch": true, "autoscaling": true, "policy": true, "networking.k8s.io": true,
	"rbac.authorization.k8s.io": true, "storage.k8s.io": true, "apiregistration.k8s.io": true,
	"apiextensions.k8s.io": true, "admissionregistration.k8s.io": true, "coordination.k8s.io": true,
	"discovery.k8s.io": true, "scheduling.k8s.io": true, "certificates.k8s.io": true, "node.k8s.io": true,
	"flowcontrol.apiserver.k8s.io": true, "events.k8s.io": true, "resource.k8s.io": true,
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// crds reads the CRD of every custom kind among the live objects, so
// checks can tell CRD defaults from other writers.
func (r *reader) crds(ctx context.Context) {
	for _, objs := range r.state.Objects {
		for _, o := range objs {
			gk := o.Ref.Group + "/" + o.Ref.Kind
			if builtinGroups[o.Ref.Group] {
				continue
			}
			if _, done := r.state.CRDs[gk]; done {
				continue
			}
			r.state.CRDs[gk] = nil
			m, err := r.mapping(o.Ref.Group, o.Ref.Kind, o.Ref.Version)
			if err != nil {
				continue // recorded when the object itself was read
			}
			name := m.Resource.Resource + "." + m.Resource.Group
			u, err := r.dyn.Resource(crdGVR).Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				if !apierrors.IsNotFound(err) { // NotFound: an aggregated API, no CRD
					r.unread("get", crdGVR, "", name, finding.ObjectRef{}, err)
				}
				delete(r.state.CRDs, gk)
				continue
			}
			r.state.CRDs[gk] = u.Object
		}
	}
	for k, v := range r.state.CRDs {
		if v == nil {
			delete(r.state.CRDs, k)
		}
	}
}
