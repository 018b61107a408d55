data "aws_eks_cluster" "target" {
  name = var.cluster_name
}

# The destination comes from live AWS state: nothing offline can know it.
resource "kubernetes_manifest" "cluster_autoscaler_config" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Application"
    metadata = {
      name      = "cluster-autoscaler-config"
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
        server    = data.aws_eks_cluster.target.endpoint # want: not-analyzed
        namespace = "kube-system"
      }
    }
  }
}
