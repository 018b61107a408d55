package diffsem

// apiServiceOmitEmpty are the fields of kube-aggregator's APIServiceSpec
// that are omitempty (k8s.io/kube-aggregator
// pkg/apis/apiregistration/v1/types.go: insecureSkipTLSVerify, caBundle,
// group and version; service is a pointer the server keeps, the priorities
// are not omitempty).
var apiServiceOmitEmpty = []string{"insecureSkipTLSVerify", "caBundle", "group", "version"}

// serverForm rewrites a dry-run result the way the API server serializes
// it: the server stores and returns objects through their Go types, so
// zero values of omitempty fields vanish. gitops-engine remarshals the
// dry-run result through client-go's scheme (pkg/diff/diff.go
// serverSideDiff), which covers the built-in kinds; APIService
// (kube-aggregator) is not in that scheme, so its omitempty fields are
// dropped here.
func serverForm(obj map[string]any) map[string]any {
	spec, ok := apiServiceSpec(obj)
	if !ok {
		return obj
	}
	for _, k := range droppedByServer(spec) {
		delete(spec, k)
	}
	return obj
}

// apiServiceSpec returns the spec of an apiregistration.k8s.io APIService.
func apiServiceSpec(obj map[string]any) (map[string]any, bool) {
	apiVersion, _ := obj["apiVersion"].(string)
	if obj["kind"] != "APIService" || (apiVersion != "apiregistration.k8s.io/v1" && apiVersion != "apiregistration.k8s.io/v1beta1") {
		return nil, false
	}
	spec, ok := obj["spec"].(map[string]any)
	return spec, ok
}

// droppedByServer lists, in apiServiceOmitEmpty order, the fields of an
// APIService spec that hold a zero value the server does not store: false,
// "" or an explicit null.
func droppedByServer(spec map[string]any) []string {
	var out []string
	for _, k := range apiServiceOmitEmpty {
		v, ok := spec[k]
		if !ok {
			continue
		}
		switch t := v.(type) {
		case bool:
			if !t {
				out = append(out, k)
			}
		case string:
			if t == "" {
				out = append(out, k)
			}
		case nil:
			out = append(out, k)
		}
	}
	return out
}

// omitEmptyWriter names who drops an omitempty APIService field, and what.
func omitEmptyWriter(field string, zero any) string {
	return "kube-apiserver (apiregistration/v1 APIServiceSpec." + field + " is omitempty: " + zeroText(zero) + " is not stored)"
}

// omitEmptyModes says under which diff modes a dropped field drifts: the
// client-side diff compares APIService as unstructured JSON (it is not in
// client-go's scheme, so nothing drops the zero value from desired), and
// the structured merge diff keeps the declared field; the server-side dry
// run returns the object as stored (serverForm).
func omitEmptyModes(zero any) string {
	return "client-side diff and ServerSideApply (APIService is not in client-go's scheme, so " + zeroText(zero) +
		" is compared as written); not ServerSideDiff, whose dry run returns the object as the server stores it"
}

func zeroText(v any) string {
	switch t := v.(type) {
	case bool:
		if !t {
			return "false"
		}
	case string:
		if t == "" {
			return `""`
		}
	case nil:
		return "null"
	}
	return "a zero value"
}
