package live

import (
	"context"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

var (
	deploymentGVR = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	configMapGVR  = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
)

// version learns the ArgoCD version from the argocd-server Deployment's
// image tag (quay.io/argoproj/argocd:v2.14.11), else takes the flag.
func (r *reader) version(ctx context.Context) {
	ns := r.opts.ArgoCDNamespace
	u, err := r.dyn.Resource(deploymentGVR).Namespace(ns).Get(ctx, "argocd-server", metav1.GetOptions{})
	switch {
	case err == nil:
		if v, image := imageVersion(u.Object); v != "" {
			r.state.ArgoCDVersion, r.state.ArgoCDVersionFrom = v, "image "+image+" of Deployment "+ns+"/argocd-server"
			return
		}
	case !apierrors.IsNotFound(err):
		r.unread("get", deploymentGVR, ns, "argocd-server", finding.ObjectRef{Group: "apps", Kind: "Deployment", Namespace: ns, Name: "argocd-server"}, err)
	}
	if r.opts.ArgoCDVersion != "" {
		r.state.ArgoCDVersion, r.state.ArgoCDVersionFrom = strings.TrimPrefix(r.opts.ArgoCDVersion, "v"), "--argocd-version"
	}
}

// imageVersion returns the version tag of the argocd container's image.
func imageVersion(deploy map[string]any) (version, image string) {
	containers, _ := manifest.Get(deploy, "spec", "template", "spec", "containers").([]any)
	for _, c := range containers {
		cm, _ := c.(map[string]any)
		image, _ = cm["image"].(string)
		if !strings.Contains(image, "argocd") {
			continue
		}
		ref, _, _ := strings.Cut(image, "@")
		i := strings.LastIndex(ref, ":")
		if i < 0 || strings.Contains(ref[i:], "/") {
			continue
		}
		tag := strings.TrimPrefix(ref[i+1:], "v")
		if tag != "" && tag[0] >= '0' && tag[0] <= '9' {
			return tag, image
		}
	}
	return "", ""
}

// argocdCM reads argocd-cm for its diff customizations.
func (r *reader) argocdCM(ctx context.Context) {
	ns := r.opts.ArgoCDNamespace
	u, err := r.dyn.Resource(configMapGVR).Namespace(ns).Get(ctx, "argocd-cm", metav1.GetOptions{})
	if err != nil {
		if !apierrors.IsNotFound(err) {
			r.unread("get", configMapGVR, ns, "argocd-cm", finding.ObjectRef{Kind: "ConfigMap", Namespace: ns, Name: "argocd-cm"}, err)
		}
		return
	}
	r.state.ArgoCDConfigMap = u.Object
}
