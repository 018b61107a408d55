package check

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/testutil/gomod"
)

// catalogSamples are objects of each catalog kind that reach every
// default: every list the defaults cross has an item, and one sample
// leaves out the parents so that whole-object defaults apply.
var catalogSamples = map[string][]string{
	"external-secrets.io/ExternalSecret": {
		`{apiVersion: external-secrets.io/v1, kind: ExternalSecret, metadata: {name: a},
		  spec: {secretStoreRef: {name: s},
		    data: [{secretKey: k, remoteRef: {key: x}}, {secretKey: g, sourceRef: {generatorRef: {kind: Password, name: p}}}],
		    dataFrom: [{extract: {key: y}}, {find: {name: {regexp: ".*"}}, rewrite: [{merge: {}}, {regexp: {source: a, target: b}}]},
		      {sourceRef: {generatorRef: {kind: Password, name: p}}}],
		    target: {name: t, template: {templateFrom: [{configMap: {name: c, items: [{key: a}]}}, {secret: {name: s, items: [{key: b}]}}]}}}}`,
		`{apiVersion: external-secrets.io/v1, kind: ExternalSecret, metadata: {name: b}, spec: {secretStoreRef: {name: s}}}`,
		`{apiVersion: external-secrets.io/v1, kind: ExternalSecret, metadata: {name: c}, spec: {target: {name: t}, data: []}}`,
	},
	"cert-manager.io/Certificate": {
		`{apiVersion: cert-manager.io/v1, kind: Certificate, metadata: {name: a},
		  spec: {secretName: s, dnsNames: [a.example], issuerRef: {name: i, kind: ClusterIssuer},
		    privateKey: {algorithm: ECDSA}, keystores: {pkcs12: {create: true, passwordSecretRef: {name: p, key: k}}}}}`,
	},
}

// TestOperatorCatalogMatchesRealCRDs downloads each operator's Go module
// through the module proxy and checks that the catalog adds exactly what
// the API server's structural defaulting adds with the real CRD.
func TestOperatorCatalogMatchesRealCRDs(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads modules")
	}
	for i := range operatorCatalog {
		f := &operatorCatalog[i]
		t.Run(f.Group+"/"+f.Kind, func(t *testing.T) {
			crd := downloadCRD(t, f.Module, f.CRDFile)
			samples := catalogSamples[f.Group+"/"+f.Kind]
			if len(samples) == 0 {
				t.Fatal("no samples for this catalog entry")
			}
			for _, s := range samples {
				var obj map[string]any
				if err := yaml.Unmarshal([]byte(s), &obj); err != nil {
					t.Fatal(err)
				}
				want, wantAdded, err := diffsem.ApplyCRDDefaults(obj, crd)
				if err != nil {
					t.Fatal(err)
				}
				got, gotAdded := applyOperatorDefaults(f, obj)
				slices.Sort(gotAdded)
				if diff := cmp.Diff(wantAdded, gotAdded); diff != "" {
					t.Errorf("%s: added paths (-real CRD +catalog):\n%s", manifestName(obj), diff)
				}
				if diff := cmp.Diff(jsonNorm(t, want), jsonNorm(t, got)); diff != "" {
					t.Errorf("%s: defaulted object (-real CRD +catalog):\n%s", manifestName(obj), diff)
				}
			}
		})
	}
}

func manifestName(obj map[string]any) string {
	md, _ := obj["metadata"].(map[string]any)
	s, _ := md["name"].(string)
	return s
}

func jsonNorm(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// downloadCRD fetches module (path@version) with `go mod download` and
// reads the CRD file inside it.
func downloadCRD(t *testing.T, module, file string) *apiextensionsv1.CustomResourceDefinition {
	t.Helper()
	dir := gomod.Download(t, module)
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	// The file may hold a leading "---"; sigs.k8s.io/yaml reads one document.
	text := strings.TrimPrefix(strings.TrimSpace(string(b)), "---")
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal([]byte(text), &crd); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return &crd
}
