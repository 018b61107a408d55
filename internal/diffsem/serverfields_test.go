package diffsem

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPredictServerFields(t *testing.T) {
	apiSvc := readYAML(t, "testdata/apiservice-status-desired.yaml")
	apiSvcStatus := readYAML(t, "testdata/apiservice-status-desired.yaml")
	apiSvcStatus["status"] = map[string]any{"conditions": []any{map[string]any{"type": "Available", "status": "True"}}}
	apiSvcEmpty := readYAML(t, "testdata/apiservice-status-desired.yaml")
	apiSvcEmpty["status"] = map[string]any{}
	injected := readYAML(t, "testdata/apiservice-status-desired.yaml")
	injected["metadata"].(map[string]any)["annotations"] = map[string]any{"cert-manager.io/inject-ca-from": "kube-system/metrics-server"}
	injected["spec"].(map[string]any)["caBundle"] = ""
	aggRole := map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
		"aggregationRule": map[string]any{"clusterRoleSelectors": []any{}}, "rules": []any{}}
	crd := map[string]any{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
		"spec": map[string]any{"preserveUnknownFields": false}}
	tests := []struct {
		name  string
		obj   map[string]any
		opts  Options
		paths []string
	}{
		{name: "apiservice without status, 2.14", obj: apiSvc, opts: Options{ArgoCDVersion: "2.14"}},
		{name: "apiservice with status, 2.14 (crd default)", obj: apiSvcStatus, opts: Options{ArgoCDVersion: "2.14"}, paths: []string{"/status"}},
		{name: "apiservice with status, 3.1 (all default)", obj: apiSvcStatus, opts: Options{}},
		{name: "apiservice with status, 3.1 none", obj: apiSvcStatus, opts: Options{SystemRules: SystemRules{IgnoreResourceStatusField: "none"}}, paths: []string{"/status"}},
		{name: "empty status merges", obj: apiSvcEmpty, opts: Options{ArgoCDVersion: "2.14"}},
		{name: "cainjector", obj: injected, opts: Options{}, paths: []string{"/spec/caBundle"}},
		{name: "aggregated role", obj: aggRole, opts: Options{}, paths: []string{"/rules"}},
		{name: "aggregated role ignored", obj: aggRole, opts: Options{IgnoreAggregatedRoles: true}},
		{name: "crd preserveUnknownFields 3.x", obj: crd, opts: Options{}, paths: []string{"/spec/preserveUnknownFields"}},
		{name: "crd preserveUnknownFields 2.x", obj: crd, opts: Options{ArgoCDVersion: "2.14"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var paths []string
			for _, d := range PredictServerFields(tt.obj, tt.opts) {
				if d.Writer == "" || d.Why == "" {
					t.Errorf("incomplete drift %+v", d)
				}
				paths = append(paths, d.Path)
			}
			if diff := cmp.Diff(tt.paths, paths); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestPredictServerFieldsAgreesWithCompare replays the status catalog
// entries through Compare: where the catalog predicts /status drift,
// ArgoCD's diff must report it, and not otherwise.
func TestPredictServerFieldsAgreesWithCompare(t *testing.T) {
	desired := readYAML(t, "testdata/apiservice-status-desired.yaml")
	desired["status"] = map[string]any{"conditions": []any{map[string]any{"type": "Available", "status": "True"}}}
	live := readYAML(t, "testdata/apiservice-status-live.yaml")
	for _, opts := range []Options{{ArgoCDVersion: "2.14"}, {}, {SystemRules: SystemRules{IgnoreResourceStatusField: "none"}}} {
		predicted := len(PredictServerFields(desired, opts)) > 0
		r := Compare(desired, live, nil, opts)
		if r.Err != nil || r.Modified != predicted {
			t.Errorf("%+v: Compare modified=%v err=%v, catalog predicted %v", opts, r.Modified, r.Err, predicted)
		}
	}
}
