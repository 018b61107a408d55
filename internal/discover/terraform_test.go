package discover

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

const tfObject = `variable "env" {
  type    = string
  default = "dev"
}

locals {
  name = "web-${local.suffix}"
  suffix = var.env
}

resource "kubernetes_manifest" "web" {
  manifest = {
    apiVersion = "argoproj.io/v1alpha1"
    kind       = "Application"
    metadata = {
      name      = local.name
      namespace = "argocd"
    }
    spec = {
      project = "default"
      source = {
        repoURL = "https://example.com/gitops.git"
        path    = "charts/web"
        helm = {
          valueFiles = ["values.yaml", "values-${var.env}.yaml"]
        }
      }
      destination = {
        namespace = kubernetes_namespace.web.metadata[0].name
      }
      ignoreDifferences = [{
        kind         = "Deployment"
        jsonPointers = ["/spec/replicas"]
      }]
    }
  }
}

resource "kubernetes_manifest" "not_an_app" {
  manifest = {
    apiVersion = "v1"
    kind       = "ConfigMap"
  }
}
`

const tfFile = `resource "kubernetes_manifest" "api" {
  manifest = yamldecode(file("${path.module}/app.yaml"))
}
`

const tfFileYAML = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: api
spec:
  project: default
  destination:
    namespace: api
`

const tfHeredoc = `variable "ns" {}

resource "kubernetes_manifest" "worker" {
  manifest = yamldecode(<<-EOT
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: worker
    spec:
      project: ${lower("DEFAULT")}
      destination:
        namespace: ${var.ns}
  EOT
  )
}
`

func TestTerraform(t *testing.T) {
	cases := []struct {
		name     string
		files    map[string]string
		apps     []string
		problems []string
	}{
		{
			name:     "HCL object with locals and an unknown resource reference",
			files:    map[string]string{"tf/main.tf": tfObject},
			apps:     []string{"web-dev ns= path=charts/web @tf/main.tf:11:1"},
			problems: []string{"not-analyzed@tf/main.tf:29"},
		},
		{
			name: "tfvars override the default",
			files: map[string]string{
				"tf/main.tf":          tfObject,
				"tf/terraform.tfvars": "env = \"stage\"\n",
				"tf/prod.auto.tfvars": "env = \"prod\"\n",
				"tf/unused.tfvars":    "env = \"never\"\n",
			},
			apps:     []string{"web-prod ns= path=charts/web @tf/main.tf:11:1"},
			problems: []string{"not-analyzed@tf/main.tf:29"},
		},
		{
			name:  "yamldecode(file())",
			files: map[string]string{"tf/api/main.tf": tfFile, "tf/api/app.yaml": tfFileYAML},
			apps:  []string{"api ns=api path= @tf/api/main.tf:1:1"},
		},
		{
			name:     "yamldecode(heredoc) with an unset variable",
			files:    map[string]string{"w/main.tf": tfHeredoc},
			problems: []string{"not-analyzed@w/main.tf:12"},
		},
		{
			name:     "HCL syntax error",
			files:    map[string]string{"bad/main.tf": "resource \"kubernetes_manifest\" \"x\" {\n  manifest = {\n    a = \n  }\n}\n"},
			problems: []string{"discovery-error@bad/main.tf:3"},
		},
		{
			name:  "modules without kubernetes_manifest are quiet",
			files: map[string]string{"other/main.tf": "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := run(t, c.files, Options{})
			if diff := cmp.Diff(c.apps, appDetailNoParent(res)); diff != "" {
				t.Errorf("apps (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.problems, problemSummary(res)); diff != "" {
				t.Errorf("problems (-want +got):\n%s\n%+v", diff, res.Problems)
			}
		})
	}
}

func appDetailNoParent(r *Result) []string {
	var out []string
	for _, a := range r.Apps {
		s := a.App.Spec.GetSource()
		out = append(out, a.Name()+" ns="+a.App.Spec.Destination.Namespace+" path="+s.Path+" @"+a.Declared.String())
	}
	return out
}

func TestTerraformDetails(t *testing.T) {
	res := run(t, map[string]string{
		"tf/main.tf":          tfObject,
		"tf/terraform.tfvars": "env = \"stage\"\n",
		"tf/prod.auto.tfvars": "env = \"prod\"\n",
	}, Options{})
	if len(res.Apps) != 1 {
		t.Fatalf("apps: %v", appSummary(res))
	}
	a := res.Apps[0]
	if a.TerraformAddress != "kubernetes_manifest.web" || a.Origin != "terraform" {
		t.Errorf("address %q origin %q", a.TerraformAddress, a.Origin)
	}
	if got := a.App.Spec.Source.Helm.ValueFiles; !cmp.Equal(got, []string{"values.yaml", "values-prod.yaml"}) {
		t.Errorf("valueFiles = %v (auto.tfvars must win over terraform.tfvars)", got)
	}
	if a.App.Name != "web-prod" {
		t.Errorf("name = %q (locals must resolve through each other)", a.App.Name)
	}
	want := map[string]finding.Location{
		"spec.ignoreDifferences":                 {File: "tf/main.tf", Line: 31, Column: 7},
		"spec.source.helm.valueFiles[1]":         {File: "tf/main.tf", Line: 25, Column: 40},
		"spec.ignoreDifferences[0].jsonPointers": {File: "tf/main.tf", Line: 33, Column: 9},
	}
	for k, w := range want {
		if got := a.Fields[k]; got != w {
			t.Errorf("Fields[%s] = %v, want %v", k, got, w)
		}
	}
	p := res.Problems[0]
	if p.Location != (finding.Location{File: "tf/main.tf", Line: 29, Column: 21}) {
		t.Errorf("unknown reference at %v, want tf/main.tf:29:21", p.Location)
	}
}

func TestTerraformEmbeddedYAMLFields(t *testing.T) {
	res := run(t, map[string]string{
		"tf/api/main.tf":     tfFile,
		"tf/api/app.yaml":    tfFileYAML,
		"w/main.tf":          tfHeredoc,
		"w/terraform.tfvars": "ns = \"jobs\"\n",
	}, Options{})
	if len(res.Apps) != 2 || len(res.Problems) != 0 {
		t.Fatalf("apps: %v problems %v", appSummary(res), res.Problems)
	}
	api, worker := res.Apps[0], res.Apps[1]
	if got := api.Fields["spec.destination.namespace"]; got != (finding.Location{File: "tf/api/app.yaml", Line: 8, Column: 5}) {
		t.Errorf("file() field at %v", got)
	}
	if got := worker.Fields["spec.destination.namespace"]; got != (finding.Location{File: "w/main.tf", Line: 12, Column: 0}) {
		t.Errorf("heredoc field at %v", got)
	}
	if worker.App.Spec.Destination.Namespace != "jobs" || worker.App.Spec.Project != "default" {
		t.Errorf("worker spec %+v", worker.App.Spec)
	}
}
