package diffsem

import (
	"testing"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
)

// FuzzCompareRules feeds random pointers and jq expressions through
// Compare, MinimalRule and RuleProblems: none may panic.
func FuzzCompareRules(f *testing.F) {
	for _, s := range [][2]string{
		{"/spec/replicas", ".spec.replicas"},
		{"spec/replicas", ".spec.replicas["},
		{"/a~2", ".spec.template.spec.containers[].image"},
		{"", "del(.)"},
		{"/spec/template/spec/containers/0", `.metadata."x"`},
		{"/~", "limit(-1; .[])"},
	} {
		f.Add(s[0], s[1], "apps", "Deploy*")
	}
	desired := map[string]any{"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "web"},
		"spec":     map[string]any{"replicas": 2, "template": map[string]any{"spec": map[string]any{"containers": []any{map[string]any{"name": "a", "image": "x"}}}}}}
	live := map[string]any{"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "web"},
		"spec":     map[string]any{"replicas": 5, "template": map[string]any{"spec": map[string]any{"containers": []any{map[string]any{"name": "a", "image": "y"}}}}}}
	f.Fuzz(func(t *testing.T, pointer, jq, group, kind string) {
		rules := []v1alpha1.ResourceIgnoreDifferences{{Group: group, Kind: kind, JSONPointers: []string{pointer}, JQPathExpressions: []string{jq}}}
		opts := Options{JQTimeout: 50 * time.Millisecond}
		_ = Compare(desired, live, rules, opts)
		_, _ = MinimalRule(desired, live, rules, opts)
		_ = RuleProblems(rules, []map[string]any{live}, opts)
	})
}
