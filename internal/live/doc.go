// Package live reads a cluster for live mode: ArgoCD Applications, the
// live objects they name, the pods, workloads, ConfigMaps and Secrets
// (metadata only) of their namespaces and the CRDs of their custom
// resources. It only ever gets and lists: live mode never writes to a
// cluster. What it read is returned as plain data (manifest.LiveState) so
// checks never hold a client.
package live
