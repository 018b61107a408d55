// Package diffsem models ArgoCD's diff semantics as a library: which
// differences between a desired (rendered) object and a live (or predicted
// live) object ArgoCD reports, which ignoreDifferences rules hide them, the
// narrowest rule that would, and which fields the API server writes on its
// own (CRD defaults, status subresources).
//
// Compare runs ArgoCD's own code (argo-cd util/argo/diff.StateDiffs with the
// normalizers of util/argo/normalizers and gitops-engine pkg/diff), so the
// verdict is ArgoCD's verdict. Everything else in the package is built on
// top of Compare, or reads the same upstream settings code
// (argo-cd util/settings/settings.go) for argocd-cm parsing.
//
// The package never touches the filesystem or the network: callers pass the
// objects in.
package diffsem
