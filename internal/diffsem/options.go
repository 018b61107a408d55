package diffsem

import (
	"k8s.io/apimachinery/pkg/util/managedfields"
	"strings"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
)

// Version strings accepted by Options.ArgoCDVersion.
const (
	// VersionDefault is the ArgoCD line modelled when Options.ArgoCDVersion is empty.
	VersionDefault = "3.1"
)

// Status-field modes of argocd-cm resource.compareoptions ignoreResourceStatusField.
const (
	StatusIgnoreCRD  = "crd"
	StatusIgnoreAll  = "all"
	StatusIgnoreNone = "none"
)

// crdGroupKind is the override key ArgoCD uses for CustomResourceDefinitions
// (argo-cd util/settings/settings.go, GetResourceOverrides).
const crdGroupKind = "apiextensions.k8s.io/CustomResourceDefinition"

// allGroupKind is the override key `resource.customizations.*.all` maps to.
const allGroupKind = "*/*"

// Options selects the ArgoCD behaviour to model for one Application.
type Options struct {
	// GVKParser maps managedFields onto objects for managedFieldsManagers
	// rules (ArgoCD builds it from the cluster's OpenAPI schema); without
	// it those rules hide nothing, as with ArgoCD's deduced types.
	GVKParser *managedfields.GvkParser
	// ArgoCDVersion is the ArgoCD minor ("3.1", "2.14", ...); empty means
	// VersionDefault. Only the major matters today: 2.x and 3.x differ in the
	// default of ignoreResourceStatusField and in the default tracking method.
	ArgoCDVersion string
	// SystemRules are the argocd-cm resource customizations (see ParseArgoCDConfigMap).
	SystemRules SystemRules
	// IgnoreAggregatedRoles is resource.compareoptions ignoreAggregatedRoles.
	IgnoreAggregatedRoles bool
	// ServerSideDiff models the ServerSideDiff=true compare option. No API
	// server is reachable offline, so the dry-run apply is approximated by
	// merging desired into live (see ssdRunner).
	ServerSideDiff bool
	// ServerSideApply is the Application-level ServerSideApply=true sync
	// option, under which the controller diffs with structured merge diff
	// (controller/state.go CompareAppState). The per-resource annotation
	// argocd.argoproj.io/sync-options: ServerSideApply=true on desired has
	// the same effect without this flag (gitops-engine pkg/diff Diff).
	// Offline there is no OpenAPI from the cluster, so schemas are deduced
	// (every list atomic, as in a CRD without list-type markers).
	ServerSideApply bool
	// RespectIgnoreDifferences is the RespectIgnoreDifferences=true sync
	// option. It changes what a sync writes, not what the diff reports, so
	// Compare ignores it (TestRespectIgnoreDifferencesLeavesDiffAlone);
	// callers use it to judge whether an ignore rule also stops ArgoCD from
	// overwriting the field. In argo-cd v3.5.7 only controller/sync.go reads
	// it: normalizeTargetResources normalizes live and desired with the same
	// ignore rules, turns the difference between normalized and real live
	// (status removed from both) into a patch (strategic merge for built-in
	// kinds, JSON merge otherwise) and applies it to the normalized desired,
	// so the object applied keeps the live value at every ignored path. With
	// no live object the desired object is applied unchanged.
	RespectIgnoreDifferences bool
	// JQTimeout bounds each jq path expression (argocd-cmd-params-cm
	// ignore.normalizer.jq.timeout); zero means ArgoCD's default of one
	// second (normalizers.DefaultJQExecutionTimeout).
	JQTimeout time.Duration
}

// SystemRules holds the ignoreDifferences customizations of argocd-cm.
type SystemRules struct {
	// ByGroupKind maps an override key as ArgoCD stores it ("group/Kind", or
	// "Kind" for the core group) to its ignoreDifferences.
	ByGroupKind map[string]v1alpha1.OverrideIgnoreDiff
	// All is resource.customizations.ignoreDifferences.all (key "*/*").
	All *v1alpha1.OverrideIgnoreDiff
	// KnownTypeFields maps an override key to its knownTypeFields
	// customization, which the known-types normalizer reads.
	KnownTypeFields map[string][]v1alpha1.KnownTypeField
	// IgnoreAggregatedRoles is resource.compareoptions ignoreAggregatedRoles;
	// Compare honours it or Options.IgnoreAggregatedRoles.
	IgnoreAggregatedRoles bool
	// IgnoreResourceStatusField is resource.compareoptions
	// ignoreResourceStatusField as written; empty means the version default.
	IgnoreResourceStatusField string
}

