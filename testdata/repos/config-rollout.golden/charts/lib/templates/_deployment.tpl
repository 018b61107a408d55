{{/* lib.configChecksum hashes every values key that feeds the workload's ConfigMaps and Secrets (added by syncdoctor config-rollout). */}}
{{- define "lib.configChecksum" -}}
{{- list .Values.config .Values.shared.config | toJson | sha256sum }}
{{- end }}

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
      annotations: {{/* want: config-rollout "changing `shared.config.[A-Z_]+` [(]environments/base.yaml:[0-9]+[)] changes ConfigMap `storage-config` but not Deployment `storage`'s pod template" */}}
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
