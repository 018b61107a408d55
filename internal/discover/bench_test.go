package discover

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkDiscover measures a checkout of 500 Application files, 500
// other manifests and one ApplicationSet over 500 directories.
func BenchmarkDiscover(b *testing.B) {
	files := map[string]string{}
	for i := range 500 {
		files[fmt.Sprintf("apps/a%03d/app.yaml", i)] = fmt.Sprintf(appDoc, fmt.Sprintf("app-%d", i)) +
			"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n"
		files[fmt.Sprintf("other/o%03d/values.yaml", i)] = "replicas: 3\nimage: {tag: v1}\n"
	}
	files["set.yaml"] = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: dirs
spec:
  generators:
    - git:
        repoURL: https://example.com/gitops.git
        directories:
          - path: apps/*
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      project: default
      source:
        path: '{{path}}'
`
	root := writeRepo(b, files)
	b.ResetTimer()
	for b.Loop() {
		res, err := Discover(context.Background(), Options{Root: root, LocalDir: localDir})
		if err != nil || len(res.Apps) != 1000 {
			b.Fatalf("%v %d", err, len(res.Apps))
		}
	}
}
