{{- define "evil.ping" -}}
{{ include "evil.pong" . }}
{{- end -}}
{{- define "evil.pong" -}}
{{ include "evil.ping" . }}
{{- end -}}
