package diffsem

import (
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/gobwas/glob"
)

// neverKind is a kind glob that matches no real object (kinds never contain
// NUL).
const neverKind = "\x00invalid-glob"

// sanitizeRules returns rules with any group or kind pattern that does not
// compile replaced by one that matches nothing. ArgoCD's glob.Match (argo-cd
// util/glob/glob.go) treats such a pattern as "no match" after logging a
// warning through the global logrus logger; we keep the verdict and skip the
// log. The rule's jq expressions stay, so a jq compile error still fails the
// comparison as it does in ArgoCD.
func sanitizeRules(rules []v1alpha1.ResourceIgnoreDifferences) []v1alpha1.ResourceIgnoreDifferences {
	out := make([]v1alpha1.ResourceIgnoreDifferences, len(rules))
	for i, r := range rules {
		if !globCompiles(r.Group) || !globCompiles(r.Kind) {
			r.Group, r.Kind = "", neverKind
		}
		out[i] = r
	}
	return out
}

func globCompiles(pattern string) bool {
	_, err := glob.Compile(pattern)
	return err == nil
}
