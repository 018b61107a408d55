package diffsem

import (
	"slices"
	"testing"
)

// apiService returns a metrics APIService with spec fields set as given.
func apiService(spec map[string]any) map[string]any {
	s := map[string]any{
		"group": "metrics.k8s.io", "version": "v1beta1", "groupPriorityMinimum": int64(100), "versionPriority": int64(100),
		"service": map[string]any{"name": "metrics-server", "namespace": "kube-system", "port": int64(443)},
	}
	for k, v := range spec {
		s[k] = v
	}
	return obj("apiregistration.k8s.io/v1", "APIService", "v1beta1.metrics.k8s.io", "", map[string]any{"spec": s})
}

// TestDroppedDrifts checks that PredictServerFields reports the zero values
// the API server does not store, under exactly the diff modes in which
// ArgoCD's diff (Compare against the stored form) reports them.
func TestDroppedDrifts(t *testing.T) {
	tests := []struct {
		name string
		spec map[string]any
		want []string // paths predicted under client-side diff
	}{
		{name: "insecureSkipTLSVerify false", spec: map[string]any{"insecureSkipTLSVerify": false}, want: []string{"/spec/insecureSkipTLSVerify"}},
		{name: "insecureSkipTLSVerify true", spec: map[string]any{"insecureSkipTLSVerify": true}},
		{name: "empty caBundle", spec: map[string]any{"caBundle": ""}, want: []string{"/spec/caBundle"}},
		{name: "null caBundle and false", spec: map[string]any{"caBundle": nil, "insecureSkipTLSVerify": false}, want: []string{"/spec/insecureSkipTLSVerify", "/spec/caBundle"}},
		{name: "neither", spec: map[string]any{"caBundle": "Y2E="}},
	}
	for _, tt := range tests {
		for _, m := range diffModes {
			t.Run(tt.name+"/"+m.name, func(t *testing.T) {
				desired := apiService(tt.spec)
				var got []string
				for _, d := range PredictServerFields(desired, m.opts) {
					if !d.Dropped || d.Writer == "" || d.Why == "" {
						t.Errorf("drift %+v: want Dropped with writer and why", d)
					}
					got = append(got, d.Path)
				}
				want := tt.want
				if m.opts.ServerSideDiff {
					want = nil
				}
				if !slices.Equal(got, want) {
					t.Errorf("PredictServerFields = %v, want %v", got, want)
				}
				res := Compare(desired, serverForm(apiService(tt.spec)), nil, m.opts)
				if res.Err != nil {
					t.Fatal(res.Err)
				}
				if res.Modified != (len(want) > 0) {
					t.Errorf("Compare against the stored form: modified = %v, predicted %v", res.Modified, want)
				}
			})
		}
	}
}

// TestRenderedSaysWhatCatalogSays: a chart rendered from a vendored copy
// and the same chart judged from the catalog give the same writer, modes
// and path, and the rendered object finds its catalog fact.
func TestRenderedSaysWhatCatalogSays(t *testing.T) {
	for _, id := range []string{"keda-apiservice-insecure-false", "metrics-server-insecure-false"} {
		t.Run(id, func(t *testing.T) {
			var fact *ChartFact
			for _, f := range ChartFacts() {
				if f.ID == id {
					fact = f
				}
			}
			if fact == nil {
				t.Fatalf("no fact %s", id)
			}
			rel := ChartRelease{Chart: fact.Charts[0], ReleaseName: fact.Charts[0], Namespace: "kube-system",
				Values: map[string]any{"apiService": map[string]any{"insecureSkipTLSVerify": false}}}
			pair := fact.Model(rel)[0]
			drifts := PredictServerFields(pair.Desired, Options{})
			if len(drifts) != 1 {
				t.Fatalf("PredictServerFields = %+v, want one drift", drifts)
			}
			d := drifts[0]
			if !slices.Contains(fact.Paths, d.Path) || d.Writer != fact.Writer || d.Why != fact.Modes {
				t.Errorf("rendered %+v, catalog writer %q modes %q paths %v", d, fact.Writer, fact.Modes, fact.Paths)
			}
			version := "2.12.0"
			if fact.Charts[0] == "metrics-server" {
				version = "3.12.2"
			}
			got := FactsAbout(fact.Charts[0], version, pair.Desired, d.Path)
			if len(got) != 1 || got[0] != fact {
				t.Errorf("FactsAbout = %v, want %s", got, id)
			}
			if got := FactsAbout(fact.Charts[0], "1.0.0", pair.Desired, d.Path); len(got) != 0 {
				t.Errorf("FactsAbout at 1.0.0 = %v, want none", got)
			}
		})
	}
}
