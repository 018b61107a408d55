package values

import (
	"io"
	"log"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// benchChart is a service chart as the fixtures have them: ~40 default
// keys, nested a few levels, with a library subchart, and user values
// layered from a base and an environment file.
func benchChart(b testing.TB) (*chart.Chart, map[string]any) {
	lib := mkChart(b, "lib", "library", `
global:
  imageRegistry: registry.example.com
  labels:
    team: platform
naming:
  maxLength: 63
`)
	app := mkChart(b, "service", "", `
replicaCount: 2
image:
  repository: acme/service
  tag: ""
  pullPolicy: IfNotPresent
imagePullSecrets: []
nameOverride: ""
fullnameOverride: ""
serviceAccount:
  create: true
  annotations: {}
  name: ""
podAnnotations: {}
podSecurityContext:
  fsGroup: 2000
securityContext:
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  runAsUser: 1000
  capabilities:
    drop: [ALL]
service:
  type: ClusterIP
  port: 80
  targetPort: http
ingress:
  enabled: false
  className: nginx
  annotations: {}
  hosts:
    - host: service.local
      paths:
        - path: /
          pathType: Prefix
  tls: []
resources:
  limits: {cpu: 500m, memory: 512Mi}
  requests: {cpu: 100m, memory: 128Mi}
autoscaling:
  enabled: false
  minReplicas: 2
  maxReplicas: 10
  targetCPUUtilizationPercentage: 80
pdb:
  enabled: true
  minAvailable: 1
probes:
  liveness: {path: /healthz, port: http, initialDelaySeconds: 10}
  readiness: {path: /ready, port: http, initialDelaySeconds: 5}
env:
  LOG_LEVEL: info
  LOG_FORMAT: json
config:
  featureFlags: {newCheckout: false, betaSearch: false}
  timeouts: {read: 5s, write: 10s}
nodeSelector: {}
tolerations: []
affinity: {}
lib:
  naming:
    maxLength: 50
global:
  environment: dev
`, lib)
	base := mustValues(b, `
image:
  tag: "1.4.2"
env:
  LOG_LEVEL: debug
ingress:
  enabled: true
  hosts:
    - host: service.dev.example.com
      paths: [{path: /, pathType: Prefix}]
global:
  environment: prod
`)
	prod := mustValues(b, `
replicaCount: 4
resources:
  limits: {cpu: "1", memory: 1Gi}
autoscaling:
  enabled: true
  maxReplicas: 20
env:
  LOG_LEVEL: null
config:
  featureFlags: {newCheckout: true}
podAnnotations: null
`)
	return app, MergeMaps(base, prod)
}

func BenchmarkCoalesce(b *testing.B) {
	c, vals := benchChart(b)
	w := log.Writer()
	log.SetOutput(io.Discard)
	defer log.SetOutput(w)
	b.Run("helm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := chartutil.CoalesceValues(c, vals); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := CoalesceValues(c, vals); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestCoalesceMatchesHelmOnBenchChart keeps the benchmark honest.
func TestCoalesceMatchesHelmOnBenchChart(t *testing.T) {
	c, vals := benchChart(t)
	checkAgainstHelm(t, c, vals)
}
