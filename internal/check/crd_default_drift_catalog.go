package check

import (
	"strconv"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/values"
)

// operatorFacts is what syncdoctor knows about the structural defaults of
// a popular operator's custom resource, for checkouts that use the
// resource without rendering its CRD (the operator is installed by another
// repository). Every entry is tested against the operator's real CRD:
// crd_default_drift_catalog_test.go downloads the operator's Go module and
// asserts that diffsem.ApplyCRDDefaults with that CRD adds exactly these
// fields.
type operatorFacts struct {
	Group, Kind string
	Versions    []string // served versions the defaults hold for
	// Evidence names the CRD the facts come from.
	Module, CRDFile string
	// Defaults in schema order, parents before children: a default
	// applies where its parent object exists and the field is absent
	// (k8s.io/apiextensions-apiserver pkg/apiserver/schema/defaulting).
	// Paths are jq paths, `[]` for every item of a list.
	Defaults []operatorDefault
}

// operatorDefault is one `default:` of a CRD schema.
type operatorDefault struct {
	Path  string
	Value any
}

const esoModule = "github.com/external-secrets/external-secrets@v1.3.2"

// operatorCatalog lists the facts. cert-manager's Certificate is listed
// with no defaults on purpose: its CRD defines none, so a Certificate
// never drifts this way.
var operatorCatalog = []operatorFacts{
	{
		Group: "external-secrets.io", Kind: "ExternalSecret", Versions: []string{"v1"},
		Module: esoModule, CRDFile: "config/crds/bases/external-secrets.io_externalsecrets.yaml",
		Defaults: []operatorDefault{
			{".spec.data[].remoteRef.conversionStrategy", "Default"},
			{".spec.data[].remoteRef.decodingStrategy", "None"},
			{".spec.data[].remoteRef.metadataPolicy", "None"},
			{".spec.data[].sourceRef.generatorRef.apiVersion", "generators.external-secrets.io/v1alpha1"},
			{".spec.dataFrom[].extract.conversionStrategy", "Default"},
			{".spec.dataFrom[].extract.decodingStrategy", "None"},
			{".spec.dataFrom[].extract.metadataPolicy", "None"},
			{".spec.dataFrom[].find.conversionStrategy", "Default"},
			{".spec.dataFrom[].find.decodingStrategy", "None"},
			{".spec.dataFrom[].rewrite[].merge.conflictPolicy", "Error"},
			{".spec.dataFrom[].rewrite[].merge.into", ""},
			{".spec.dataFrom[].rewrite[].merge.priorityPolicy", "Strict"},
			{".spec.dataFrom[].rewrite[].merge.strategy", "Extract"},
			{".spec.dataFrom[].sourceRef.generatorRef.apiVersion", "generators.external-secrets.io/v1alpha1"},
			{".spec.refreshInterval", "1h0m0s"},
			{".spec.target", map[string]any{"creationPolicy": "Owner", "deletionPolicy": "Retain"}},
			{".spec.target.creationPolicy", "Owner"},
			{".spec.target.deletionPolicy", "Retain"},
			{".spec.target.template.engineVersion", "v2"},
			{".spec.target.template.mergePolicy", "Replace"},
			{".spec.target.template.templateFrom[].configMap.items[].templateAs", "Values"},
			{".spec.target.template.templateFrom[].secret.items[].templateAs", "Values"},
			{".spec.target.template.templateFrom[].target", "Data"},
		},
	},
	{
		Group: "cert-manager.io", Kind: "Certificate", Versions: []string{"v1"},
		Module: "github.com/cert-manager/cert-manager@v1.19.2", CRDFile: "deploy/crds/cert-manager.io_certificates.yaml",
	},
}

// lookupOperator returns the catalog entry for a group, kind and version.
func lookupOperator(group, kind, version string) (*operatorFacts, bool) {
	for i := range operatorCatalog {
		f := &operatorCatalog[i]
		if f.Group == group && f.Kind == kind {
			for _, v := range f.Versions {
				if v == version {
					return f, true
				}
			}
		}
	}
	return nil, false
}

// applyOperatorDefaults returns a defaulted deep copy of obj and the RFC
// 6901 pointers of the fields it added, sorted as the catalog lists them.
func applyOperatorDefaults(f *operatorFacts, obj map[string]any) (map[string]any, []string) {
	out, _ := values.DeepCopyValue(obj).(map[string]any)
	var added []string
	for _, d := range f.Defaults {
		toks := strings.Split(strings.TrimPrefix(d.Path, "."), ".")
		setDefault(out, "", toks, d.Value, &added)
	}
	return out, added
}

// setDefault walks toks ("data[]" steps into every list item) and sets
// the last one where its parent exists and it is absent.
func setDefault(cur map[string]any, at string, toks []string, val any, added *[]string) {
	key, list := strings.CutSuffix(toks[0], "[]")
	if len(toks) == 1 {
		if _, ok := cur[key]; !ok && !list {
			cur[key] = values.DeepCopyValue(val)
			*added = append(*added, at+"/"+key)
		}
		return
	}
	next := cur[key]
	if !list {
		if m, ok := next.(map[string]any); ok {
			setDefault(m, at+"/"+key, toks[1:], val, added)
		}
		return
	}
	items, _ := next.([]any)
	for i, it := range items {
		if m, ok := it.(map[string]any); ok {
			setDefault(m, at+"/"+key+"/"+strconv.Itoa(i), toks[1:], val, added)
		}
	}
}
