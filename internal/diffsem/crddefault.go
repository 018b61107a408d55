package diffsem

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
)

// ApplyCRDDefaults returns obj as the API server would store it: defaulted
// and pruned by the structural schema of the CRD version that obj's
// apiVersion names, and the pointers of the fields the defaulting added.
//
// It follows k8s.io/apiextensions-apiserver pkg/apiserver/customresource_handler.go:
// the schema's own defaults are pruned first (PruneDefaults, as the handler
// does when it builds its per-version schemas), then the object is defaulted
// (structuraldefaulting.Default, the unstructuredDefaulter), pruned of
// unknown fields (pruning.PruneWithOptions in unstructuredSchemaCoercer) and
// cleared of nulls that a non-nullable field without default cannot hold.
// A field the pruning drops is not in the result either: the live object
// would not have it.
func ApplyCRDDefaults(obj map[string]any, crd *apiextensionsv1.CustomResourceDefinition) (map[string]any, []string, error) {
	if crd == nil {
		return nil, nil, fmt.Errorf("no CRD given")
	}
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	group, version, ok := strings.Cut(apiVersion, "/")
	if !ok {
		group, version = "", apiVersion
	}
	if group != crd.Spec.Group || kind != crd.Spec.Names.Kind {
		return nil, nil, fmt.Errorf("object %s %s is not served by CRD %s (%s/%s)", apiVersion, kind, crd.Name, crd.Spec.Group, crd.Spec.Names.Kind)
	}
	var ver *apiextensionsv1.CustomResourceDefinitionVersion
	for i := range crd.Spec.Versions {
		if crd.Spec.Versions[i].Name == version {
			ver = &crd.Spec.Versions[i]
		}
	}
	if ver == nil || !ver.Served {
		return nil, nil, fmt.Errorf("CRD %s does not serve version %q", crd.Name, version)
	}
	out, err := jsonCopy(obj)
	if err != nil {
		return nil, nil, err
	}
	if ver.Schema == nil || ver.Schema.OpenAPIV3Schema == nil {
		return out, nil, nil
	}
	var internal apiextensions.JSONSchemaProps
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(ver.Schema.OpenAPIV3Schema, &internal, nil); err != nil {
		return nil, nil, fmt.Errorf("CRD %s version %s: convert schema: %w", crd.Name, version, err)
	}
	ss, err := structuralschema.NewStructural(&internal)
	if err != nil {
		return nil, nil, fmt.Errorf("CRD %s version %s: schema is not structural: %w", crd.Name, version, err)
	}
	if err := structuraldefaulting.PruneDefaults(ss); err != nil {
		return nil, nil, fmt.Errorf("CRD %s version %s: prune defaults: %w", crd.Name, version, err)
	}
	structuraldefaulting.Default(out, ss)
	if !preservesUnknown(crd) {
		structuralpruning.Prune(out, ss, true)
	}
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(out, ss)
	added := addedPaths("", obj, out)
	sort.Strings(added)
	return out, added, nil
}

// preservesUnknown reports the deprecated spec.preserveUnknownFields, under
// which the API server does not prune.
func preservesUnknown(crd *apiextensionsv1.CustomResourceDefinition) bool {
	return crd.Spec.PreserveUnknownFields
}

// addedPaths lists pointers present in after but not in before.
func addedPaths(at string, before, after any) []string {
	var out []string
	switch a := after.(type) {
	case map[string]any:
		b, ok := before.(map[string]any)
		if !ok {
			if before == nil {
				return []string{at}
			}
			return nil
		}
		for k, v := range a {
			p := at + "/" + escapeToken(k)
			bv, found := b[k]
			if !found {
				out = append(out, p)
				continue
			}
			out = append(out, addedPaths(p, bv, v)...)
		}
	case []any:
		b, ok := before.([]any)
		if !ok || len(b) != len(a) {
			return nil
		}
		for i := range a {
			out = append(out, addedPaths(at+"/"+strconv.Itoa(i), b[i], a[i])...)
		}
	}
	return out
}
