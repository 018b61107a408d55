{{/*
Naming. Release names come from spec.source.helm.releaseName in the
Applications (dev-auth-service -> auth-service), so fullname is usually just
the release name.
*/}}
{{- define "lib.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "lib.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "lib.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lib.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "lib.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 }}
{{ include "lib.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: acme-platform
acme.io/team: {{ .Values.team | default "platform" }}
{{- end }}

{{- define "lib.image" -}}
{{- $registry := .Values.global.imageRegistry | default "ghcr.io/acme" -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{- define "lib.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lib.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
lib.checksum is the pod-template annotation that makes a config change roll
the pods. It hashes the service's own config block.
TODO(PLAT-301): the ConfigMap also merges .Values.shared.config (see
_configmap.tpl); nobody remembered to hash that as well.
*/}}
{{- define "lib.checksum" -}}
{{- toYaml .Values.config | sha256sum }}
{{- end }}
