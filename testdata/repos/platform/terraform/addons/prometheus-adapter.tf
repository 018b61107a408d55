# prometheus-adapter serves custom.metrics.k8s.io for the HPAs. The API server
# writes the APIService status, hence the ignoreDifferences.
resource "kubernetes_manifest" "prometheus_adapter" {
  manifest = yamldecode(<<EOT
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: prometheus-adapter
  namespace: ${var.argocd_namespace}
spec:
  project: ${local.project}
  source:
    repoURL: https://prometheus-community.github.io/helm-charts # want: not-analyzed "offline"
    chart: prometheus-adapter
    targetRevision: ${var.prometheus_adapter_version}
    helm:
      valuesObject:
        replicas: ${var.adapter_replicas}
        prometheus:
          url: http://prometheus-operated.monitoring.svc
  destination:
    server: ${local.cluster_server}
    namespace: monitoring
  ignoreDifferences:
    - group: apiregistration.k8s.io
      kind: APIService
      jsonPointers:
        - /status
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
EOT
  )
}
