package check

import (
	"encoding/json"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// ruleYAML orders an ignoreDifferences entry as people write it (scope
// first, then paths); the field names are ArgoCD's JSON names
// (v1alpha1.ResourceIgnoreDifferences).
type ruleYAML struct {
	Group                 string   `yaml:"group,omitempty"`
	Kind                  string   `yaml:"kind"`
	Name                  string   `yaml:"name,omitempty"`
	Namespace             string   `yaml:"namespace,omitempty"`
	JSONPointers          []string `yaml:"jsonPointers,omitempty"`
	JQPathExpressions     []string `yaml:"jqPathExpressions,omitempty"`
	ManagedFieldsManagers []string `yaml:"managedFieldsManagers,omitempty"`
}

func rulesYAML(rules []v1alpha1.ResourceIgnoreDifferences) string {
	items := make([]ruleYAML, len(rules))
	for i, r := range rules {
		items[i] = ruleYAML(r)
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	_ = enc.Encode(items) // plain strings and lists always encode
	_ = enc.Close()
	return b.String()
}

// ignoreFixes returns the ways to add rules to app's ignoreDifferences:
// the edit of the file that declares it (YAML, or the Terraform
// kubernetes_manifest), and a kubectl merge patch that carries the app's
// existing rules too, because a JSON merge patch replaces lists
// (RFC 7386) and would drop them.
func ignoreFixes(app *target.Application, rules []v1alpha1.ResourceIgnoreDifferences, title string) []finding.Fix {
	if len(rules) == 0 {
		return nil
	}
	items := rulesYAML(rules)
	var out []finding.Fix
	switch app.Origin {
	case target.OriginTerraform:
		out = append(out, finding.Fix{
			Title: title, Kind: finding.FixTerraform, File: app.Declared.File,
			Patch: terraformRules(app, rules),
			Edits: []finding.Edit{{
				File: app.Declared.File, Path: app.TerraformAddress + ".manifest.spec.ignoreDifferences",
				Op: finding.OpAppend, Value: items,
			}},
		})
	case target.OriginConfig:
		// A chart listed in .syncdoctor.yaml has no Application to edit.
	default:
		fix := finding.Fix{
			Title: title, Kind: finding.FixYAML, File: app.Declared.File,
			Patch: "spec:\n  ignoreDifferences:\n" + indent(items, "    "),
		}
		if app.Origin == target.OriginYAML {
			fix.Edits = []finding.Edit{{
				File: app.Declared.File, Document: app.DocIndex, Path: "spec.ignoreDifferences",
				Op: finding.OpAppend, Value: items,
			}}
		}
		out = append(out, fix)
	}
	if app.Origin != target.OriginConfig {
		out = append(out, finding.Fix{
			Title: title + " in the cluster now (keeps the existing rules)", Kind: finding.FixKubectl,
			Patch: kubectlRules(app, rules),
		})
	}
	return out
}

// kubectlRules is the kubectl merge patch setting the full list.
func kubectlRules(app *target.Application, rules []v1alpha1.ResourceIgnoreDifferences) string {
	return kubectlList(app, append(append([]v1alpha1.ResourceIgnoreDifferences(nil), app.App.Spec.IgnoreDifferences...), rules...))
}

// kubectlList is the kubectl merge patch setting ignoreDifferences to all.
func kubectlList(app *target.Application, all []v1alpha1.ResourceIgnoreDifferences) string {
	if all == nil {
		all = []v1alpha1.ResourceIgnoreDifferences{}
	}
	body, _ := json.Marshal(map[string]any{"spec": map[string]any{"ignoreDifferences": all}})
	ns := app.App.Namespace
	if ns == "" {
		ns = "argocd"
	}
	quoted := "'" + strings.ReplaceAll(string(body), "'", `'\''`) + "'"
	return "kubectl patch application " + app.Name() + " -n " + ns + " --type merge -p " + quoted
}

// terraformRules writes the new entries as the HCL a kubernetes_manifest
// attribute holds, formatted by hclwrite.
func terraformRules(app *target.Application, rules []v1alpha1.ResourceIgnoreDifferences) string {
	return "# in " + app.TerraformAddress + ", manifest.spec (append to an existing list)\n" + terraformHCL(rules)
}

// terraformHCL writes ignoreDifferences = [...] with hclwrite.
func terraformHCL(rules []v1alpha1.ResourceIgnoreDifferences) string {
	vals := make([]cty.Value, 0, len(rules))
	for _, r := range rules {
		attrs := map[string]cty.Value{"kind": cty.StringVal(r.Kind)}
		for k, v := range map[string]string{"group": r.Group, "name": r.Name, "namespace": r.Namespace} {
			if v != "" {
				attrs[k] = cty.StringVal(v)
			}
		}
		for k, list := range map[string][]string{"jsonPointers": r.JSONPointers, "jqPathExpressions": r.JQPathExpressions, "managedFieldsManagers": r.ManagedFieldsManagers} {
			if len(list) == 0 {
				continue
			}
			items := make([]cty.Value, len(list))
			for i, s := range list {
				items[i] = cty.StringVal(s)
			}
			attrs[k] = cty.TupleVal(items)
		}
		vals = append(vals, cty.ObjectVal(attrs))
	}
	f := hclwrite.NewEmptyFile()
	f.Body().SetAttributeValue("ignoreDifferences", cty.TupleVal(vals))
	return string(hclwrite.Format(f.Bytes()))
}
