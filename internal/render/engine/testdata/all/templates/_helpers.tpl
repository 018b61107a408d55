{{- define "all.labels" -}}
app: {{ .Values.name }}
template: {{ .Template.Name }}
{{- end }}
{{- define "all.deep" -}}{{ include "all.labels" . | sha256sum | trunc 8 }}{{- end }}
