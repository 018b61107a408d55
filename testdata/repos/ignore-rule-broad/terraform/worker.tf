# The worker's Application is created by Terraform with the cluster.
resource "kubernetes_manifest" "worker_app" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Application"
    metadata = {
      name      = "worker"
      namespace = "argocd"
    }
    spec = {
      project = "default"
      source = {
        repoURL        = "https://git.acme.example/platform/cluster.git"
        targetRevision = "main"
        path           = "manifests/worker"
      }
      destination = {
        server    = "https://kubernetes.default.svc"
        namespace = "jobs"
      }
      ignoreDifferences = [
        { # want: ignore-rule-broad `ignoreDifferences\[0\] of worker ignores its paths in every kind`
          group        = "*"
          kind         = "*"
          jsonPointers = ["/spec/replicas"]
        },
      ]
    }
  }
}
