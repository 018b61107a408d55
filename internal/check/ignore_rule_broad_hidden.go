package check

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// judgedKinds are the built-in kinds whose writers in the cluster are known
// well enough to say that a field the user sets in git is theirs alone.
// Custom resources are left out (their operators may write any spec field),
// and so are Secret and ConfigMap (a placeholder in git that an operator
// fills is a documented pattern) and Job (the API server adds
// controller-uid labels and selectors to it).
var judgedKinds = map[string]bool{
	"apps/Deployment": true, "apps/StatefulSet": true, "apps/DaemonSet": true,
	"/Service": true, "/ServiceAccount": true,
	"networking.k8s.io/Ingress": true, "networking.k8s.io/NetworkPolicy": true,
	"policy/PodDisruptionBudget": true, "batch/CronJob": true,
	"autoscaling/HorizontalPodAutoscaler": true,
	"rbac.authorization.k8s.io/Role":      true, "rbac.authorization.k8s.io/RoleBinding": true,
	"rbac.authorization.k8s.io/ClusterRole": true, "rbac.authorization.k8s.io/ClusterRoleBinding": true,
}

// imagePath matches the image of a container in a pod template.
var imagePath = regexp.MustCompile(`^/spec(/jobTemplate/spec)?/template/spec/(initContainers|containers|ephemeralContainers)/[0-9]+/image$`)

// hiddenUserField is a field set in git that a rule hides.
type hiddenUserField struct {
	obj  *manifest.Object
	path string
}

// hiddenUserFields returns the fields of the app's rendered objects that
// rule hides and that nothing in the cluster writes. For each matched
// object it builds a live copy in which every leaf differs (identity
// fields kept) and asks diffsem.Explain which differences the rule alone
// hides, then drops what the API server or a known controller writes and
// what differs between two renders (render-nondeterministic's fields).
func hiddenUserFields(ctx context.Context, in *Input, rs []*Rendered, rule v1alpha1.ResourceIgnoreDifferences, opts diffsem.Options) []hiddenUserField {
	var out []hiddenUserField
	images := 0
	rules := []v1alpha1.ResourceIgnoreDifferences{rule}
	for _, r := range rs {
		unstable := unstableFields(ctx, in, r)
		for _, o := range r.Objects {
			if ctx.Err() != nil {
				return nil
			}
			g, k := groupKindOf(o.Content)
			if !judgedKinds[g+"/"+k] || !ruleScopes(rule, o.Content) {
				continue
			}
			live, _ := perturbLeaves(o.Content, "").(map[string]any)
			ex, err := diffsem.Explain(o.Content, live, rules, opts)
			if err != nil {
				continue // the comparison fails; ignore-rule-dead reports broken rules
			}
			server := diffsem.PredictServerFields(o.Content, opts)
			for _, e := range ex {
				// A changed merge key (a container's name) shows as an added
				// item too; only paths that exist in git are the user's.
				if e.Rule == 0 && e.HiddenBy == "ignoreDifferences[0]" && inObject(o.Content, e.Path) && !writtenInCluster(k, e.Path, server) && !unstable(o, e.Path) {
					out = append(out, hiddenUserField{obj: o, path: e.Path})
					if imagePath.MatchString(e.Path) {
						images++
					}
				}
			}
		}
	}
	if images == len(out) {
		// Container images alone are left alone: Keel, Kyverno image
		// policies and in-cluster image updaters rewrite them on purpose.
		return nil
	}
	return out
}

// perturbLeaves returns a copy of v with every leaf changed in a way that keeps
// its type and its syntax (a quantity stays a quantity, "25%" stays a
// percentage), except the fields that identify the object.
func perturbLeaves(v any, at string) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, c := range t {
			p := at + "/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(k)
			if p == "/apiVersion" || p == "/kind" || p == "/metadata/name" || p == "/metadata/namespace" {
				m[k] = c
				continue
			}
			m[k] = perturbLeaves(c, p)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, c := range t {
			l[i] = perturbLeaves(c, fmt.Sprintf("%s/%d", at, i))
		}
		return l
	case string:
		return "1" + t
	case bool:
		return !t
	case int:
		return t + 1
	case int64:
		return t + 1
	case float64:
		return t + 1
	}
	return v
}

