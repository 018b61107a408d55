package check

import (
	"slices"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// How a narrowing of a broad entry is written and proven (see narrowRule).

// collapseRules writes one rule per group and kind when every object of
// that kind in b's scope needs the same paths, else one per object (by
// name, and namespace when two objects share the name).
func collapseRules(b v1alpha1.ResourceIgnoreDifferences, scoped []*narrowObject, per map[*narrowObject]v1alpha1.ResourceIgnoreDifferences) []v1alpha1.ResourceIgnoreDifferences {
	var out []v1alpha1.ResourceIgnoreDifferences
	done := map[string]bool{}
	for _, no := range scoped {
		r, ok := per[no]
		gk := no.obj.Ref.Group + "/" + no.obj.Ref.Kind
		if !ok || done[gk] {
			continue
		}
		done[gk] = true
		same, names := true, map[string]int{}
		var kind []*narrowObject
		for _, o := range scoped {
			if o.obj.Ref.Group+"/"+o.obj.Ref.Kind != gk {
				continue
			}
			kind = append(kind, o)
			names[o.obj.Ref.Name]++
			q, has := per[o]
			same = same && has && slices.Equal(q.JSONPointers, r.JSONPointers) && slices.Equal(q.JQPathExpressions, r.JQPathExpressions)
		}
		if same {
			out = append(out, v1alpha1.ResourceIgnoreDifferences{Group: r.Group, Kind: r.Kind, Name: b.Name, Namespace: b.Namespace,
				JSONPointers: r.JSONPointers, JQPathExpressions: r.JQPathExpressions})
			continue
		}
		for _, o := range kind {
			q, has := per[o]
			if !has {
				continue
			}
			q.Namespace = b.Namespace
			if names[o.obj.Ref.Name] > 1 {
				q.Namespace = manifest.GetString(o.desired, "metadata", "namespace")
			}
			out = append(out, q)
		}
	}
	return out
}

// validateNarrowing replays the replacement: every predicted drift shows
// exactly as it did with the broad entry, no field that the broad entry
// left visible is hidden, every field set in git that it hid is visible
// again, and each new rule matches an object and removes something.
func validateNarrowing(all []*narrowObject, others, withB, repl []v1alpha1.ResourceIgnoreDifferences, objs []map[string]any, opts diffsem.Options) string {
	withR := append(slices.Clone(others), repl...)
	for _, no := range all {
		for _, p := range no.pairs {
			res := diffsem.Compare(no.desired, p.live, withR, opts)
			if res.Err != nil || !slices.Equal(res.Paths, p.withB) {
				return "the narrowed entries do not hide the predicted drift " + p.what + " of " + no.obj.Ref.String() + " as the entry did"
			}
		}
		pert, _ := perturbLeaves(no.desired, "").(map[string]any)
		visB := diffsem.Compare(no.desired, pert, withB, opts)
		visR := diffsem.Compare(no.desired, pert, withR, opts)
		if visB.Err != nil || visR.Err != nil || len(pathsMinus(visB.Paths, visR.Paths)) > 0 || len(pathsMinus(no.user, visR.Paths)) > 0 {
			return "the narrowed entries would hide other fields of " + no.obj.Ref.String() + " than the entry did"
		}
	}
	// Each new rule must remove something from a desired or a predicted
	// live object (a status only the server writes is live-only).
	for _, no := range all {
		for _, p := range no.pairs {
			objs = append(objs, p.live)
		}
	}
	for _, r := range repl {
		if !cleanRule(r, objs, opts) {
			return "a narrowed entry would hide nothing (" + ruleSummary(r) + ")"
		}
	}
	return ""
}

// pathsMinus returns the paths of a not in b.
func pathsMinus(a, b []string) []string {
	var out []string
	for _, p := range a {
		if !slices.Contains(b, p) {
			out = append(out, p)
		}
	}
	return out
}

// setPointer replaces the existing value at RFC 6901 pointer p.
func setPointer(doc map[string]any, p string, v any) bool {
	parent, last, ok := pointerParent(doc, p)
	if !ok {
		return false
	}
	switch c := parent.(type) {
	case map[string]any:
		if _, has := c[last]; has {
			c[last] = v
			return true
		}
	case []any:
		if i, err := parseUint(last); err == nil && i < len(c) {
			c[i] = v
			return true
		}
	}
	return false
}

// pointerParent returns the container that holds the value RFC 6901
// pointer p names, and p's last (unescaped) token.
func pointerParent(doc map[string]any, p string) (any, string, bool) {
	toks := pointerTokens(p)
	if len(toks) == 0 {
		return nil, "", false
	}
	esc := make([]string, len(toks)-1)
	for i, t := range toks[:len(toks)-1] {
		esc[i] = "/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(t)
	}
	parent, ok := valueAt(doc, strings.Join(esc, ""))
	return parent, toks[len(toks)-1], ok
}
