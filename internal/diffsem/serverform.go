package diffsem

// serverForm rewrites a dry-run result the way the API server serializes
// it: the server stores and returns objects through their Go types, so
// zero values of omitempty fields vanish. gitops-engine remarshals the
// dry-run result through client-go's scheme (pkg/diff/diff.go
// serverSideDiff), which covers the built-in kinds; APIService
// (kube-aggregator) is not in that scheme, so its omitempty fields are
// dropped here (k8s.io/kube-aggregator pkg/apis/apiregistration/v1/types.go
// APIServiceSpec: insecureSkipTLSVerify, caBundle, group, version,
// service are omitempty; the priorities are not).
func serverForm(obj map[string]any) map[string]any {
	apiVersion, _ := obj["apiVersion"].(string)
	if obj["kind"] != "APIService" || (apiVersion != "apiregistration.k8s.io/v1" && apiVersion != "apiregistration.k8s.io/v1beta1") {
		return obj
	}
	spec, ok := obj["spec"].(map[string]any)
	if !ok {
		return obj
	}
	for _, k := range []string{"insecureSkipTLSVerify", "caBundle", "group", "version"} {
		switch v := spec[k].(type) {
		case bool:
			if !v {
				delete(spec, k)
			}
		case string:
			if v == "" {
				delete(spec, k)
			}
		case nil:
			delete(spec, k) // an explicit null is not stored either
		}
	}
	return obj
}
