{{/* DATABASE_URL from a Secret (urlSecret) or inline (url). */}}
{{- define "lib.databaseEnv" -}}
{{- if .Values.database.urlSecret -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.urlSecret }}
      key: url
{{- else -}}
- name: DATABASE_URL
  value: {{ .Values.database.url | quote }}
{{- end -}}
{{- end -}}
