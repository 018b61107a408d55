{{- define "lib.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* lib.configChecksum rolls the pods when anything the ConfigMap merges changes. */}}
{{- define "lib.configChecksum" -}}
{{- list .Values.config .Values.shared.config | toJson | sha256sum }}
{{- end }}
