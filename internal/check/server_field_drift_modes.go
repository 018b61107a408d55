package check

import (
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// lastV2 is the ArgoCD 2.x line replayed when the configured version is 3.x.
const lastV2 = "2.14"

// modeVariants are the ArgoCD versions and diff modes other than opts that
// a finding's drift is replayed under: the other major with the app's own
// diff mode, and the configured version with each other diff mode
// (client-side, ServerSideApply's structured-merge diff, ServerSideDiff).
// Variants that name the same comparison as opts or as each other (a
// resource annotated ServerSideApply=true is diffed by structured merge
// whatever the app says) are dropped, keyed by their label.
func modeVariants(opts diffsem.Options, obj map[string]any) []diffsem.Options {
	other := opts
	other.ArgoCDVersion = diffsem.VersionDefault
	if opts.Major() == 3 {
		other.ArgoCDVersion = lastV2
	}
	out := []diffsem.Options{other}
	for _, m := range []struct{ ssa, ssd bool }{{false, false}, {true, false}, {false, true}} {
		alt := opts
		alt.ServerSideApply, alt.ServerSideDiff = m.ssa, m.ssd
		out = append(out, alt)
	}
	seen := map[string]bool{variantLabel(opts, obj): true}
	var keep []diffsem.Options
	for _, o := range out {
		if l := variantLabel(o, obj); !seen[l] {
			seen[l] = true
			keep = append(keep, o)
		}
	}
	return keep
}

// variantLabel is modeLabel with the version spelled out.
func variantLabel(opts diffsem.Options, obj map[string]any) string {
	if opts.ArgoCDVersion == "" {
		opts.ArgoCDVersion = diffsem.VersionDefault
	}
	return modeLabel(opts, obj)
}

// variantEvidence replays desired against the predicted live object under
// every variant of opts and says under which the drift disappears and
// under which it stays; drifts reports whether a result still shows the
// predicted drift. A variant whose comparison fails is left out.
func variantEvidence(desired, live map[string]any, rules []v1alpha1.ResourceIgnoreDifferences, opts diffsem.Options, drifts func(diffsem.Result) bool) []finding.Evidence {
	var also, not []string
	for _, alt := range modeVariants(opts, desired) {
		res := diffsem.Compare(desired, live, rules, alt)
		if res.Err != nil {
			continue
		}
		if drifts(res) {
			also = append(also, variantLabel(alt, desired))
		} else {
			not = append(not, variantLabel(alt, desired))
		}
	}
	var ev []finding.Evidence
	if len(not) > 0 {
		ev = append(ev, finding.Evidence{Label: "in sync under", Value: strings.Join(not, "; ")})
	}
	if len(also) > 0 {
		ev = append(ev, finding.Evidence{Label: "also drifts under", Value: strings.Join(also, "; ")})
	}
	return ev
}
