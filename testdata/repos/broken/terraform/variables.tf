variable "cluster_name" {
  description = "EKS cluster the add-ons go to (set by the pipeline, no default)"
  type        = string
}

variable "argocd_namespace" {
  type    = string
  default = "argocd"
}
