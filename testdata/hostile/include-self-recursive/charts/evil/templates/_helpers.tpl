{{- define "evil.loop" -}}
{{ include "evil.loop" . }}
{{- end -}}
