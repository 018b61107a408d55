package diffsem

import (
	"slices"
	"testing"
)

// diffModes are the ArgoCD diff modes each catalog fact is replayed under.
var diffModes = []struct {
	name string
	opts Options
}{
	{name: "client-side 3.x", opts: Options{}},
	{name: "client-side 2.14", opts: Options{ArgoCDVersion: "2.14"}},
	{name: "ServerSideApply", opts: Options{ServerSideApply: true}},
	{name: "ServerSideDiff", opts: Options{ServerSideDiff: true}},
}

// TestChartFactsModes replays every fact's modelled objects through
// ArgoCD's diff under each mode: drift exactly where the fact's Modes say,
// and the minimal rule replays to no drift.
func TestChartFactsModes(t *testing.T) {
	drifts := map[string][]string{ // fact ID → modes that drift
		"metrics-server-tls-helm":                           {"client-side 3.x", "client-side 2.14", "ServerSideApply", "ServerSideDiff"},
		"metrics-server-insecure-false":                     {"client-side 3.x", "client-side 2.14", "ServerSideApply"},
		"metrics-server-cert-manager":                       nil,
		"keda-apiservice-insecure-false":                    {"client-side 3.x", "client-side 2.14", "ServerSideApply"},
		"keda-cabundle":                                     nil,
		"aws-load-balancer-controller-webhook-genca":        {"client-side 3.x", "client-side 2.14", "ServerSideApply", "ServerSideDiff"},
		"aws-load-balancer-controller-cabundle-placeholder": {"client-side 3.x", "client-side 2.14", "ServerSideApply", "ServerSideDiff"},
		"cert-manager-webhook-cabundle":                     nil,
	}
	// Offline, diffsem's structured merge diff has no OpenAPI and treats
	// every list as atomic, so under ServerSideApply it replaces a webhook
	// list whole and loses the injected caBundle. The real schema keys
	// webhooks by name (k8s.io/api admissionregistration/v1 types.go,
	// +listType=map +listMapKey=name), so the cainjector's field stays:
	// no drift. Silent facts are never reported, so the over-prediction
	// costs nothing; it is recorded here rather than hidden.
	overPredicted := map[string]string{"cert-manager-webhook-cabundle": "ServerSideApply"}
	for _, f := range ChartFacts() {
		want, ok := drifts[f.ID]
		if !ok {
			t.Errorf("fact %s has no expectation in this test", f.ID)
			continue
		}
		if len(f.Evidence) == 0 || f.Writer == "" || f.Modes == "" || f.Switch == "" {
			t.Errorf("fact %s lacks evidence, writer, modes or switch", f.ID)
		}
		if f.Silent != (len(want) == 0) {
			t.Errorf("fact %s: Silent=%v but drifts under %v", f.ID, f.Silent, want)
		}
		rel := ChartRelease{Chart: f.Charts[0], ReleaseName: f.Charts[0], Namespace: "kube-system", Values: map[string]any{}}
		for _, m := range diffModes {
			t.Run(f.ID+"/"+m.name, func(t *testing.T) {
				drifted := false
				for _, p := range f.Model(rel) {
					res := Compare(p.Desired, p.Live, nil, m.opts)
					if res.Err != nil {
						t.Fatalf("compare: %v", res.Err)
					}
					if !res.Modified {
						continue
					}
					drifted = true
					rule, ok := MinimalRule(p.Desired, p.Live, nil, m.opts)
					if !ok || len(rule.JSONPointers)+len(rule.JQPathExpressions) == 0 {
						t.Errorf("no minimal rule for %v (paths %v)", p.Desired["kind"], res.Paths)
					}
				}
				if overPredicted[f.ID] == m.name {
					if !drifted {
						t.Errorf("the recorded over-prediction is gone; drop it from overPredicted")
					}
					return
				}
				if drifted != slices.Contains(want, m.name) {
					t.Errorf("drift = %v, want %v", drifted, !drifted)
				}
			})
		}
	}
}

func TestPredictChart(t *testing.T) {
	ids := func(ps []ChartPrediction) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Fact.ID)
		}
		return out
	}
	tests := []struct {
		name string
		rel  ChartRelease
		want []string
	}{
		{name: "keda 2.12.0", rel: ChartRelease{RepoURL: "https://kedacore.github.io/charts/", Chart: "keda", Version: "2.12.0"}, want: []string{"keda-apiservice-insecure-false"}},
		{name: "keda v2.12.1", rel: ChartRelease{RepoURL: repoKEDA, Chart: "keda", Version: "v2.12.1"}, want: []string{"keda-apiservice-insecure-false"}},
		{name: "keda 2.13.0", rel: ChartRelease{RepoURL: repoKEDA, Chart: "keda", Version: "2.13.0"}},
		{name: "keda range", rel: ChartRelease{RepoURL: repoKEDA, Chart: "keda", Version: "2.12.*"}},
		{name: "keda other repo", rel: ChartRelease{RepoURL: "https://example.com/charts", Chart: "keda", Version: "2.12.0"}},
		{name: "keda hidden values", rel: ChartRelease{RepoURL: repoKEDA, Chart: "keda", Version: "2.12.0", ValuesHidden: "values.yaml in the chart repo"}},
		{name: "metrics-server defaults", rel: ChartRelease{RepoURL: repoMetricsServer + "/", Chart: "metrics-server", Version: "3.12.2"}},
		{name: "metrics-server insecure false", rel: ChartRelease{RepoURL: repoMetricsServer, Chart: "metrics-server", Version: "3.12.2",
			Values: map[string]any{"apiService": map[string]any{"insecureSkipTLSVerify": false}}}, want: []string{"metrics-server-insecure-false"}},
		{name: "metrics-server tls helm", rel: ChartRelease{RepoURL: repoMetricsServer, Chart: "metrics-server", Version: "3.13.0",
			Values: map[string]any{"tls": map[string]any{"type": "helm"}}}, want: []string{"metrics-server-tls-helm"}},
		{name: "metrics-server tls helm before 3.13", rel: ChartRelease{RepoURL: repoMetricsServer, Chart: "metrics-server", Version: "3.12.2",
			Values: map[string]any{"tls": map[string]any{"type": "helm"}}}},
		{name: "alb defaults", rel: ChartRelease{RepoURL: repoEKS, Chart: "aws-load-balancer-controller", Version: "1.8.1"}, want: []string{"aws-load-balancer-controller-webhook-genca"}},
		{name: "alb pinned certs", rel: ChartRelease{RepoURL: repoEKS, Chart: "aws-load-balancer-controller", Version: "1.8.1",
			Values: map[string]any{"webhookTLS": map[string]any{"caCert": "x", "cert": "y", "key": "z"}}}},
		{name: "alb cert-manager 1.4.1", rel: ChartRelease{RepoURL: repoEKS, Chart: "aws-load-balancer-controller", Version: "1.4.1",
			Values: map[string]any{"enableCertManager": true}}, want: []string{"aws-load-balancer-controller-cabundle-placeholder"}},
		{name: "alb cert-manager 1.4.4", rel: ChartRelease{RepoURL: repoEKS, Chart: "aws-load-balancer-controller", Version: "1.4.4",
			Values: map[string]any{"enableCertManager": true}}},
		{name: "cert-manager", rel: ChartRelease{RepoURL: repoJetstack, Chart: "cert-manager", Version: "1.21.2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(PredictChart(tt.rel)); !slices.Equal(got, tt.want) {
				t.Errorf("PredictChart = %v, want %v", got, tt.want)
			}
		})
	}
}
