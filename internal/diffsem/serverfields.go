package diffsem

import (
	"github.com/syncdoctor/syncdoctor/internal/values"
	"slices"
	"strings"
)

// Drift is a field of a desired object that something in the cluster
// rewrites and that ArgoCD compares, so the app stays OutOfSync after every
// sync.
type Drift struct {
	// Path is an RFC 6901 pointer, or a jq path when it spans list items.
	Path string
	// Writer is who rewrites the field.
	Writer string
	// Why explains why ArgoCD compares it under the modelled version.
	Why string
	// Dropped means the API server does not store the declared value at
	// all, so the live object lacks the field.
	Dropped bool
}

// PredictServerFields lists the server-written fields of desired that
// ArgoCD would compare under opts. It is a catalog of what the API server
// and well-known in-cluster writers change, filtered by what ArgoCD's diff
// does not already hide:
//
//   - Fields only the live object has (managedFields, resourceVersion, uid,
//     generation, status the chart does not render, API-server defaults)
//     are never compared: gitops-engine's two-way diff
//     (pkg/diff/diff.go TwoWayDiff) patches live with desired only, so a
//     field desired omits keeps its live value. Hence the catalog only
//     reports fields desired declares.
//   - creationTimestamp, Secret stringData, Endpoints subset order and port
//     protocol, and empty Role rules are normalized away (pkg/diff Normalize),
//     and built-in kinds are remarshalled through their Go types with scheme
//     defaults applied to both sides (remarshal, applyPatch), so quantity
//     spelling or omitempty zero values in desired never drift.
//
// An APIService declaring the zero value of an omitempty field is
// reported too (Drift.Dropped): the server does not store it.
//
// CRD schema defaults inside list items are not in this catalog: they need
// the CRD (ApplyCRDDefaults, then Compare).
func PredictServerFields(obj map[string]any, opts Options) []Drift {
	var out []Drift
	group, kind := groupKind(obj)
	if st, ok := obj["status"]; ok && hasLeaf(st) && !statusHidden(group, kind, opts) {
		out = append(out, Drift{
			Path:   "/status",
			Writer: statusWriter(group, kind),
			Why: "desired declares status, which only the status subresource writes; ArgoCD " + versionLabel(opts) +
				" with ignoreResourceStatusField " + opts.EffectiveStatusMode() + " compares status of " + group + "/" + kind,
		})
	}
	if group == "rbac.authorization.k8s.io" && kind == "ClusterRole" {
		if _, agg := obj["aggregationRule"].(map[string]any); agg {
			if _, declared := obj["rules"]; declared && !(opts.IgnoreAggregatedRoles || opts.SystemRules.IgnoreAggregatedRoles) {
				out = append(out, Drift{
					Path:   "/rules",
					Writer: "clusterrole-aggregation controller (kube-controller-manager)",
					Why:    "the ClusterRole has an aggregationRule, so the controller fills rules; desired declares rules and resource.compareoptions ignoreAggregatedRoles is false",
				})
			}
		}
	}
	if group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition" && opts.major() >= 3 {
		if v, ok := nested(obj, "spec", "preserveUnknownFields"); ok && v == false {
			out = append(out, Drift{
				Path:   "/spec/preserveUnknownFields",
				Writer: "kube-apiserver (does not persist the deprecated false value in apiextensions.k8s.io/v1)",
				Why:    "ArgoCD 3.x no longer ignores it by default (docs/operator-manual/upgrading/2.14-3.0.md); 2.x ignored it with ignoreResourceStatusField crd",
			})
		}
	}
	out = append(out, caBundleDrifts(obj, group, kind)...)
	for _, d := range droppedDrifts(obj, opts) {
		// An injected caBundle is the cainjector's before it is the
		// server's: report each field once, by its real writer.
		if !slices.ContainsFunc(out, func(o Drift) bool { return o.Path == d.Path }) {
			out = append(out, d)
		}
	}
	return out
}

