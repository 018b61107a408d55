package check

import (
	"context"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// The pipeline's own findings: trouble reading or rendering the user's
// repository is reported per app, never the end of the run. The pipeline
// builds them (it alone knows the positions); these checks give them an ID,
// documentation and the same policy knobs as every other check.

var discoveryError = &Check{
	ID:       "discovery-error",
	Summary:  "a file that declares applications cannot be read",
	Severity: finding.Error,
	Modes:    Offline | Live,
	Doc: `A YAML or Terraform file that declares ArgoCD Applications could not be
parsed, or an Application document does not decode (a field has the wrong
type), or app-of-apps parents form a cycle.

ArgoCD would fail the same way: the parent app goes into ComparisonError and the
children it should create never appear. Fix the syntax at the reported line.
YAML files that do not mention argoproj.io are never reported.`,
	Run: problemsOf("discovery-error"),
}

var renderError = &Check{
	ID:       "render-error",
	Summary:  "an application source fails to render",
	Severity: finding.Error,
	Modes:    Offline | Live,
	Doc: `Rendering the Application the way ArgoCD's repo-server does (helm template,
kustomize build, or reading a directory) failed: a template error, a
` + "`required`/`fail`" + `, a missing value file, a chart dependency that is neither vendored
nor fetchable, an output larger than the limit or a render that does not finish
in time.

ArgoCD shows the app as Unknown with a ComparisonError and syncs nothing; when it
happens in one environment only, the others keep deploying and the failure goes
unnoticed. The location is the template line Helm reports, the valueFiles entry,
or the Chart.yaml dependency.`,
	Run: problemsOf("render-error"),
}

var notAnalyzed = &Check{
	ID:       "not-analyzed",
	Summary:  "part of the repository could not be analysed",
	Severity: finding.Info,
	Modes:    Offline | Live,
	Doc: `syncdoctor could not analyse something and says so rather than staying
silent: a source in another Git repository that .syncdoctor.yaml does not map
(add it under ` + "`repos:`" + `), a config-management plugin or jsonnet source, an
ApplicationSet generator other than list and git, a Terraform expression that
depends on state (a data source or another resource), or a remote Helm chart
when --offline is set.

Checks see nothing of what is behind it, so findings there may be missing.`,
	Run: problemsOf("not-analyzed"),
}

func init() {
	register(discoveryError)
	register(renderError)
	register(notAnalyzed)
}

// problemsOf returns a Run function that reports the pipeline's findings
// for one check ID.
func problemsOf(id string) func(context.Context, *Input) []finding.Finding {
	return func(_ context.Context, in *Input) []finding.Finding {
		var out []finding.Finding
		for _, p := range in.Problems {
			if p.Check == id {
				out = append(out, p)
			}
		}
		return out
	}
}
