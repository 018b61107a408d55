{{/* common.configChecksum hashes every values key that feeds the workload's ConfigMaps and Secrets (added by syncdoctor config-rollout). */}}
{{- define "common.configChecksum" -}}
{{- list .Values.config .Values.shared.config | toJson | sha256sum }}
{{- end }}

{{- define "common.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "common.fullname" . }}
  labels:
    {{- include "common.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "common.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      annotations: {{/* want: config-rollout */}}
        checksum/config: {{ include "common.configChecksum" . }}
      labels:
        {{- include "common.selectorLabels" . | nindent 8 }}
    spec:
      serviceAccountName: {{ include "common.fullname" . }}
      containers:
        - name: app
          image: {{ include "common.image" . }}
          ports:
            - name: http
              containerPort: 8080
          envFrom:
            - configMapRef:
                name: {{ include "common.fullname" . }}
            {{- range .Values.envFromSecrets }}
            - secretRef:
                name: {{ . }}
            {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
{{- end }}
