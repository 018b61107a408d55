package check

import (
	"fmt"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/diffsem"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// Charts from a Helm repository that were not rendered (offline, or the
// download failed) are judged from internal/diffsem's catalog of
// well-known charts: server-field-drift reports the facts a cluster writer
// causes, render-nondeterministic those the chart regenerates on every
// render. The pipeline's not-analyzed finding stays: the rest of the chart
// is still unseen.

// remoteChartFindings reports the catalog facts of source kind src for
// every unrendered remote chart, each object replayed through ArgoCD's
// diff with the Application's rules and diff mode.
func remoteChartFindings(in *Input, src diffsem.FactSource) []finding.Finding {
	var out []finding.Finding
	for _, r := range in.Targets {
		t := r.Target
		if t.Kind != target.SourceRemoteHelm || len(r.Objects) > 0 {
			continue
		}
		rel := chartRelease(in, t)
		opts := appDiffOptions(in, t.App)
		for _, p := range diffsem.PredictChart(rel) {
			if p.Fact.Source != src {
				continue
			}
			for _, pair := range p.Pairs {
				if f, ok := remoteChartFinding(in, r, rel, p.Fact, pair, opts); ok {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

func remoteChartFinding(in *Input, r *Rendered, rel diffsem.ChartRelease, fact *diffsem.ChartFact, pair diffsem.ObjectPair, opts diffsem.Options) (finding.Finding, bool) {
	app := r.Target.App
	rules := app.App.Spec.IgnoreDifferences
	res := diffsem.Compare(pair.Desired, pair.Live, rules, opts)
	if res.Err != nil || !res.Modified {
		return finding.Finding{}, false // hidden by the app's rules or argocd-cm, or no drift in this mode
	}
	ref := manifest.RefOf(pair.Desired, "")
	chart := fmt.Sprintf("chart %s %s", rel.Chart, rel.Version)
	loc := app.FieldLocation(sourceField(r.Target) + ".chart")
	if loc.IsZero() {
		loc = app.Declared
	}
	ev := []finding.Evidence{
		{Label: "why", Value: fmt.Sprintf("syncdoctor's catalog of well-known charts (%s): %s %s %s; written by %s", fact.ID, chart, fact.Object, strings.Join(fact.Paths, ", "), fact.Writer)},
		{Label: "switched on by", Value: fact.Switch + " (values as the Application sets them; the chart itself is not rendered offline)", At: app.FieldLocation(sourceField(r.Target) + ".helm")},
		{Label: "drifts under", Value: fact.Modes},
		{Label: "compared as", Value: modeLabel(opts, pair.Desired)},
	}
	ev = append(ev, variantEvidence(pair.Desired, pair.Live, rules, opts, func(res diffsem.Result) bool { return res.Modified })...)
	for _, e := range fact.Evidence {
		ev = append(ev, finding.Evidence{Label: "evidence", Value: e})
	}
	ev = append(ev, finding.Evidence{Label: "application", Value: "Application " + app.Name() + " has no ignoreDifferences entry for " + strings.Join(res.Paths, ", "), At: app.FieldLocation("spec.ignoreDifferences")})
	f := finding.Finding{
		App: app.Name(), Env: r.Target.Env, Object: ref, Location: loc, Evidence: ev,
	}
	title := "Ignore the server-written fields (validated: the diff comes out in sync)"
	if fact.Source == diffsem.RenderedEachTime {
		f.Message = fmt.Sprintf("%s %s of %s renders differently every time (%s), so ArgoCD sees it OutOfSync after each new render", ref.Kind, ref.Name, chart, strings.Join(res.Paths, ", "))
		f.Impact = "each sync rotates the generated certificate under running workloads; with automated sync it happens on every commit to the repository"
		title = "Ignore the regenerated fields (validated: the two renders compare in sync; add RespectIgnoreDifferences=true so syncs keep the live value)"
	} else {
		f.Message = fmt.Sprintf("%s %s of %s stays OutOfSync: it declares %s, rewritten by %s", ref.Kind, ref.Name, chart, strings.Join(res.Paths, ", "), fact.Writer)
		f.Impact = "the app never shows Synced, so real drift is lost in the noise; with automated sync and selfHeal ArgoCD re-applies the object in a loop"
	}
	if rule, ok := diffsem.MinimalRule(pair.Desired, pair.Live, rules, opts); ok && ruleCount(rule) > 0 {
		f.Fixes = ignoreFixes(app, []v1alpha1.ResourceIgnoreDifferences{rule}, title)
	}
	return f, true
}

// sourceField is the Application path of the Target's source.
func sourceField(t *target.Target) string {
	if len(t.App.App.Spec.Sources) > 0 {
		return fmt.Sprintf("spec.sources[%d]", t.SourceIndex)
	}
	return "spec.source"
}

// chartRelease collects what the checkout says about a remote chart's
// release: ArgoCD's value precedence (value files, values or valuesObject,
// parameters, as internal/render applies them), with ValuesHidden set when
// a value file is not in the checkout or fileParameters are used.
func chartRelease(in *Input, t *target.Target) diffsem.ChartRelease {
	rel := diffsem.ChartRelease{
		RepoURL: t.Source.RepoURL, Chart: t.Source.Chart, Version: t.Source.TargetRevision,
		ReleaseName: t.ReleaseName, Namespace: t.Namespace, Values: map[string]any{},
	}
	if rel.ReleaseName == "" {
		rel.ReleaseName = t.App.Name()
	}
	h := t.Source.Helm
	if h == nil {
		return rel
	}
	if len(h.ValueFiles) > len(t.ValueFiles)+len(t.MissingValueFiles) {
		rel.ValuesHidden = "a value file is read from the chart's repository"
		return rel
	}
	if len(h.FileParameters) > 0 {
		rel.ValuesHidden = "fileParameters are read from the chart's repository"
		return rel
	}
	for _, vf := range t.ValueFiles {
		m, err := readValues(in, vf)
		if err != nil {
			rel.ValuesHidden = "value file " + vf + " is not readable"
			return rel
		}
		rel.Values = values.MergeMaps(rel.Values, m)
	}
	if !h.ValuesIsEmpty() {
		m := map[string]any{}
		if err := yaml.Unmarshal(h.ValuesYAML(), &m); err != nil {
			rel.ValuesHidden = "helm values do not parse"
			return rel
		}
		rel.Values = values.MergeMaps(rel.Values, m)
	}
	if err := values.SetParameters(rel.Values, h.Parameters); err != nil {
		rel.ValuesHidden = err.Error() + " (helm.parameters)"
		return rel
	}
	return rel
}

func readValues(in *Input, rel string) (map[string]any, error) {
	if in.Files == nil {
		return nil, fmt.Errorf("no file source")
	}
	data, err := in.Files.ReadFile(rel)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	return m, nil
}
