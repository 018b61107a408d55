package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/managedfields"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/kube-openapi/pkg/util/proto"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// DefaultArgoCDNamespace is where ArgoCD's install manifests put it.
const DefaultArgoCDNamespace = "argocd"

// Options says which cluster to read and what of it.
type Options struct {
	// Config reaches the cluster (the user's kubeconfig, already resolved).
	Config *rest.Config
	// ArgoCDNamespace holds the Applications; default "argocd".
	ArgoCDNamespace string
	// Apps restricts the read to these Application names; all when empty.
	Apps []string
	// ArgoCDVersion is used when the cluster does not show its version
	// (argocd-server's image tag is not readable).
	ArgoCDVersion string
	// Extra returns more objects to read for an Application beyond its
	// status.resources: the desired hooks, which ArgoCD does not list
	// there. May be nil.
	Extra  func(app *v1alpha1.Application) []finding.ObjectRef
	Logger *slog.Logger
}

var applicationGVR = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "applications"}

// reader is one Read call's clients and accumulating state.
type reader struct {
	opts   Options
	dyn    dynamic.Interface
	meta   metadata.Interface
	mapper meta.RESTMapper
	log    *slog.Logger
	state  *manifest.LiveState
	cache  map[string]*manifest.Object // live objects by ref key; nil value = absent
}

// Read reads the Applications and everything the checks need. It returns an
// error only when nothing could be read (the cluster is unreachable, the
// credentials are refused, Applications cannot be listed); a read that
// fails later is recorded in LiveState.Unread and the rest still read.
func Read(ctx context.Context, opts Options) (*manifest.LiveState, error) {
	if opts.Config == nil {
		return nil, errors.New("live: no cluster configuration")
	}
	if opts.ArgoCDNamespace == "" {
		opts.ArgoCDNamespace = DefaultArgoCDNamespace
	}
	r := &reader{opts: opts, log: opts.Logger, cache: map[string]*manifest.Object{}}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	cfg := rest.CopyConfig(opts.Config)
	if cfg.QPS == 0 && cfg.Burst == 0 && cfg.RateLimiter == nil {
		// client-go's default (5 requests/s, bursts of 10) makes a run of a
		// few dozen GETs wait seconds on its own throttle; kubectl raises
		// its discovery limits the same way.
		cfg.QPS, cfg.Burst = 50, 100
	}
	var err error
	if r.dyn, err = dynamic.NewForConfig(cfg); err != nil {
		return nil, fmt.Errorf("live: dynamic client: %w", err)
	}
	if r.meta, err = metadata.NewForConfig(cfg); err != nil {
		return nil, fmt.Errorf("live: metadata client: %w", err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("live: discovery client: %w", err)
	}
	r.mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	r.state = &manifest.LiveState{
		Objects:         map[string][]*manifest.Object{},
		ArgoCDNamespace: opts.ArgoCDNamespace,
		CRDs:            map[string]map[string]any{},
	}
	apps, err := r.applications(ctx)
	if err != nil {
		return nil, err
	}
	r.version(ctx)
	r.argocdCM(ctx)
	for _, app := range apps {
		r.state.Apps = append(r.state.Apps, &manifest.LiveApp{App: app, Checkout: -1})
		r.appObjects(ctx, app)
	}
	r.namespaces(ctx, apps)
	r.crds(ctx)
	for _, app := range apps {
		// Only the out-of-sync explanation replays rules against live
		// objects; the schema is megabytes, so read it only then.
		if app.Status.Sync.Status == v1alpha1.SyncStatusCodeOutOfSync {
			r.openAPI(dc)
			break
		}
	}
	return r.state, ctx.Err()
}

// openAPI reads the cluster's OpenAPI v2 schema into a GVK parser, the one
// ArgoCD's controller builds for managedFieldsManagers rules. A cluster
// that refuses it leaves the parser nil: those rules then hide nothing
// in syncdoctor's replays, which only makes it propose fewer fixes.
func (r *reader) openAPI(dc discovery.DiscoveryInterface) {
	doc, err := dc.OpenAPISchema()
	if err != nil {
		r.log.Warn("cannot read the OpenAPI schema; managedFieldsManagers rules are not modelled", "err", err)
		return
	}
	models, err := proto.NewOpenAPIData(doc)
	if err != nil {
		r.log.Warn("cannot parse the OpenAPI schema", "err", err)
		return
	}
	parser, err := managedfields.NewGVKParser(models, false)
	if err != nil {
		r.log.Warn("cannot build a GVK parser from the OpenAPI schema", "err", err)
		return
	}
	r.state.GVKParser = parser
}

// applications lists (or gets, for named ones) the Applications.
func (r *reader) applications(ctx context.Context) ([]*v1alpha1.Application, error) {
	client := r.dyn.Resource(applicationGVR).Namespace(r.opts.ArgoCDNamespace)
	var raw []map[string]any
	if len(r.opts.Apps) == 0 {
		list, err := client.List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, fmt.Errorf("live: listing Applications in namespace %s: %w", r.opts.ArgoCDNamespace, explain(err))
		}
		for _, it := range list.Items {
			raw = append(raw, it.Object)
		}
	}
	for _, name := range r.opts.Apps {
		obj, err := client.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return nil, fmt.Errorf("live: getting Application %s/%s: %w", r.opts.ArgoCDNamespace, name, explain(err))
		}
		raw = append(raw, obj.Object)
	}
	out := make([]*v1alpha1.Application, 0, len(raw))
	for _, m := range raw {
		var app v1alpha1.Application
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(m, &app); err != nil {
			return nil, fmt.Errorf("live: decoding Application %s: %w", manifest.GetString(m, "metadata", "name"), err)
		}
		out = append(out, &app)
	}
	return out, nil
}

// explain adds what the user should do to the errors that stop a run.
func explain(err error) error {
	var dial *net.OpError
	switch {
	case errors.As(err, &dial) && dial.Op == "dial":
		return fmt.Errorf("cannot reach the cluster (is the kubeconfig's server or context right, and the API server up?): %w", err)
	case apierrors.IsUnauthorized(err):
		return fmt.Errorf("the cluster refused the credentials (expired token or certificate? re-authenticate and retry): %w", err)
	case apierrors.IsForbidden(err):
		return fmt.Errorf("RBAC denied the read (live mode needs get, list and watch): %w", err)
	}
	return err
}

// unread records a failed read that does not stop the run.
func (r *reader) unread(verb string, gvr schema.GroupVersionResource, ns, name string, ref finding.ObjectRef, err error) {
	res := gvr.Resource
	if gvr.Group != "" {
		res += "." + gvr.Group
	}
	r.log.Warn("live: read failed", "verb", verb, "resource", res, "namespace", ns, "name", name, "err", err)
	r.state.Unread = append(r.state.Unread, manifest.ReadError{
		Verb: verb, Resource: res, Namespace: ns, Name: name, Object: ref, Err: err.Error(),
	})
}
