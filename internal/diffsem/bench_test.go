package diffsem

import (
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
)

func BenchmarkCompare(b *testing.B) {
	t := &testing.T{}
	cases := []struct {
		name, pair string
		rules      []v1alpha1.ResourceIgnoreDifferences
		opts       Options
	}{
		{name: "deployment-raw", pair: "replicas"},
		{name: "deployment-pointer", pair: "replicas", rules: []v1alpha1.ResourceIgnoreDifferences{{Group: "apps", Kind: "Deployment", JSONPointers: []string{"/spec/replicas"}}}},
		{name: "externalsecret-jq-ssa", pair: "eso", opts: Options{ServerSideApply: true}, rules: []v1alpha1.ResourceIgnoreDifferences{{Group: "external-secrets.io", Kind: "ExternalSecret",
			JQPathExpressions: []string{".spec.data[].remoteRef.conversionStrategy", ".spec.data[].remoteRef.decodingStrategy", ".spec.data[].remoteRef.metadataPolicy"}}}},
	}
	for _, c := range cases {
		desired := readYAML(t, "testdata/"+c.pair+"-desired.yaml")
		live := readYAML(t, "testdata/"+c.pair+"-live.yaml")
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r := Compare(desired, live, c.rules, c.opts); r.Err != nil {
					b.Fatal(r.Err)
				}
			}
		})
	}
}
