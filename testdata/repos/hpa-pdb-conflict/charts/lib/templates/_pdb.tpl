{{/*
lib.pdb: a PodDisruptionBudget for the service pods. Exactly one of
pdb.minAvailable and pdb.maxUnavailable is rendered; minAvailable wins.
*/}}
{{- define "lib.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "lib.fullname" . }}
  labels:
    {{- include "lib.labels" . | nindent 4 }}
spec:
  {{- if hasKey .Values.pdb "minAvailable" }}
  minAvailable: {{ .Values.pdb.minAvailable }} {{/* want[prod]: hpa-pdb-conflict `PDB billing allows no disruption while HPA billing is at its minimum of 3 replicas \(minAvailable 3\)`, hpa-pdb-conflict `PDB search .* \(minAvailable 100%\)` */}}
  {{- else }}
  maxUnavailable: {{ .Values.pdb.maxUnavailable }} {{/* want[prod]: hpa-pdb-conflict `PDB auth .* \(maxUnavailable 0\)` */}}
  {{- end }}
  selector:
    matchLabels:
      {{- include "lib.selectorLabels" . | nindent 6 }}
{{- end }}
