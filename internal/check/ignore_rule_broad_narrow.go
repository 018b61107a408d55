package check

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// narrowing is the validated replacement of one broad ignoreDifferences
// entry: the rules that hide exactly the predicted drift the entry hid.
type narrowing struct {
	rules []v1alpha1.ResourceIgnoreDifferences // empty: delete the entry
	kept  []string                             // "Kind name path (writer)" still hidden
}

// narrowObject is one rendered object of the app with its predicted drift.
type narrowObject struct {
	obj     *manifest.Object
	desired map[string]any
	pairs   []narrowPair
	user    []string // fields set in git that the broad entry hides
}

// narrowPair is one predicted drift of an object: desired against the
// live object once the writer acted, and what the broad entry left of it.
type narrowPair struct {
	live  map[string]any
	what  string
	paths []string // the rule paths for it; none: diffsem.MinimalRule's
	withB []string // differing paths with the broad entry in place
}

// serverModelledKinds are built-in kinds whose server-written fields
// diffsem.PredictServerFields models, beyond judgedKinds.
var serverModelledKinds = map[string]bool{
	"apiregistration.k8s.io/APIService":                           true,
	"admissionregistration.k8s.io/MutatingWebhookConfiguration":   true,
	"admissionregistration.k8s.io/ValidatingWebhookConfiguration": true,
	"apiextensions.k8s.io/CustomResourceDefinition":               true,
	"rbac.authorization.k8s.io/ClusterRole":                       true,
}

// narrowRule computes the replacement of app's entry i from the app's
// rendered objects: for every object the entry applies to, the drift
// syncdoctor predicts (diffsem.PredictServerFields, CRD defaults, and the
// fields known to be changed in the cluster: replicas, images, allocated
// Service fields, caBundle) is replayed through ArgoCD's diff with and
// without the entry; the drift it hid gets diffsem.MinimalRule's rule,
// kept to what the entry hid, and collapsed to group and kind when every
// object of that kind in the entry's scope needs the same paths. The
// result is replayed: the predicted drift is hidden exactly as before, and
// every field set in git that the entry hid is compared again.
//
// No narrowing is proposed (why says so) when a source of the app was not
// rendered (the entry may apply to objects nobody saw), when the entry
// names managers (they act on live managedFields), or when it hides a
// field of an object whose writers syncdoctor cannot judge (a custom
// resource without its CRD, a Secret's data): dropping it could bring
// back an OutOfSync loop, keeping it would not be narrowing.
func narrowRule(ctx context.Context, in *Input, app *target.Application, rs []*Rendered, i int, skip map[int]bool) (n narrowing, why string) {
	rules := app.App.Spec.IgnoreDifferences
	b := rules[i]
	if len(b.ManagedFieldsManagers) > 0 {
		return n, "the entry names managedFieldsManagers, which act on the live object's managedFields that no offline prediction sees"
	}
	crds := checkoutCRDs(in)
	objs, _, complete := predictedObjects(in, rs, crds)
	if !complete {
		return n, "a source of the app was not rendered, so the entry may apply to objects syncdoctor did not see"
	}
	opts := appDiffOptions(in, app)
	var others []v1alpha1.ResourceIgnoreDifferences
	for j, r := range rules {
		if j != i && !skip[j] {
			others = append(others, r)
		}
	}
	withB := append(slices.Clone(others), b)
	var scoped []*narrowObject
	var all []*narrowObject
	for _, r := range rs {
		for _, o := range r.Objects {
			if ctx.Err() != nil {
				return n, "cancelled"
			}
			if o.IsHook() {
				continue // ArgoCD does not compare hooks
			}
			no := &narrowObject{obj: o, desired: o.Content}
			all = append(all, no)
			if !ruleScopes(b, o.Content) {
				continue
			}
			if why := predictNarrowObject(in, no, others, withB, crds, opts); why != "" {
				return n, why
			}
			scoped = append(scoped, no)
		}
	}
	perObject := map[*narrowObject]v1alpha1.ResourceIgnoreDifferences{}
	for _, no := range scoped {
		r, kept, why := objectRule(no, others, withB, opts)
		if why != "" {
			return n, why
		}
		if ruleCount(r) > 0 {
			perObject[no] = r
			n.kept = append(n.kept, kept...)
		}
	}
	n.rules = collapseRules(b, scoped, perObject)
	if why := validateNarrowing(all, others, withB, n.rules, objs, opts); why != "" {
		return narrowing{}, why
	}
	return n, ""
}

