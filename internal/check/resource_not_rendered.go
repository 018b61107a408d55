package check

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// resourceNotRendered finds templates that silently render nothing in an environment.
var resourceNotRendered = &Check{
	ID:       "resource-not-rendered",
	Summary:  "a template renders nothing in one environment",
	Severity: finding.Error,
	Modes:    Offline,
	Doc: `A chart template renders objects in one environment and nothing in another,
or an Application renders no object at all.

**Why it happens.** A template is wrapped in ` + "`{{ if .Values.x }}`" + ` or
` + "`{{ with .Values.x }}`" + `, and one environment supplies the same information through
another key the template body also understands (the body does
` + "`{{ if .Values.secretRef.hostKey }}secretKeyRef…{{ else }}{{ .Values.database.host }}`" + `,
but the guard tests only ` + "`.Values.database.host`" + `). Helm renders an empty file,
ArgoCD has nothing to apply, and the app shows Synced/Healthy. The same happens
with ` + "`.Capabilities.APIVersions.Has`" + ` when an Application's ` + "`helm.apiVersions`" + `
(which replaces the cluster's list, argo-cd util/app/... GetAPIVersionsOrDefault)
lacks the API.

**What is reported.** Per chart rendered in two or more environments, each
template (by Helm's ` + "`# Source:`" + ` path, not object names) that renders in one
environment and not in another, for the environment that lacks it; within one
environment, a template whose whole output sits under a false guard while its
body reads an alternative key that is set there; and an Application that renders
zero objects. The failing guard is found by re-rendering the template with
markers after each enclosing ` + "`if`/`with`" + `. The evidence names the guard, each
tested key's value per environment and where it was set (value file:line or
chart default), and the alternative keys the body reads.

**Not reported.** A template switched off on purpose: a tested key set
explicitly to ` + "`false`" + ` (or ` + "`true`" + ` under ` + "`not`" + `) in the environment's own
values. A guard on the Capabilities of an Application that sets no
` + "`helm.apiVersions`" + ` (ArgoCD then uses the cluster's list, unknown offline), and
guards on anything but values and API versions (release name, namespace).

**Fix.** Widen the guard to the alternative key (` + "`{{- if or .Values.database.host .Values.secretRef.hostKey }}`" + `),
set the key in the environment's value file, or add the API version to the
Application's ` + "`helm.apiVersions`" + `. Every proposed fix was re-rendered and makes
the object appear.`,
	Run: runResourceNotRendered,
}

func init() { register(resourceNotRendered) }

func runResourceNotRendered(ctx context.Context, in *Input) []finding.Finding {
	var out []finding.Finding
	explained := map[*Rendered]bool{}
	groups := map[string][]*Rendered{}
	var dirs []string
	for _, r := range in.Targets {
		if r.Err != nil || r.Chart == nil || r.Target.Kind != target.SourceHelm || r.Target.Dir == "" {
			continue
		}
		if _, ok := groups[r.Target.Dir]; !ok {
			dirs = append(dirs, r.Target.Dir)
		}
		groups[r.Target.Dir] = append(groups[r.Target.Dir], r)
	}
	slices.Sort(dirs)
	for _, dir := range dirs {
		if ctx.Err() != nil {
			return nil
		}
		fs, done := chartNotRendered(ctx, in, groups[dir])
		out = append(out, fs...)
		for r := range done {
			explained[r] = true
		}
	}
	for _, r := range in.Targets {
		if r.Err != nil || r.Target.Blocked != nil || len(r.Objects) > 0 || explained[r] {
			continue
		}
		out = append(out, emptyAppFinding(r))
	}
	return out
}

// chartNotRendered compares the templates of one chart across its targets.
// done holds the targets whose missing output a finding explains or that
// are switched off on purpose (no empty-app finding for them then).
func chartNotRendered(ctx context.Context, in *Input, group []*Rendered) (out []finding.Finding, done map[*Rendered]bool) {
	done = map[*Rendered]bool{}
	produced := make([]map[string]bool, len(group))
	for i, r := range group {
		produced[i] = map[string]bool{}
		for _, o := range r.Objects {
			produced[i][o.Source] = true
		}
	}
	// The values index (a parse and a data-flow walk of every template)
	// is needed only for a template some target did not render.
	if renderedEverywhere(values.TemplateNames(group[0].Chart), produced) {
		return nil, done
	}
	ix := chartIndex(in, group[0])
	if ix == nil {
		return nil, done
	}
	for _, tpl := range ix.Templates() {
		for i, r := range group {
			if ctx.Err() != nil {
				return nil, done
			}
			if produced[i][tpl] {
				continue
			}
			var others []*Rendered
			for j, o := range group {
				if produced[j][tpl] && o.Target.Env != r.Target.Env {
					others = append(others, o)
				}
			}
			a := analyseMissing(ctx, in, ix, r, tpl, others)
			if a == nil {
				continue
			}
			if a.deliberate {
				done[r] = true
				continue
			}
			out = append(out, a.finding(ctx, in))
			done[r] = true
		}
	}
	return out, done
}

// renderedEverywhere reports whether every target produced an object from
// every one of the templates.
func renderedEverywhere(templates []string, produced []map[string]bool) bool {
	for _, tpl := range templates {
		for _, p := range produced {
			if !p[tpl] {
				return false
			}
		}
	}
	return true
}

// emptyAppFinding reports an Application source that renders no object.
func emptyAppFinding(r *Rendered) finding.Finding {
	t := r.Target
	ev := []finding.Evidence{{Label: "rendered objects", Value: "0"}}
	if t.Dir != "" {
		ev = append(ev, finding.Evidence{Label: "source", Value: fmt.Sprintf("%s (%s)", t.Dir, t.Kind)})
	}
	if len(t.ValueFiles) > 0 {
		ev = append(ev, finding.Evidence{Label: "value files", Value: strings.Join(t.ValueFiles, ", ")})
	}
	return finding.Finding{
		App: t.App.Name(), Env: t.Env, Location: t.App.Declared,
		Message:  fmt.Sprintf("Application %s renders no objects in %s", t.App.Name(), t.Env),
		Evidence: ev,
		Impact: "ArgoCD reports the application Synced and Healthy while nothing is deployed, " +
			"so nobody is told that whatever it was meant to create is missing",
	}
}
