// Stakater Reloader restarts workloads whose Secrets are rewritten by ESO.
resource "kubernetes_manifest" "reloader" {
  manifest = yamldecode(file("${path.module}/manifests/reloader.yaml"))
}
