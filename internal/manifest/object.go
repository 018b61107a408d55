// Package manifest holds rendered Kubernetes objects with their provenance
// (which chart template or file produced them) and indexes over them.
package manifest

import (
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Object is one rendered Kubernetes object.
type Object struct {
	// Content is the object as decoded JSON (map[string]any, []any, string,
	// float64/int64, bool, nil), as the apimachinery unstructured form.
	Content map[string]any
	Ref     finding.ObjectRef
	// Source is Helm's "# Source:" path ("web/templates/job.yaml") for Helm
	// renders, or the manifest's checkout-relative path otherwise.
	Source string
	// File is the checkout-relative file that produced the object: the
	// template file for Helm, the manifest file for directories.
	File string
	// Line is the object's first line in File where known (plain
	// manifests); 0 for templates, whose output lines do not map to source.
	Line int
	// Doc is the object's 0-based position among the documents of Source.
	Doc int
}

// Location returns where the object came from.
func (o *Object) Location() finding.Location {
	return finding.Location{File: o.File, Line: o.Line}
}

// Annotations returns metadata.annotations (never nil).
func (o *Object) Annotations() map[string]string {
	return stringMap(Get(o.Content, "metadata", "annotations"))
}

// Labels returns metadata.labels (never nil).
func (o *Object) Labels() map[string]string {
	return stringMap(Get(o.Content, "metadata", "labels"))
}

// HookTypes returns the ArgoCD hook phases of the object
// (argocd.argoproj.io/hook), or, when absent, the Helm hooks ArgoCD maps
// onto them (helm.sh/hook), as ArgoCD's gitops-engine hook package reads
// them. Empty for ordinary resources.
func (o *Object) HookTypes() []string {
	ann := o.Annotations()
	if v, ok := ann["argocd.argoproj.io/hook"]; ok {
		return splitList(v)
	}
	if v, ok := ann["helm.sh/hook"]; ok {
		return splitList(v)
	}
	return nil
}

// IsHook reports whether ArgoCD treats the object as a hook. "Skip" is a
// hook type that means "do not apply", so it counts as well.
func (o *Object) IsHook() bool { return len(o.HookTypes()) > 0 }

// Get walks nested maps by keys and returns the value or nil.
func Get(m map[string]any, keys ...string) any {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}

// GetString is Get for string leaves; "" when absent or not a string.
func GetString(m map[string]any, keys ...string) string {
	s, _ := Get(m, keys...).(string)
	return s
}

func stringMap(v any) map[string]string {
	out := map[string]string{}
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			if s, ok := x.(string); ok {
				out[k] = s
			}
		}
	}
	return out
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// RefOf builds the ObjectRef of a decoded object, using defaultNS when the
// object has no namespace of its own.
func RefOf(content map[string]any, defaultNS string) finding.ObjectRef {
	apiVersion := GetString(content, "apiVersion")
	group, version := "", apiVersion
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		group, version = apiVersion[:i], apiVersion[i+1:]
	}
	ns := GetString(content, "metadata", "namespace")
	if ns == "" {
		ns = defaultNS
	}
	return finding.ObjectRef{
		Group: group, Version: version,
		Kind:      GetString(content, "kind"),
		Namespace: ns,
		Name:      GetString(content, "metadata", "name"),
	}
}
