package diffsem

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/testutil/gomod"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

func readCRD(t *testing.T, path string) *apiextensionsv1.CustomResourceDefinition {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(b, &crd); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &crd
}

var esoDefaults = []string{
	"/spec/data/0/remoteRef/conversionStrategy",
	"/spec/data/0/remoteRef/decodingStrategy",
	"/spec/data/0/remoteRef/metadataPolicy",
	"/spec/data/1/remoteRef/conversionStrategy",
	"/spec/data/1/remoteRef/decodingStrategy",
	"/spec/data/1/remoteRef/metadataPolicy",
	"/spec/target/creationPolicy",
	"/spec/target/deletionPolicy",
}

// checkESODefaulting asserts the ESO defaults and the diff verdicts on them.
func checkESODefaulting(t *testing.T, crd *apiextensionsv1.CustomResourceDefinition) {
	t.Helper()
	desired := readYAML(t, "testdata/eso-desired.yaml")
	defaulted, added, err := ApplyCRDDefaults(desired, crd)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range esoDefaults {
		if !slices.Contains(added, p) {
			t.Errorf("added %v lacks %s", added, p)
		}
	}
	if got, _ := nested(defaulted, "spec", "target", "creationPolicy"); got != "Owner" {
		t.Errorf("creationPolicy = %v", got)
	}
	// Under ServerSideApply (structured merge diff) the defaults in list
	// items drift; the client-side diff strips live-only fields
	// (gitops-engine threeWayMergePatch, RemoveMapFields) and does not.
	if r := Compare(desired, defaulted, nil, Options{}); r.Err != nil || r.Modified {
		t.Errorf("client-side diff: Modified=%v Err=%v paths=%v", r.Modified, r.Err, r.Paths)
	}
	r := Compare(desired, defaulted, nil, Options{ServerSideApply: true})
	if r.Err != nil || !r.Modified {
		t.Fatalf("SSA diff: Modified=%v Err=%v", r.Modified, r.Err)
	}
	rule, ok := MinimalRule(desired, defaulted, nil, Options{ServerSideApply: true})
	if !ok {
		t.Fatalf("MinimalRule not ok: %+v", rule)
	}
	wantJQ := []string{
		".spec.data[].remoteRef.conversionStrategy",
		".spec.data[].remoteRef.decodingStrategy",
		".spec.data[].remoteRef.metadataPolicy",
	}
	if !slices.Equal(rule.JQPathExpressions, wantJQ) || len(rule.JSONPointers) != 0 {
		t.Errorf("rule = %+v, want jq %v", rule, wantJQ)
	}
	if rule.Group != "external-secrets.io" || rule.Kind != "ExternalSecret" || rule.Name != "db-credentials" {
		t.Errorf("rule scope = %+v", rule)
	}
}

func TestApplyCRDDefaultsESO(t *testing.T) {
	checkESODefaulting(t, readCRD(t, "testdata/eso-crd.yaml"))
}

func TestApplyCRDDefaultsErrors(t *testing.T) {
	crd := readCRD(t, "testdata/eso-crd.yaml")
	tests := []struct {
		name, apiVersion, kind, wantErr string
	}{
		{name: "unserved version", apiVersion: "external-secrets.io/v1beta1", kind: "ExternalSecret", wantErr: "does not serve"},
		{name: "unknown version", apiVersion: "external-secrets.io/v9", kind: "ExternalSecret", wantErr: "does not serve"},
		{name: "other kind", apiVersion: "external-secrets.io/v1", kind: "SecretStore", wantErr: "is not served by"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ApplyCRDDefaults(map[string]any{"apiVersion": tt.apiVersion, "kind": tt.kind}, crd)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestApplyCRDDefaultsPrunes(t *testing.T) {
	crd := readCRD(t, "testdata/eso-crd.yaml")
	obj := map[string]any{
		"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
		"metadata": map[string]any{"name": "x"},
		"spec":     map[string]any{"unknownField": 1, "target": map[string]any{"name": "x"}},
	}
	out, added, err := ApplyCRDDefaults(obj, crd)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := nested(out, "spec", "unknownField"); ok {
		t.Error("unknown field survived pruning")
	}
	want := []string{"/spec/refreshInterval", "/spec/target/creationPolicy", "/spec/target/deletionPolicy"}
	if !slices.Equal(added, want) {
		t.Errorf("added = %v, want %v", added, want)
	}
	if _, ok := nested(obj, "spec", "target", "creationPolicy"); ok {
		t.Error("input was mutated")
	}
}

// TestApplyCRDDefaultsRealESOCRD downloads the external-secrets module
// through the Go module proxy and uses its real ExternalSecret CRD.
func TestApplyCRDDefaultsRealESOCRD(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads a module")
	}
	const mod = "github.com/external-secrets/external-secrets@v1.3.2"
	dir := gomod.Download(t, mod)
	checkESODefaulting(t, readCRD(t, filepath.Join(dir, "config/crds/bases/external-secrets.io_externalsecrets.yaml")))
}
