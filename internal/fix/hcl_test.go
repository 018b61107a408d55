package fix

import (
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

const tfApp = `resource "kubernetes_manifest" "web" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Application"
    spec = {
      project = "default" # the project
      source = {
        repoURL = "https://git.example.com/apps.git"
      }
    }
  }
}
`

const rule = "- group: apps\n  kind: Deployment\n  name: web\n  jsonPointers:\n    - /spec/replicas\n"

func TestApplyHCL(t *testing.T) {
	withRules := strings.Replace(tfApp, "      }\n    }\n", `      }
      ignoreDifferences = [
        {
          group        = "apiregistration.k8s.io"
          kind         = "APIService"
          jsonPointers = ["/status"]
        } # keep
      ]
    }
`, 1)
	cases := []struct {
		name string
		src  string
		edit finding.Edit
		want string
	}{
		{
			name: "create ignoreDifferences",
			src:  tfApp,
			edit: finding.Edit{Path: "kubernetes_manifest.web.manifest.spec.ignoreDifferences", Op: finding.OpAppend, Value: rule},
			want: strings.Replace(tfApp, "      }\n    }\n", `      }
      ignoreDifferences = [
        {
          group        = "apps"
          kind         = "Deployment"
          name         = "web"
          jsonPointers = ["/spec/replicas"]
        },
      ]
    }
`, 1),
		},
		{
			name: "merge into existing ignoreDifferences",
			src:  withRules,
			edit: finding.Edit{Path: "kubernetes_manifest.web.manifest.spec.ignoreDifferences", Op: finding.OpAppend, Value: rule},
			want: strings.Replace(withRules, "        } # keep\n", `        }, # keep
        {
          group        = "apps"
          kind         = "Deployment"
          name         = "web"
          jsonPointers = ["/spec/replicas"]
        },
`, 1),
		},
		{
			name: "set scalar",
			src:  tfApp,
			edit: finding.Edit{Path: "kubernetes_manifest.web.manifest.spec.project", Op: finding.OpSet, Value: "platform"},
			want: strings.Replace(tfApp, `"default"`, `"platform"`, 1),
		},
		{
			name: "merge object",
			src:  tfApp,
			edit: finding.Edit{Path: "kubernetes_manifest.web.manifest.spec.syncPolicy", Op: finding.OpMerge, Value: "syncOptions: [RespectIgnoreDifferences=true]"},
			want: strings.Replace(tfApp, "      }\n    }\n", `      }
      syncPolicy = {
        syncOptions = ["RespectIgnoreDifferences=true"]
      }
    }
`, 1),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ApplyHCL([]byte(tc.src), "main.tf", tc.edit)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			again, err := ApplyHCL(got, "main.tf", tc.edit)
			if err != nil || string(again) != string(got) {
				t.Errorf("second application changed the file (err %v):\n%s", err, again)
			}
		})
	}
}

func TestApplyHCLErrors(t *testing.T) {
	heredoc := "resource \"kubernetes_manifest\" \"web\" {\n  manifest = yamldecode(file(\"app.yaml\"))\n}\n"
	for _, tc := range []struct{ name, src, path, wantErr string }{
		{name: "not an object", src: heredoc, path: "kubernetes_manifest.web.manifest.spec.ignoreDifferences", wantErr: "not an HCL object"},
		{name: "no resource", src: tfApp, path: "kubernetes_manifest.nope.manifest.spec.x", wantErr: "no resource"},
		{name: "short path", src: tfApp, path: "kubernetes_manifest.web", wantErr: "want TYPE.NAME"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ApplyHCL([]byte(tc.src), "main.tf", finding.Edit{Path: tc.path, Op: finding.OpAppend, Value: rule})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}
