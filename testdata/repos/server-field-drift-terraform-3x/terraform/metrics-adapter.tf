# The metrics adapter's Application is created by Terraform with the
# cluster, as a native HCL object (no yamldecode).
resource "kubernetes_manifest" "metrics_adapter" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Application"
    metadata = {
      name      = "metrics-adapter"
      namespace = "argocd"
    }
    spec = {
      project = "default"
      source = {
        repoURL        = "https://git.acme.example/platform/addons.git"
        targetRevision = "main"
        path           = "adapter"
      }
      destination = {
        server    = "https://kubernetes.default.svc"
        namespace = "monitoring"
      }
      syncPolicy = {
        automated = {
          prune    = true
          selfHeal = true
        }
      }
    }
  }
}