// Major reports the ArgoCD major version modelled: 2 or 3.
func (o Options) Major() int { return o.major() }

// major reports the ArgoCD major version modelled.
func (o Options) major() int {
	v := o.ArgoCDVersion
	if v == "" {
		v = VersionDefault
	}
	v = strings.TrimPrefix(v, "v")
	if strings.HasPrefix(v, "2.") || v == "2" {
		return 2
	}
	return 3
}

// trackingMethod is ArgoCD's default resource tracking method: label in 2.x,
// annotation from 3.0 (docs/operator-manual/upgrading/2.14-3.0.md).
func (o Options) trackingMethod() string {
	if o.major() == 2 {
		return "label"
	}
	return "annotation"
}

// overrides builds the map ArgoCD's SettingsManager.GetResourceOverrides
// returns: the customizations plus the /status override that
// ignoreResourceStatusField implies.
func (o Options) overrides() map[string]v1alpha1.ResourceOverride {
	out := map[string]v1alpha1.ResourceOverride{}
	for k, v := range o.SystemRules.ByGroupKind {
		ro := out[k]
		ro.IgnoreDifferences = copyOverride(v)
		out[k] = ro
	}
	if a := o.SystemRules.All; a != nil {
		ro := out[allGroupKind]
		ro.IgnoreDifferences = copyOverride(*a)
		out[allGroupKind] = ro
	}
	for k, v := range o.SystemRules.KnownTypeFields {
		ro := out[k]
		ro.KnownTypeFields = append([]v1alpha1.KnownTypeField(nil), v...)
		out[k] = ro
	}
	for _, p := range o.statusPointers() {
		addPointer(out, p.key, p.pointer)
	}
	return out
}

type keyedPointer struct{ key, pointer string }

// statusPointers mirrors the ignoreResourceStatusField switch of
// GetResourceOverrides in argo-cd util/settings/settings.go:
//   - 2.14: "" and "crd" ignore /status and /spec/preserveUnknownFields of
//     CRDs; "all" ignores /status everywhere; "off"/"false" nothing; anything
//     else (including "none", unknown there) /status of CRDs.
//   - 3.x: "" and "all" ignore /status everywhere; "crd" /status of CRDs;
//     "none"/"off"/"false" nothing; anything else /status everywhere.
func (o Options) statusPointers() []keyedPointer {
	mode := o.SystemRules.IgnoreResourceStatusField
	if o.major() == 2 {
		switch mode {
		case "", StatusIgnoreCRD:
			return []keyedPointer{{crdGroupKind, "/status"}, {crdGroupKind, "/spec/preserveUnknownFields"}}
		case StatusIgnoreAll:
			return []keyedPointer{{allGroupKind, "/status"}}
		case "off", "false":
			return nil
		default:
			return []keyedPointer{{crdGroupKind, "/status"}}
		}
	}
	switch mode {
	case "", StatusIgnoreAll:
		return []keyedPointer{{allGroupKind, "/status"}}
	case StatusIgnoreCRD:
		return []keyedPointer{{crdGroupKind, "/status"}}
	case StatusIgnoreNone, "off", "false":
		return nil
	default:
		return []keyedPointer{{allGroupKind, "/status"}}
	}
}

// EffectiveStatusMode reports how status is treated after defaults:
// StatusIgnoreAll, StatusIgnoreCRD or StatusIgnoreNone.
func (o Options) EffectiveStatusMode() string {
	ps := o.statusPointers()
	if len(ps) == 0 {
		return StatusIgnoreNone
	}
	if ps[0].key == allGroupKind {
		return StatusIgnoreAll
	}
	return StatusIgnoreCRD
}

func addPointer(m map[string]v1alpha1.ResourceOverride, key, pointer string) {
	ro := m[key]
	ro.IgnoreDifferences.JSONPointers = append(ro.IgnoreDifferences.JSONPointers, pointer)
	m[key] = ro
}

func copyOverride(v v1alpha1.OverrideIgnoreDiff) v1alpha1.OverrideIgnoreDiff {
	return v1alpha1.OverrideIgnoreDiff{
		JSONPointers:          append([]string(nil), v.JSONPointers...),
		JQPathExpressions:     append([]string(nil), v.JQPathExpressions...),
		ManagedFieldsManagers: append([]string(nil), v.ManagedFieldsManagers...),
	}
}
