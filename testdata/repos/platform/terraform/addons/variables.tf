variable "kube_context" {
  description = "kubeconfig context of the management cluster running Argo CD"
  type        = string
  default     = "prod-eu1"
}

variable "argocd_namespace" {
  type    = string
  default = "argocd"
}

variable "metrics_server_version" {
  description = "metrics-server Helm chart version"
  type        = string
}

variable "reloader_version" {
  type    = string
  default = "1.2.0"
}

variable "prometheus_adapter_version" {
  type    = string
  default = "4.11.0"
}

variable "adapter_replicas" {
  type    = number
  default = 2
}
