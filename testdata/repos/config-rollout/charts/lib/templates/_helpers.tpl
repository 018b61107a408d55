{{- define "lib.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* lib.checksum rolls the pods when the service's config changes. */}}
{{- define "lib.checksum" -}}
{{- toYaml .Values.config | sha256sum }}
{{- end }}
