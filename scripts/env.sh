# shellcheck shell=bash
# env.sh is sourced (never run) by scripts/test and scripts/install-test-assets:
# it is the one place that names the test assets' versions and cache paths,
# and exports the variables tests read to find them. Source it to run
# `go test` by hand with the same environment:
#   . scripts/env.sh && go test ./internal/live/...
# Anything already set in the environment wins.

SYNCDOCTOR_CACHE=${SYNCDOCTOR_CACHE:-$HOME/.cache/syncdoctor}
# Kubernetes release whose kube-apiserver/kubectl envtest runs: the one
# matching the k8s.io/* v0.36.1 libraries our go.mod is pinned to.
SYNCDOCTOR_K8S_VERSION=${SYNCDOCTOR_K8S_VERSION:-v1.36.1}
SYNCDOCTOR_ETCD_VERSION=v3.6.16
SYNCDOCTOR_HELM_VERSION=v3.22.0
# First staticcheck whose go.mod says go 1.26 (older ones cannot load our code).
SYNCDOCTOR_STATICCHECK_VERSION=v0.8.2

# npm package that ships the OASIS SARIF 2.1.0 JSON schema (the report
# test validates our SARIF against it); only the schema file is used.
SYNCDOCTOR_SARIF_SCHEMA_PKG=@microsoft/jest-sarif@1.0.0-beta.0

# Where scripts/install-test-assets puts each asset.
syncdoctor_envtest_dir=$SYNCDOCTOR_CACHE/envtest/$SYNCDOCTOR_K8S_VERSION
syncdoctor_helm=$SYNCDOCTOR_CACHE/tools/helm-$SYNCDOCTOR_HELM_VERSION/helm
syncdoctor_staticcheck=$SYNCDOCTOR_CACHE/tools/staticcheck-$SYNCDOCTOR_STATICCHECK_VERSION/staticcheck

export SYNCDOCTOR_CACHE SYNCDOCTOR_K8S_VERSION
export KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS:-$syncdoctor_envtest_dir}
export SYNCDOCTOR_HELM_BIN=${SYNCDOCTOR_HELM_BIN:-$syncdoctor_helm}
export SYNCDOCTOR_STATICCHECK_BIN=${SYNCDOCTOR_STATICCHECK_BIN:-$syncdoctor_staticcheck}
export SYNCDOCTOR_SARIF_SCHEMA=${SYNCDOCTOR_SARIF_SCHEMA:-$SYNCDOCTOR_CACHE/sarif/sarif-schema-2.1.0.json}
