package pipeline

import (
	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/suppress"
)

// applySuppressions removes the findings the user suppressed: in
// ignorePaths, by a syncdoctor:ignore comment on the finding's line or the
// line above, by the Application's syncdoctor.io/ignore annotation, or by
// the baseline. Findings of suppression-without-reason are suppressible
// like any other, so a team can still turn the policy off per file.
func applySuppressions(in *check.Input, baseline *suppress.Baseline, findings []finding.Finding) ([]finding.Finding, []suppress.Suppressed) {
	opts := suppress.Options{Baseline: baseline, Files: in.Files}
	if in.Config != nil {
		opts.IgnorePaths = in.Config.IgnorePaths
	}
	for _, a := range in.Apps {
		ann := a.App.Annotations
		if ids := suppress.ParseAnnotation(ann[suppress.AnnotationIgnore]); len(ids) > 0 {
			opts.Apps = append(opts.Apps, suppress.AppIgnore{App: a.Name(), Checks: ids, Reason: ann[suppress.AnnotationReason]})
		}
	}
	return suppress.Apply(findings, opts)
}
