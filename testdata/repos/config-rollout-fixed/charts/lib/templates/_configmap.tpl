{{- define "lib.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "lib.fullname" . }}-config
data:
  {{- range $k, $v := merge (deepCopy .Values.config) .Values.shared.config }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
{{- end }}