// writtenInCluster reports whether path is a field that the API server or
// a well-known controller writes, so hiding it is what the rule is for.
func writtenInCluster(kind, path string, server []diffsem.Drift) bool {
	if path == "" || strings.HasPrefix(path, "/status") || strings.HasPrefix(path, "/metadata/") || path == "/metadata" {
		return true
	}
	return knownWriter(kind, path) || underServerDrift(path, server)
}

// knownWriter reports whether a field of a kind is one that something in
// the cluster routinely changes although syncdoctor cannot predict when.
func knownWriter(kind, path string) bool {
	toks := strings.Split(path, "/")
	if toks[len(toks)-1] == "caBundle" {
		return true // cert-manager cainjector, service-ca-operator
	}
	switch kind {
	case "Deployment", "StatefulSet":
		// Scaled by an HPA, KEDA or kubectl scale, possibly from outside
		// this app, so the rule is not judged even without a local HPA.
		return path == "/spec/replicas"
	case "Service":
		return slices.Contains([]string{"/spec/clusterIP", "/spec/clusterIPs", "/spec/ipFamilies", "/spec/ipFamilyPolicy", "/spec/healthCheckNodePort"}, path) ||
			(strings.HasPrefix(path, "/spec/ports/") && strings.HasSuffix(path, "/nodePort")) // allocated by the API server
	case "CronJob":
		return path == "/spec/suspend" // suspended by hand during incidents, on purpose
	case "ServiceAccount":
		return strings.HasPrefix(path, "/secrets") || strings.HasPrefix(path, "/imagePullSecrets") // token and image-pull-secret controllers
	}
	return false
}

// underServerDrift reports whether path lies in a field diffsem predicts
// the server or a controller rewrites.
func underServerDrift(path string, server []diffsem.Drift) bool {
	for _, d := range server {
		if path == d.Path || strings.HasPrefix(path, d.Path+"/") {
			return true
		}
	}
	return false
}

// broadHiddenFinding reports the fields a rule hides from the user.
func broadHiddenFinding(app *target.Application, i int, rule v1alpha1.ResourceIgnoreDifferences, hidden []hiddenUserField) finding.Finding {
	loc := ruleLocation(app, i)
	var list []string
	for _, h := range hidden {
		list = append(list, fmt.Sprintf("%s %s %s", h.obj.Ref.Kind, h.obj.Ref.Name, h.path))
	}
	shown := list
	if len(shown) > 3 {
		shown = append(slices.Clone(shown[:3]), fmt.Sprintf("and %d more", len(list)-3))
	}
	ev := []finding.Evidence{{Label: "rule", Value: ruleSummary(rule) + pathSummary(rule.JSONPointers, rule.JQPathExpressions), At: loc}}
	for _, h := range hidden {
		ev = append(ev, finding.Evidence{Label: "hidden field set in git", Value: h.obj.Ref.String() + " " + h.path, At: h.obj.Location()})
	}
	return finding.Finding{
		App: app.Name(), Location: loc,
		Message:  fmt.Sprintf("ignoreDifferences[%d] of %s hides fields set in git that nothing in the cluster writes: %s", i, app.Name(), strings.Join(shown, ", ")),
		Evidence: ev,
		Impact:   "changes to these fields in git, or by hand in the cluster, never show as OutOfSync; with RespectIgnoreDifferences a sync does not even apply them",
		Fixes: []finding.Fix{{
			Title: "Narrow the entry to the field that drifts", Kind: finding.FixYAML, File: loc.File,
			Patch: fmt.Sprintf("# spec.ignoreDifferences[%d] hides, among others:\n", i) + commentLines(list) + rulesYAML([]v1alpha1.ResourceIgnoreDifferences{rule}),
		}},
	}
}

func commentLines(list []string) string {
	var b strings.Builder
	for _, s := range list {
		b.WriteString("#   " + s + "\n")
	}
	return b.String()
}

// inObject reports whether RFC 6901 pointer p names a field of obj.
func inObject(obj map[string]any, p string) bool {
	if p == "" {
		return false
	}
	var cur any = obj
	for _, tok := range strings.Split(p[1:], "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch t := cur.(type) {
		case map[string]any:
			v, ok := t[tok]
			if !ok {
				return false
			}
			cur = v
		case []any:
			i, err := parseUint(tok)
			if err != nil || i >= len(t) {
				return false
			}
			cur = t[i]
		default:
			return false
		}
	}
	return true
}
