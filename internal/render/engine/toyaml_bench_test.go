package engine

import (
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// benchValues is a values subtree of the kind charts pass to toYaml: a
// container's resources, env list, labels, annotations and affinity, as
// Helm's values decoding gives them (numbers as float64).
func benchValues() map[string]any {
	return map[string]any{
		"resources": map[string]any{
			"limits":   map[string]any{"cpu": "500m", "memory": "512Mi"},
			"requests": map[string]any{"cpu": 0.1, "memory": "128Mi"},
		},
		"env": []any{
			map[string]any{"name": "LOG_LEVEL", "value": "info"},
			map[string]any{"name": "PORT", "value": "8080"},
			map[string]any{"name": "FEATURE_X", "value": "true"},
			map[string]any{"name": "POD_NAME", "valueFrom": map[string]any{"fieldRef": map[string]any{"fieldPath": "metadata.name"}}},
		},
		"podLabels": map[string]any{
			"app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web-prod",
			"app.kubernetes.io/component": "frontend", "team": "payments",
		},
		"podAnnotations": map[string]any{
			"prometheus.io/scrape": "true", "prometheus.io/port": "9090",
			"description": "A long description of what this workload does, long enough to be folded by the emitter at eighty columns",
		},
		"affinity": map[string]any{
			"podAntiAffinity": map[string]any{
				"preferredDuringSchedulingIgnoredDuringExecution": []any{
					map[string]any{
						"weight": 100.0,
						"podAffinityTerm": map[string]any{
							"topologyKey": "kubernetes.io/hostname",
							"labelSelector": map[string]any{
								"matchExpressions": []any{
									map[string]any{"key": "app.kubernetes.io/name", "operator": "In", "values": []any{"web"}},
								},
							},
						},
					},
				},
			},
		},
		"tolerations": []any{
			map[string]any{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"},
		},
		"script": "#!/bin/sh\nset -e\nexec /app/server --port=8080\n",
	}
}

func BenchmarkToYAML(b *testing.B) {
	v := benchValues()
	b.Run("sigs", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, err := yaml.Marshal(v)
			if err != nil {
				b.Fatal(err)
			}
			_ = strings.TrimSuffix(string(out), "\n")
		}
	})
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := toYAMLFast(v); !ok {
				b.Fatal("fast path refused the benchmark values")
			}
		}
	})
	for _, key := range []string{"resources", "env", "podLabels"} {
		sub := v[key]
		b.Run(key+"/sigs", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := yaml.Marshal(sub); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(key+"/fast", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := toYAMLFast(sub); !ok {
					b.Fatal("refused")
				}
			}
		})
	}
}

func TestToYAMLBenchValuesMatch(t *testing.T) {
	v := benchValues()
	walkValues(v, func(sub any) {
		if !checkToYAML(t, sub) {
			t.Errorf("fast path refused %#v", sub)
		}
	})
}
