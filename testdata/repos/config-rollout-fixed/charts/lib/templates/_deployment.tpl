{{- define "lib.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "lib.fullname" . }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app: {{ include "lib.fullname" . }}
  template:
    metadata:
      annotations:
        checksum/config: {{ include "lib.configChecksum" . }}
      labels:
        app: {{ include "lib.fullname" . }}
    spec:
      containers:
        - name: app
          image: {{ .Values.image }}
          envFrom:
            - configMapRef:
                name: {{ include "lib.fullname" . }}-config
{{- end }}
