resource "kubernetes_manifest" "external_dns" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Application"
    metadata = {
      name      = "external-dns"
      namespace = var.argocd_namespace
    }
    spec = {
      project = "default"
      source = {
        repoURL        = "https://github.com/acme/broken.git"
        targetRevision = "main"
        path           = "charts/billing"
      }
      destination = {
        server    = "https://kubernetes.default.svc"
        namespace "external-dns" # want: discovery-error
      }
    }
  }
}
