package diffsem

import (
	"slices"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/google/go-cmp/cmp"
)

func TestParseArgoCDConfigMap(t *testing.T) {
	tests := []struct {
		name    string
		data    map[string]any
		want    SystemRules
		wantErr bool
	}{
		{
			name: "split keys, all, compare options",
			data: map[string]any{
				"resource.customizations.ignoreDifferences.admissionregistration.k8s.io_MutatingWebhookConfiguration": "jqPathExpressions:\n- .webhooks[]?.clientConfig.caBundle\n",
				"resource.customizations.ignoreDifferences.all":                                                       "managedFieldsManagers:\n- kube-controller-manager\n",
				"resource.customizations.ignoreDifferences.ConfigMap":                                                 "jsonPointers: [/data/x]",
				"resource.customizations.health.argoproj.io_Rollout":                                                  "return {}",
				"resource.compareoptions":                                                                             "ignoreResourceStatusField: crd\nignoreAggregatedRoles: true\n",
			},
			want: SystemRules{
				ByGroupKind: map[string]v1alpha1.OverrideIgnoreDiff{
					"admissionregistration.k8s.io/MutatingWebhookConfiguration": {JQPathExpressions: []string{".webhooks[]?.clientConfig.caBundle"}},
					"ConfigMap": {JSONPointers: []string{"/data/x"}},
				},
				All:                       &v1alpha1.OverrideIgnoreDiff{ManagedFieldsManagers: []string{"kube-controller-manager"}},
				IgnoreAggregatedRoles:     true,
				IgnoreResourceStatusField: "crd",
			},
		},
		{
			name: "legacy key replaced by split key",
			data: map[string]any{
				"resource.customizations":                                   "apps/Deployment:\n  ignoreDifferences: |\n    jsonPointers:\n    - /spec/replicas\n",
				"resource.customizations.ignoreDifferences.apps_Deployment": "jsonPointers:\n- /spec/paused\n",
			},
			want: SystemRules{ByGroupKind: map[string]v1alpha1.OverrideIgnoreDiff{"apps/Deployment": {JSONPointers: []string{"/spec/paused"}}}},
		},
		{name: "unknown customization type", data: map[string]any{"resource.customizations.bogus.apps_Deployment": "x"}, wantErr: true},
		{name: "bad group kind", data: map[string]any{"resource.customizations.ignoreDifferences.a_b_c": "x"}, wantErr: true},
		{name: "bad yaml", data: map[string]any{"resource.compareoptions": "[: x"}, wantErr: true},
		{name: "non-string value", data: map[string]any{"resource.compareoptions": 3}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseArgoCDConfigMap(map[string]any{"data": tt.data})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if diff := cmp.Diff(tt.want, got, cmpEmpty); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatusDefaultsByVersion(t *testing.T) {
	tests := []struct {
		version, field, want string
	}{
		{version: "2.14", field: "", want: StatusIgnoreCRD},
		{version: "2.14", field: "all", want: StatusIgnoreAll},
		{version: "2.14", field: "off", want: StatusIgnoreNone},
		{version: "2.14", field: "none", want: StatusIgnoreCRD}, // "none" is unknown to 2.14
		{version: "", field: "", want: StatusIgnoreAll},
		{version: "3.1", field: "crd", want: StatusIgnoreCRD},
		{version: "3.1", field: "none", want: StatusIgnoreNone},
		{version: "3.1", field: "bogus", want: StatusIgnoreAll},
	}
	for _, tt := range tests {
		o := Options{ArgoCDVersion: tt.version, SystemRules: SystemRules{IgnoreResourceStatusField: tt.field}}
		if got := o.EffectiveStatusMode(); got != tt.want {
			t.Errorf("%s %q: got %s, want %s", tt.version, tt.field, got, tt.want)
		}
	}
}

func TestExplain(t *testing.T) {
	desired := readYAML(t, "testdata/status-exported-desired.yaml")
	desired["spec"].(map[string]any)["replicas"] = 3
	live := readYAML(t, "testdata/status-exported-live.yaml")
	rules := []v1alpha1.ResourceIgnoreDifferences{
		{Group: "apps", Kind: "StatefulSet", JSONPointers: []string{"/spec/replicas"}},
		{Group: "apps", Kind: "Deployment", JQPathExpressions: []string{".spec.replicas"}},
	}
	got, err := Explain(desired, live, rules, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Explanation{
		{Path: "/spec/replicas", HiddenBy: "ignoreDifferences[1]", Rule: 1},
		{Path: "/status/observedGeneration", HiddenBy: "resource.compareoptions ignoreResourceStatusField", Rule: -1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got, err = Explain(desired, live, nil, Options{ArgoCDVersion: "2.14",
		SystemRules: SystemRules{ByGroupKind: map[string]v1alpha1.OverrideIgnoreDiff{"apps/Deployment": {JSONPointers: []string{"/spec/replicas"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	want = []Explanation{
		{Path: "/spec/replicas", HiddenBy: "argocd-cm resource.customizations.ignoreDifferences.apps_Deployment", Rule: -1},
		{Path: "/status/observedGeneration", Rule: -1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("2.14 (-want +got):\n%s", diff)
	}
}

func TestMinimalRule(t *testing.T) {
	desired := readYAML(t, "testdata/replicas-desired.yaml")
	live := readYAML(t, "testdata/replicas-live.yaml")
	rule, ok := MinimalRule(desired, live, nil, Options{})
	want := v1alpha1.ResourceIgnoreDifferences{Group: "apps", Kind: "Deployment", Name: "web", Namespace: "shop", JSONPointers: []string{"/spec/replicas"}}
	if !ok || !cmp.Equal(want, rule) {
		t.Errorf("MinimalRule = %+v, %v; want %+v", rule, ok, want)
	}
	// Already hidden: a rule with no paths.
	rule, ok = MinimalRule(desired, live, []v1alpha1.ResourceIgnoreDifferences{want}, Options{})
	if !ok || len(rule.JSONPointers)+len(rule.JQPathExpressions) != 0 {
		t.Errorf("MinimalRule with existing = %+v, %v", rule, ok)
	}
	// A jq compile error in existing rules fails the comparison.
	bad := []v1alpha1.ResourceIgnoreDifferences{{Kind: "*", JQPathExpressions: []string{".a["}}}
	if _, ok := MinimalRule(desired, live, bad, Options{}); ok {
		t.Error("MinimalRule ok despite a jq compile error")
	}
}

func TestGeneralize(t *testing.T) {
	doc := map[string]any{"spec": map[string]any{
		"data":  []any{map[string]any{"remoteRef": map[string]any{"a-b": "x"}}},
		"ports": []any{int64(1)},
		"m":     map[string]any{"x/y": 1},
	}}
	tests := []struct{ in, ptr, jq string }{
		{in: "/spec/data/0/remoteRef/a-b", jq: `.spec.data[].remoteRef."a-b"`},
		{in: "/spec/ports/0", ptr: "/spec/ports"},
		{in: "/spec/m/x~1y", ptr: "/spec/m/x~1y"},
		{in: "/spec/data/3/remoteRef", jq: ".spec.data[].remoteRef"},
	}
	for _, tt := range tests {
		p, j := generalize(tt.in, doc)
		if p != tt.ptr || j != tt.jq {
			t.Errorf("generalize(%q) = %q, %q; want %q, %q", tt.in, p, j, tt.ptr, tt.jq)
		}
	}
}

func TestRuleProblems(t *testing.T) {
	live := readYAML(t, "testdata/replicas-live.yaml")
	rules := []v1alpha1.ResourceIgnoreDifferences{
		{Group: "apps", Kind: "Deployment", JSONPointers: []string{"/spec/replicas", "spec/paused", "/spec/paused", "/a~2"}},
		{Group: "apps", Kind: "Deployment", JQPathExpressions: []string{".spec.replicas[", ".spec.replicas[].x", ".spec.nothing"}},
		{Group: "apps", Kind: "StatefulSet", JSONPointers: []string{"/spec/replicas"}},
		{Group: "app[s", Kind: "Deployment"},
		{Group: "apps", Kind: "Deployment", ManagedFieldsManagers: []string{"kube-controller-manager", "helm"}},
	}
	got := RuleProblems(rules, []map[string]any{live}, Options{})
	type key struct {
		Rule  int
		Field string
		Kind  ProblemKind
	}
	var keys []key
	for _, p := range got {
		if p.Message == "" {
			t.Errorf("empty message: %+v", p)
		}
		keys = append(keys, key{p.Rule, p.Field, p.Kind})
	}
	want := []key{
		{0, "jsonPointers[1]", ProblemPointerSyntax},
		{0, "jsonPointers[3]", ProblemPointerSyntax},
		{0, "jsonPointers[2]", ProblemRemovesNothing},
		{1, "jqPathExpressions[0]", ProblemJQCompile},
		{1, "jqPathExpressions[1]", ProblemJQRuntime},
		{1, "jqPathExpressions[1]", ProblemRemovesNothing},
		{1, "jqPathExpressions[2]", ProblemRemovesNothing},
		{2, "", ProblemNoObject},
		{3, "group", ProblemGlob},
		{4, "managedFieldsManagers[1]", ProblemManagerAbsent},
	}
	less := func(a, b key) int {
		if a.Rule != b.Rule {
			return a.Rule - b.Rule
		}
		if a.Field != b.Field {
			if a.Field < b.Field {
				return -1
			}
			return 1
		}
		if a.Kind < b.Kind {
			return -1
		}
		return 1
	}
	slices.SortFunc(keys, less)
	slices.SortFunc(want, less)
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Without objects only syntax problems are reported.
	if got := RuleProblems(rules[2:3], nil, Options{}); len(got) != 0 {
		t.Errorf("no objects: %+v", got)
	}
}