// droppedDrifts covers an APIService that declares a zero value of an
// omitempty field (insecureSkipTLSVerify: false, caBundle: ""), which
// the API server does not store (serverform.go; the remote-chart catalog's
// keda 2.12 and metrics-server facts are the same case). Under
// ServerSideDiff the dry run returns the stored form, so nothing drifts.
func droppedDrifts(obj map[string]any, opts Options) []Drift {
	spec, ok := apiServiceSpec(obj)
	if !ok || opts.ServerSideDiff {
		return nil
	}
	var out []Drift
	for _, k := range droppedByServer(spec) {
		out = append(out, Drift{Path: "/spec/" + k, Writer: omitEmptyWriter(k, spec[k]), Why: omitEmptyModes(spec[k]), Dropped: true})
	}
	return out
}

// statusHidden reports whether opts' status override covers group/kind.
func statusHidden(group, kind string, opts Options) bool {
	switch opts.EffectiveStatusMode() {
	case StatusIgnoreAll:
		return true
	case StatusIgnoreCRD:
		return group+"/"+kind == crdGroupKind
	}
	for _, key := range []string{group + "/" + kind, kind, allGroupKind} {
		if id, ok := opts.SystemRules.ByGroupKind[key]; ok && slices.Contains(id.JSONPointers, "/status") {
			return true
		}
	}
	return opts.SystemRules.All != nil && slices.Contains(opts.SystemRules.All.JSONPointers, "/status")
}

func statusWriter(group, kind string) string {
	switch group + "/" + kind {
	case "apiregistration.k8s.io/APIService":
		return "status subresource (kube-apiserver aggregator)"
	case crdGroupKind:
		return "status subresource (kube-apiserver apiextensions controllers)"
	}
	return "status subresource (the " + kind + " controller)"
}

// caBundleDrifts covers cert-manager's cainjector, which writes caBundle
// into objects annotated cert-manager.io/inject-ca-from (or inject-ca-from-secret,
// inject-apiserver-ca). Drift only if desired declares a caBundle itself.
func caBundleDrifts(obj map[string]any, group, kind string) []Drift {
	md, _ := obj["metadata"].(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	injected := false
	for k := range ann {
		if strings.HasPrefix(k, "cert-manager.io/inject-") {
			injected = true
		}
	}
	if !injected {
		return nil
	}
	const writer = "cert-manager cainjector"
	const why = "desired declares a caBundle that the cainjector overwrites with the injected CA"
	var out []Drift
	switch group + "/" + kind {
	case "apiregistration.k8s.io/APIService":
		if _, ok := nested(obj, "spec", "caBundle"); ok {
			out = append(out, Drift{Path: "/spec/caBundle", Writer: writer, Why: why})
		}
	case "admissionregistration.k8s.io/MutatingWebhookConfiguration", "admissionregistration.k8s.io/ValidatingWebhookConfiguration":
		hooks, _ := obj["webhooks"].([]any)
		for _, h := range hooks {
			if hm, ok := h.(map[string]any); ok {
				if _, ok := nested(hm, "clientConfig", "caBundle"); ok {
					return []Drift{{Path: ".webhooks[].clientConfig.caBundle", Writer: writer, Why: why}}
				}
			}
		}
	case crdGroupKind:
		if _, ok := nested(obj, "spec", "conversion", "webhook", "clientConfig", "caBundle"); ok {
			out = append(out, Drift{Path: "/spec/conversion/webhook/clientConfig/caBundle", Writer: writer, Why: why})
		}
	}
	return out
}

func groupKind(obj map[string]any) (string, string) {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	g, _, ok := strings.Cut(apiVersion, "/")
	if !ok {
		g = ""
	}
	return g, kind
}

func nested(obj map[string]any, keys ...string) (any, bool) {
	return values.Lookup(obj, keys)
}

func versionLabel(opts Options) string {
	if opts.ArgoCDVersion == "" {
		return VersionDefault
	}
	return opts.ArgoCDVersion
}

// hasLeaf reports whether v holds anything but empty maps: an empty status
// map merges into live without changing it.
func hasLeaf(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return true
	}
	for _, e := range m {
		if hasLeaf(e) {
			return true
		}
	}
	return false
}
