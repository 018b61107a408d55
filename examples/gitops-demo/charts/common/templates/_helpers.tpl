{{- define "common.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "common.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "common.labels" -}}
{{ include "common.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
brightcart.io/team: {{ .Values.team }}
{{- end }}

{{- define "common.image" -}}
{{ .Values.global.imageRegistry }}/{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* Pods roll when their config changes. */}}
{{- define "common.checksum" -}}
{{- toYaml .Values.config | sha256sum }}
{{- end }}

{{/* Service config on top of the company-wide settings in shared.config. */}}
{{- define "common.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "common.fullname" . }}
  labels:
    {{- include "common.labels" . | nindent 4 }}
data:
  {{- range $k, $v := merge (deepCopy .Values.config) (.Values.shared.config | default dict) }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
{{- end }}
