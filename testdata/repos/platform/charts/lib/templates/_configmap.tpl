{{/*
lib.configmap: the service's environment. Service keys win over the
platform-wide ones in shared.config (merge keeps the first dict's values).
*/}}
{{- define "lib.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "lib.fullname" . }}
  labels:
    {{- include "lib.labels" . | nindent 4 }}
data:
  {{- $shared := .Values.shared.config | default dict }}
  {{- range $key, $value := merge (deepCopy (.Values.config | default dict)) $shared }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
{{- end }}
