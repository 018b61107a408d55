// Package livetest starts a real Kubernetes control plane for live-mode tests:
// kube-apiserver and etcd through controller-runtime's envtest, with the real
// ArgoCD and External Secrets Operator CRDs installed, so that CRD defaults,
// server-side defaulting and server-written status (managedFields included)
// come from the real server rather than from our idea of it.
//
// It is test support: only _test.go files import it. The binaries are built
// by scripts/install-test-assets into a cache outside the clone; when they
// are missing, Start skips the test (or fails it when $CI is set, so CI can
// never pass by skipping).
package livetest
