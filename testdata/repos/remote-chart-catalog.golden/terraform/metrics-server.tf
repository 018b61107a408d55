# metrics-server with a Helm-generated serving certificate.
resource "kubernetes_manifest" "metrics_server" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Application"
    metadata = {
      name      = "metrics-server"
      namespace = "argocd"
    }
    spec = {
      project = "addons"
      source = {
        repoURL        = "https://kubernetes-sigs.github.io/metrics-server/" # want: not-analyzed
        chart          = "metrics-server" # want: render-nondeterministic "of chart metrics-server 3.13.0"
        targetRevision = "3.13.0"
        helm = {
          valuesObject = {
            tls = { type = "helm" }
          }
        }
      }
      destination = {
        server    = "https://kubernetes.default.svc"
        namespace = "kube-system"
      }
      ignoreDifferences = [
        {
          kind = "Secret"
          name = "metrics-server"
          namespace = "kube-system"
          jsonPointers = ["/data/tls.crt", "/data/tls.key"]
        },
        {
          group = "apiregistration.k8s.io"
          kind = "APIService"
          name = "v1beta1.metrics.k8s.io"
          jsonPointers = ["/spec/caBundle"]
        },
      ]
      syncPolicy = {
        syncOptions = ["RespectIgnoreDifferences=true"]
      }
    }
  }
}

# The same chart with cert-manager injecting the CA: the caBundle exists only
# live, so nothing drifts.
resource "kubernetes_manifest" "metrics_server_cm" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Application"
    metadata = {
      name      = "metrics-server-cm"
      namespace = "argocd"
    }
    spec = {
      project = "addons"
      source = {
        repoURL        = "https://kubernetes-sigs.github.io/metrics-server/" # want: not-analyzed
        chart          = "metrics-server"
        targetRevision = "3.13.0"
        helm = {
          releaseName  = "metrics-server"
          valuesObject = { tls = { type = "cert-manager" } }
        }
      }
      destination = {
        server    = "https://kubernetes.default.svc"
        namespace = "monitoring"
      }
    }
  }
}
