package manifest

import (
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"k8s.io/apimachinery/pkg/util/managedfields"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// LiveState is what live mode read from a cluster, as plain data for
// checks: checks never hold a client.
type LiveState struct {
	// Objects are live objects keyed by the name of the Application that
	// manages them (its status.resources, plus the desired hooks, which
	// status.resources never lists). Live objects have no File or Line.
	Objects map[string][]*Object
	// ArgoCDNamespace is where the Applications were read.
	ArgoCDNamespace string
	// ArgoCDVersion is the ArgoCD version the cluster runs ("2.14.11"),
	// and ArgoCDVersionFrom says how it was learnt (an image tag, a flag).
	ArgoCDVersion, ArgoCDVersionFrom string
	// ArgoCDConfigMap is the argocd-cm ConfigMap, nil when absent or not
	// readable; its resource.customizations apply to every diff.
	ArgoCDConfigMap map[string]any
	// Apps are the cluster's Applications that were asked for.
	Apps []*LiveApp
	// Pods, Workloads (ReplicaSets, Deployments, StatefulSets, DaemonSets)
	// and ConfigSources (ConfigMaps and Secrets, metadata only: never
	// Secret data) of the namespaces the Applications deploy to.
	Pods, Workloads, ConfigSources []*Object
	// HPAs are the HorizontalPodAutoscalers (autoscaling/v2, as the API
	// server returns them: behavior defaults filled, status included) of
	// the namespaces the Applications deploy to.
	HPAs []*Object
	// RescaleEvents are the core/v1 Events with reason SuccessfulRescale
	// about those HPAs, as the HPA controller records each scaling.
	RescaleEvents []*Object
	// GVKParser reads the cluster's OpenAPI schema (GET /openapi/v2), as
	// ArgoCD's cluster cache does: managedFieldsManagers rules need it to
	// map managedFields onto objects; nil when the schema was not read.
	GVKParser *managedfields.GvkParser
	// CRDs are the CustomResourceDefinitions of the live custom resources,
	// keyed by "group/Kind", as the server serves them.
	CRDs map[string]map[string]any
	// Unread are the reads that failed (RBAC, missing kinds); what they
	// would have shown is absent above.
	Unread []ReadError
}

// LiveApp is one Application as the cluster has it, with the checkout's
// desired state when an Application of the same name was found there.
type LiveApp struct {
	// App is ArgoCD's own type, status included.
	App *v1alpha1.Application
	// Checkout is the index in check.Input.Apps of the checkout's
	// Application of the same name, -1 when none matched.
	Checkout int
	// Env is the environment of the checkout Targets that matched.
	Env string
	// Desired are the objects the checkout renders for the Application
	// (all its sources); nil when Checkout is -1 or rendering failed.
	Desired []*Object
}

// ReadError is one read live mode could not make.
type ReadError struct {
	// Verb and Resource say what was attempted ("list", "pods").
	Verb, Resource string
	// Namespace is empty for cluster-scoped reads; Name for gets.
	Namespace, Name string
	// Object is set when the read was for one known object.
	Object finding.ObjectRef
	// Err is the server's answer ("pods is forbidden: User ... cannot
	// list resource ...").
	Err string
}

// Live returns the live objects of app (nil when none were read).
func (s *LiveState) Live(app string) []*Object {
	if s == nil {
		return nil
	}
	return s.Objects[app]
}

// FindLive returns the live object of app with ref's group, kind, name
// and namespace (a cluster-scoped live object matches any namespace, since
// rendered refs get the default namespace), or nil.
func (s *LiveState) FindLive(app string, ref finding.ObjectRef) *Object {
	for _, o := range s.Live(app) {
		if SameObject(o.Ref, ref) {
			return o
		}
	}
	return nil
}

// SameObject compares identities, treating an empty namespace on either
// side as cluster-scoped: manifest.RefOf gives rendered cluster-scoped
// objects the Application's namespace, ArgoCD's status gives them none.
func SameObject(a, b finding.ObjectRef) bool {
	if a.Group != b.Group || a.Kind != b.Kind || a.Name != b.Name {
		return false
	}
	return a.Namespace == b.Namespace || a.Namespace == "" || b.Namespace == ""
}
