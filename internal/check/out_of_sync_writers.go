package check

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// appliers are the field managers ArgoCD syncs as: argocd-controller
// (common.ArgoCDSSAManager, server-side apply and, in 3.x, client-side
// apply through gitops-engine pkg/utils/kube/resource_ops.go), the
// argocd-application-controller user agent of older client-side applies,
// and kubectl-client-side-apply
// (common.DefaultClientSideApplyMigrationManager). A field they own holds
// what a sync applied.
var appliers = []string{"argocd-controller", "argocd-application-controller", "kubectl-client-side-apply"}

// writerKind classifies who wrote a differing field.
type writerKind int

const (
	writerUnknown    writerKind = iota
	writerApplier               // a sync applied it: the checkout changed since
	writerStatus                // a controller through the status subresource
	writerCRDDefault            // the CRD's structural-schema default
	writerOther                 // another manager: a controller or a mutating webhook
)

// writer says who wrote one differing field.
type writer struct {
	kind                            writerKind
	manager, operation, subresource string
	time                            string
	crd                             string
}

func (w writer) String() string {
	switch w.kind {
	case writerCRDDefault:
		return "the default in the schema of CRD " + w.crd + ", applied by the API server"
	case writerStatus:
		return fmt.Sprintf("field manager %s through the status subresource (%s at %s)", w.manager, w.operation, w.time)
	case writerOther:
		return fmt.Sprintf("field manager %s, not ArgoCD: a controller or a mutating webhook (%s at %s)", w.manager, w.operation, w.time)
	case writerApplier:
		return fmt.Sprintf("ArgoCD's own last sync (field manager %s, %s at %s)", w.manager, w.operation, w.time)
	}
	return "no field manager owns it"
}

// crdOf returns the live CRD serving obj, nil when there is none.
func crdOf(st *manifest.LiveState, obj *manifest.Object) *apiextensionsv1.CustomResourceDefinition {
	m := st.CRDs[obj.Ref.Group+"/"+obj.Ref.Kind]
	if m == nil {
		return nil
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(m, &crd); err != nil {
		return nil
	}
	return &crd
}

// attribute finds the writer of each differing path. CRD defaults come
// first: the server applies them inside the creating request, so
// managedFields credits them to whoever created the object.
func attribute(paths []string, desired, live *manifest.Object, crd *apiextensionsv1.CustomResourceDefinition) []writer {
	var defaulted map[string]any
	var added []string
	if crd != nil {
		defaulted, added, _ = diffsem.ApplyCRDDefaults(desired.Content, crd)
	}
	out := make([]writer, len(paths))
	for i, p := range paths {
		if defaulted != nil && underAny(p, added) {
			dv, dok := valueAt(defaulted, p)
			lv, lok := valueAt(live.Content, p)
			if dok && lok && sameJSON(dv, lv) {
				out[i] = writer{kind: writerCRDDefault, crd: crd.Name}
				continue
			}
		}
		out[i] = managerOf(p, live.Content)
	}
	return out
}

// underAny reports whether p is one of prefixes or inside one.
func underAny(p string, prefixes []string) bool {
	for _, q := range prefixes {
		if p == q || strings.HasPrefix(p, q+"/") {
			return true
		}
	}
	return false
}

// managerOf finds the managedFields entries owning path in live
// (k8s.io/apimachinery pkg/apis/meta/v1 ManagedFieldsEntry; the FieldsV1
// encoding of sigs.k8s.io/structured-merge-diff fieldpath: "f:<name>" for
// fields, "k:<json>" / "v:<json>" / "i:<n>" for list items). A non-applier
// owner wins over an applier: it is the one that keeps rewriting.
func managerOf(path string, live map[string]any) writer {
	entries, _ := manifest.Get(live, "metadata", "managedFields").([]any)
	var found []writer
	for _, e := range entries {
		em, _ := e.(map[string]any)
		fields, _ := em["fieldsV1"].(map[string]any)
		if fields == nil || !owns(fields, pointerTokens(path), live) {
			continue
		}
		w := writer{
			manager: str(em["manager"]), operation: str(em["operation"]),
			subresource: str(em["subresource"]), time: str(em["time"]),
		}
		switch {
		case w.subresource == "status":
			w.kind = writerStatus
		case slices.Contains(appliers, w.manager):
			w.kind = writerApplier
		default:
			w.kind = writerOther
		}
		found = append(found, w)
	}
	if len(found) == 0 {
		return writer{}
	}
	slices.SortStableFunc(found, func(a, b writer) int { return rank(b.kind) - rank(a.kind) })
	return found[0]
}

func rank(k writerKind) int {
	switch k {
	case writerStatus:
		return 3
	case writerOther:
		return 2
	case writerApplier:
		return 1
	}
	return 0
}

func str(v any) string { s, _ := v.(string); return s }

// owns walks a FieldsV1 set along the path's tokens, matching list items
// of live against the set's item keys.
func owns(fields map[string]any, toks []string, live any) bool {
	node, cur := fields, live
	for _, tok := range toks {
		switch c := cur.(type) {
		case map[string]any:
			next, ok := node["f:"+tok].(map[string]any)
			if !ok {
				return false
			}
			node, cur = next, c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return false
			}
			next := itemNode(node, c[i], i)
			if next == nil {
				return false
			}
			node, cur = next, c[i]
		default:
			return false
		}
	}
	return true
}

// itemNode finds the FieldsV1 node of one list item.
func itemNode(node map[string]any, item any, index int) map[string]any {
	for k, v := range node {
		child, _ := v.(map[string]any)
		if child == nil {
			continue
		}
		switch {
		case k == "i:"+strconv.Itoa(index):
			return child
		case strings.HasPrefix(k, "v:"):
			var val any
			if json.Unmarshal([]byte(k[2:]), &val) == nil && sameJSON(val, item) {
				return child
			}
		case strings.HasPrefix(k, "k:"):
			var key map[string]any
			im, _ := item.(map[string]any)
			if json.Unmarshal([]byte(k[2:]), &key) != nil || im == nil {
				continue
			}
			match := true
			for kk, kv := range key {
				if !sameJSON(kv, im[kk]) {
					match = false
				}
			}
			if match {
				return child
			}
		}
	}
	return nil
}
