package benchgen

import "fmt"

const libHelpers = `{{- define "lib.fullname" -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- end }}
{{- define "lib.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.Version | quote }}
env: {{ .Values.global.env | default "none" }}
{{- end }}
{{- define "lib.checksum" -}}{{ toJson .Values.config | sha256sum }}{{- end }}
`

const serviceValues = `image:
  repository: registry.example.com/svc
  tag: "1.0.0"
config:
  LOG_LEVEL: info
  FEATURE_X: "true"
service:
  port: 8080
ingress:
  enabled: true
autoscaling:
  enabled: false
  minReplicas: 1
  maxReplicas: 3
`

var serviceTemplates = func() map[string]string {
	t := map[string]string{
		"deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "lib.fullname" . }}
  labels: {{- include "lib.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      app: {{ include "lib.fullname" . }}
  template:
    metadata:
      labels:
        app: {{ include "lib.fullname" . }}
      annotations:
        checksum/config: {{ include "lib.checksum" . }}
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          envFrom:
            - configMapRef:
                name: {{ include "lib.fullname" . }}
          resources: {{- toYaml .Values.resources | nindent 12 }}
`,
		"configmap.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "lib.fullname" . }}
  labels: {{- include "lib.labels" . | nindent 4 }}
data:
  {{- range $k, $v := .Values.config }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
`,
		"service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: {{ include "lib.fullname" . }}
spec:
  ports:
    - port: {{ .Values.service.port }}
  selector:
    app: {{ include "lib.fullname" . }}
`,
		"hpa.yaml": `{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "lib.fullname" . }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "lib.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 60
      policies:
        - type: Percent
          value: 50
          periodSeconds: 30
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
{{- end }}
`,
		"ingress.yaml": `{{- if .Values.ingress.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "lib.fullname" . }}
spec:
  rules:
    - host: {{ include "lib.fullname" . }}.{{ .Values.global.domain }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{ include "lib.fullname" . }}
                port:
                  number: {{ .Values.service.port }}
{{- end }}
`,
		"serviceaccount.yaml": `apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "lib.fullname" . }}
`,
	}
	// Filler templates so each chart has about fifteen, as real service
	// charts do (RBAC, monitors, network policies...).
	for i := 0; i < 9; i++ {
		t[fmt.Sprintf("extra-%d.yaml", i)] = fmt.Sprintf(`apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "lib.fullname" . }}-extra-%d
  labels: {{- include "lib.labels" . | nindent 4 }}
data:
  index: "%d"
  domain: {{ .Values.global.domain | quote }}
`, i, i)
	}
	return t
}()
