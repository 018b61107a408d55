package values

import (
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/google/go-cmp/cmp"
)

func TestSetParameters(t *testing.T) {
	tests := []struct {
		name    string
		params  []v1alpha1.HelmParameter
		want    map[string]any
		wantErr string
	}{
		{
			name:   "a comma stays inside the value",
			params: []v1alpha1.HelmParameter{{Name: "hosts", Value: "a,b"}},
			want:   map[string]any{"hosts": "a,b"},
		},
		{
			name:   "list syntax is kept",
			params: []v1alpha1.HelmParameter{{Name: "hosts", Value: "{a,b}"}},
			want:   map[string]any{"hosts": []any{"a", "b"}},
		},
		{
			name:   "--set-string after every --set",
			params: []v1alpha1.HelmParameter{{Name: "port", Value: "80", ForceString: true}, {Name: "port", Value: "81"}},
			want:   map[string]any{"port": "80"},
		},
		{
			name:   "--set types values",
			params: []v1alpha1.HelmParameter{{Name: "replicas", Value: "3"}, {Name: "on", Value: "true"}},
			want:   map[string]any{"replicas": int64(3), "on": true},
		},
		{
			name:    "a bad name is named",
			params:  []v1alpha1.HelmParameter{{Name: "a[", Value: "1"}},
			wantErr: "parameter a[",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]any{}
			err := SetParameters(got, tc.params)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
}
