# metrics-server straight from the upstream Helm repository.
resource "kubernetes_manifest" "metrics_server" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Application"
    metadata = {
      name       = "metrics-server"
      namespace  = var.argocd_namespace
      finalizers = ["resources-finalizer.argocd.argoproj.io"]
    }
    spec = {
      project = local.project
      source = {
        repoURL        = "https://kubernetes-sigs.github.io/metrics-server/" # want: not-analyzed
        chart          = "metrics-server"
        targetRevision = var.metrics_server_version
        helm = {
          releaseName = "metrics-server"
          valuesObject = {
            args     = ["--kubelet-preferred-address-types=InternalIP"]
            replicas = 2
          }
        }
      }
      destination = {
        server    = local.cluster_server
        namespace = "kube-system"
      }
      syncPolicy = local.sync_policy
    }
  }
}
