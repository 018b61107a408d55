locals {
  # Add-ons always land on the cluster Argo CD runs in.
  cluster_server = "https://kubernetes.default.svc"
  project        = "platform-addons"

  sync_policy = {
    automated = {
      prune    = true
      selfHeal = true
    }
    syncOptions = ["CreateNamespace=true", "ServerSideApply=true"]
  }
}