// predictNarrowObject fills the object's predicted drift and the fields
// set in git that b alone hides; it returns why the object cannot be
// judged, or "".
func predictNarrowObject(in *Input, no *narrowObject, others, withB []v1alpha1.ResourceIgnoreDifferences, crds map[string]crdEntry, opts diffsem.Options) string {
	o := no.obj
	pert, _ := perturbLeaves(o.Content, "").(map[string]any)
	vis := diffsem.Compare(o.Content, pert, others, opts)
	visB := diffsem.Compare(o.Content, pert, withB, opts)
	if vis.Err != nil || visB.Err != nil {
		return "ArgoCD's comparison of " + o.Ref.String() + " fails with the app's rules"
	}
	server := diffsem.PredictServerFields(o.Content, opts)
	for _, d := range server {
		live := values.DeepCopyValue(o.Content).(map[string]any)
		if rewrite(live, d) {
			// The path server-field-drift would propose: the whole
			// field, not each leaf of a modelled status.
			no.pairs = append(no.pairs, narrowPair{live: live, what: d.Path + " (" + d.Writer + ")", paths: []string{d.Path}})
		}
	}
	pd, known := predictDefaults(in, o, crds)
	if known && len(pd.added) > 0 {
		no.pairs = append(no.pairs, narrowPair{live: pd.live, what: strings.Join(pd.added, ", ") + " (defaulted by " + pd.source + ")"})
	}
	for _, p := range pathsMinus(vis.Paths, visB.Paths) {
		switch {
		case underServerDrift(p, server):
			// a predicted server-written field: its pair is above
		case knownWriter(o.Ref.Kind, p) || imagePath.MatchString(p):
			live := values.DeepCopyValue(o.Content).(map[string]any)
			if v, ok := valueAt(pert, p); ok && setPointer(live, p, v) {
				no.pairs = append(no.pairs, narrowPair{live: live, what: p + " (changed in the cluster by " + clusterWriterOf(o.Ref.Kind, p) + ")"})
			}
		case judgeable(o, p, known):
			no.user = append(no.user, p)
		default:
			return fmt.Sprintf("the entry hides %s of %s, whose writers in the cluster syncdoctor cannot judge", p, o.Ref)
		}
	}
	return ""
}

// judgeable reports whether a field of o set in git is the user's alone
// unless a prediction says otherwise.
func judgeable(o *manifest.Object, path string, crdKnown bool) bool {
	gk := o.Ref.Group + "/" + o.Ref.Kind
	if judgedKinds[gk] || serverModelledKinds[gk] || crdKnown {
		return true
	}
	builtin := o.Ref.Group == "" || !strings.Contains(o.Ref.Group, ".") || strings.HasSuffix(o.Ref.Group, ".k8s.io")
	return builtin && (strings.HasPrefix(path, "/metadata/labels/") || strings.HasPrefix(path, "/metadata/annotations/"))
}

func clusterWriterOf(kind, path string) string {
	switch {
	case imagePath.MatchString(path):
		return "an image updater (Keel, Argo CD Image Updater, Kyverno)"
	case path == "/spec/replicas":
		return "an autoscaler or kubectl scale"
	case strings.HasSuffix(path, "/caBundle"):
		return "a CA injector"
	case kind == "Service":
		return "the API server's allocator"
	}
	return "a controller or by hand"
}

// objectRule is the rule that hides, on one object, what b hid of its
// predicted drift: MinimalRule's proposal with each path kept only when
// everything it hides was hidden by b.
func objectRule(no *narrowObject, others, withB []v1alpha1.ResourceIgnoreDifferences, opts diffsem.Options) (v1alpha1.ResourceIgnoreDifferences, []string, string) {
	var out v1alpha1.ResourceIgnoreDifferences
	var kept []string
	for k := range no.pairs {
		p := &no.pairs[k]
		without := diffsem.Compare(no.desired, p.live, others, opts)
		with := diffsem.Compare(no.desired, p.live, withB, opts)
		if without.Err != nil || with.Err != nil {
			return out, nil, "ArgoCD's comparison of " + no.obj.Ref.String() + " fails with the app's rules"
		}
		p.withB = with.Paths
		hidden := pathsMinus(without.Paths, with.Paths)
		if !without.Modified || len(hidden) == 0 {
			continue // no drift in this mode, or hidden by another rule
		}
		m, ok := scopeOf(no.obj), true
		for _, q := range p.paths {
			if strings.HasPrefix(q, ".") {
				m.JQPathExpressions = append(m.JQPathExpressions, q)
			} else {
				m.JSONPointers = append(m.JSONPointers, q)
			}
		}
		if len(p.paths) == 0 {
			m, ok = diffsem.MinimalRule(no.desired, p.live, others, opts)
		}
		if !ok {
			return out, nil, "no rule hides the predicted drift " + p.what + " of " + no.obj.Ref.String()
		}
		if ruleCount(out) == 0 {
			out = v1alpha1.ResourceIgnoreDifferences{Group: m.Group, Kind: m.Kind, Name: m.Name, Namespace: m.Namespace}
		}
		one := func(ptr, jq string) bool {
			r := v1alpha1.ResourceIgnoreDifferences{Group: m.Group, Kind: m.Kind, Name: m.Name, Namespace: m.Namespace}
			if jq != "" {
				r.JQPathExpressions = []string{jq}
			} else {
				r.JSONPointers = []string{ptr}
			}
			res := diffsem.Compare(no.desired, p.live, append(slices.Clone(others), r), opts)
			h := pathsMinus(without.Paths, res.Paths)
			return res.Err == nil && len(h) > 0 && len(pathsMinus(h, hidden)) == 0
		}
		for _, ptr := range m.JSONPointers {
			if one(ptr, "") && !slices.Contains(out.JSONPointers, ptr) {
				out.JSONPointers = append(out.JSONPointers, ptr)
			}
		}
		for _, jq := range m.JQPathExpressions {
			if one("", jq) && !slices.Contains(out.JQPathExpressions, jq) {
				out.JQPathExpressions = append(out.JQPathExpressions, jq)
			}
		}
		kept = append(kept, no.obj.Ref.Kind+" "+no.obj.Ref.Name+" "+p.what)
	}
	slices.Sort(out.JSONPointers)
	slices.Sort(out.JQPathExpressions)
	return out, kept, ""
}
