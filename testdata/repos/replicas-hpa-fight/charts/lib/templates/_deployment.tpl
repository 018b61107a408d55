{{/*
lib.deployment: the service Deployment. replicaCount is the starting size;
the HPA takes over from there (or so the chart's author thought).
*/}}
{{- define "lib.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "lib.fullname" . }}
  labels:
    {{- include "lib.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }} {{/* want[prod]: replicas-hpa-fight "Deployment cart sets replicas: 3 while HPA cart scales it, and ArgoCD resets", replicas-hpa-fight "Deployment inventory sets replicas: 2 .*despite the ignore rule" */}}
  selector:
    matchLabels:
      {{- include "lib.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "lib.selectorLabels" . | nindent 8 }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          ports:
            - name: http
              containerPort: 8080
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
{{- end }}
