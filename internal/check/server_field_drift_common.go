package check

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// Helpers shared by the offline diff checks (server-field-drift,
// crd-default-drift, ignore-rule-dead, ignore-rule-broad,
// render-nondeterministic): how ArgoCD will compare one Application, the
// CRDs the checkout renders, and where an object's finding belongs.

// systemRules is argocd-cm as the user names it or the checkout renders it.
type systemRules struct {
	rules diffsem.SystemRules
	obj   *manifest.Object // the argocd-cm object, nil when the checkout has none
	err   error            // argocd-cm does not parse (ArgoCD fails the same way)
}

// checkoutSystemRules parses the diff customizations of argocd-cm once per
// run: the one read from --argocd-cm or argocdCM when given (it describes
// the ArgoCD that syncs these apps, so it wins), else a ConfigMap named
// argocd-cm among every rendered object (an ArgoCD installation managed
// from the same repo). A file no Application renders is not searched for:
// a stray copy would silently change every verdict.
func checkoutSystemRules(in *Input) systemRules {
	return in.Memo("diff:argocd-cm", func() any {
		if o := in.ArgoCDCM; o != nil {
			sr, err := diffsem.ParseArgoCDConfigMap(o.Content)
			return systemRules{rules: sr, obj: o, err: err}
		}
		for _, r := range in.Targets {
			for _, o := range r.Objects {
				if o.Ref.Group == "" && o.Ref.Kind == "ConfigMap" && o.Ref.Name == "argocd-cm" {
					sr, err := diffsem.ParseArgoCDConfigMap(o.Content)
					return systemRules{rules: sr, obj: o, err: err}
				}
			}
		}
		return systemRules{}
	}).(systemRules)
}

// appDiffOptions builds the diffsem options for one Application of the
// checkout: the configured ArgoCD version (--argocd-version or
// .syncdoctor.yaml argocdVersion), the checkout's argocd-cm, and the app's
// ServerSideApply sync option and ServerSideDiff compare option
// (argo-cd controller/state.go CompareAppState reads both from the app).
func appDiffOptions(in *Input, app *target.Application) diffsem.Options {
	sr := checkoutSystemRules(in)
	opts := diffsem.Options{SystemRules: sr.rules}
	if in.Config != nil {
		opts.ArgoCDVersion = in.Config.ArgoCDVersion
	}
	if sp := app.App.Spec.SyncPolicy; sp != nil {
		opts.ServerSideApply = sp.SyncOptions.HasOption("ServerSideApply=true")
		opts.RespectIgnoreDifferences = sp.SyncOptions.HasOption("RespectIgnoreDifferences=true")
	}
	opts.ServerSideDiff = strings.Contains(app.App.Annotations["argocd.argoproj.io/compare-options"], "ServerSideDiff=true")
	return opts
}

// modeLabel names the ArgoCD version and diff mode in evidence.
func modeLabel(opts diffsem.Options, obj map[string]any) string {
	v := opts.ArgoCDVersion
	if v == "" {
		v = diffsem.VersionDefault + " (default; set --argocd-version or argocdVersion)"
	}
	mode := "client-side diff"
	switch {
	case opts.ServerSideDiff:
		mode = "server-side diff (compare-options ServerSideDiff=true)"
	case opts.ServerSideApply:
		mode = "structured-merge diff (sync option ServerSideApply=true)"
	case strings.Contains(manifest.GetString(obj, "metadata", "annotations", "argocd.argoproj.io/sync-options"), "ServerSideApply=true"):
		mode = "structured-merge diff (the resource's sync-options annotation ServerSideApply=true)"
	}
	return "ArgoCD " + v + ", " + mode + ", ignoreResourceStatusField " + opts.EffectiveStatusMode()
}

// crdEntry is one CRD the checkout renders.
type crdEntry struct {
	crd *apiextensionsv1.CustomResourceDefinition
	obj *manifest.Object
}

// checkoutCRDs indexes every CustomResourceDefinition rendered by any
// Target by "group/Kind": the API server defaults a custom resource with
// its CRD whichever app installs the CRD.
func checkoutCRDs(in *Input) map[string]crdEntry {
	return in.Memo("diff:crds", func() any {
		out := map[string]crdEntry{}
		// Rendered CRDs first: they are what the apps install.
		lists := make([][]*manifest.Object, 0, len(in.Targets)+1)
		for _, r := range in.Targets {
			lists = append(lists, r.Objects)
		}
		for _, objs := range append(lists, in.CRDs) {
			for _, o := range objs {
				if o.Ref.Group != "apiextensions.k8s.io" || o.Ref.Kind != "CustomResourceDefinition" {
					continue
				}
				var crd apiextensionsv1.CustomResourceDefinition
				if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Content, &crd); err != nil {
					continue // not a valid CRD; the API server would reject it too
				}
				key := crd.Spec.Group + "/" + crd.Spec.Names.Kind
				if _, dup := out[key]; !dup {
					out[key] = crdEntry{crd: &crd, obj: o}
				}
			}
		}
		return out
	}).(map[string]crdEntry)
}

// kindLineRE matches a `kind:` line, with a trailing YAML comment or
// template comments (which render to nothing) allowed.
var kindLineRE = regexp.MustCompile(`^\s*kind:\s*["']?([A-Za-z0-9]+)["']?\s*(\{\{-?\s*/\*.*?\*/\s*-?\}\}\s*)*(#.*)?$`)

// objectLocation is the primary line of a finding about obj: the `kind:`
// line of its document for plain manifests; for templates the first
// `kind: <Kind>` line of the template file, or the file alone when the
// kind is computed.
func objectLocation(in *Input, obj *manifest.Object) finding.Location {
	loc := obj.Location()
	if in.Files == nil || obj.File == "" {
		return loc
	}
	data, err := in.Files.ReadFile(obj.File)
	if err != nil {
		return loc
	}
	lines := strings.Split(string(data), "\n")
	start := max(obj.Line-1, 0)
	for i := start; i < len(lines); i++ {
		if obj.Line > 0 && i > start && strings.HasPrefix(lines[i], "---") {
			break
		}
		if m := kindLineRE.FindStringSubmatch(lines[i]); m != nil && m[1] == obj.Ref.Kind {
			if obj.Line > 0 && strings.HasPrefix(lines[i], " ") {
				continue // a nested kind: (secretStoreRef.kind), not the object's
			}
			return finding.Location{File: obj.File, Line: i + 1}
		}
	}
	return loc
}

// ruleLocation is where rule i of app is declared.
func ruleLocation(app *target.Application, i int) finding.Location {
	return app.FieldLocation(fmt.Sprintf("spec.ignoreDifferences[%d]", i))
}

// groupKindOf returns an object's API group and kind.
func groupKindOf(obj map[string]any) (string, string) {
	apiVersion := manifest.GetString(obj, "apiVersion")
	g := ""
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		g = apiVersion[:i]
	}
	return g, manifest.GetString(obj, "kind")
}

// ruleCount is the number of paths and managers a rule carries.
func ruleCount(r v1alpha1.ResourceIgnoreDifferences) int {
	return len(r.JSONPointers) + len(r.JQPathExpressions) + len(r.ManagedFieldsManagers)
}

// appTargets groups the rendered Targets by Application, in order.
func appTargets(in *Input) ([]*target.Application, map[*target.Application][]*Rendered) {
	by := map[*target.Application][]*Rendered{}
	var apps []*target.Application
	for _, r := range in.Targets {
		a := r.Target.App
		if _, ok := by[a]; !ok {
			apps = append(apps, a)
		}
		by[a] = append(by[a], r)
	}
	return apps, by
}
