package check

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/suppress"
)

// suppressionWithoutReason finds suppressions that do not say why.
var suppressionWithoutReason = &Check{
	ID:       "suppression-without-reason",
	Summary:  "a finding is suppressed without a reason",
	Severity: finding.Warning,
	Modes:    Offline | Live,
	Doc: `A finding can be suppressed where it is reported, with a comment on its line
or on the line above:

` + "```yaml" + `
replicas: 3  # syncdoctor:ignore replicas-hpa-fight reason="HPA disabled in dev"
` + "```" + `

in a Helm template ` + "`{{/* syncdoctor:ignore CHECK-ID reason=\"...\" */}}`" + `, in
Terraform ` + "`# syncdoctor:ignore ...`" + ` or ` + "`// syncdoctor:ignore ...`" + `, or for a whole
Application with the annotations ` + "`syncdoctor.io/ignore: CHECK-ID[,CHECK-ID]`" + ` and
` + "`syncdoctor.io/ignore-reason`" + `.

A suppression without a reason still suppresses, but is itself reported: the
next reader cannot tell an accepted risk from a silenced alarm. Suppressed
findings are counted in every report's summary.

**Fix.** Add ` + "`reason=\"...\"`" + ` to the comment, or the
` + "`syncdoctor.io/ignore-reason`" + ` annotation, saying why the finding does not apply.
For debt accepted when adopting syncdoctor, prefer ` + "`--baseline`" + `.`,
	Run: runSuppressionWithoutReason,
}

func init() { register(suppressionWithoutReason) }

func runSuppressionWithoutReason(ctx context.Context, in *Input) []finding.Finding {
	var out []finding.Finding
	for _, file := range suppressionFiles(in) {
		if ctx.Err() != nil {
			return out
		}
		data, err := in.Files.ReadFile(file)
		if err != nil {
			continue
		}
		for _, d := range suppress.Parse(data) {
			if d.HasReason {
				continue
			}
			at := finding.Location{File: file, Line: d.Line, Column: d.Column}
			ids := strings.Join(d.Checks, ", ")
			out = append(out, finding.Finding{
				Location: at,
				Message:  fmt.Sprintf("suppression of %s gives no reason", ids),
				Evidence: []finding.Evidence{{Label: "directive", Value: suppress.Marker + " " + ids, At: at}},
				Impact:   "Nobody can tell later whether the suppressed finding was judged harmless or silenced.",
				Fixes: []finding.Fix{{
					Title: "Say why the finding does not apply", Kind: finding.FixYAML, File: file,
					Patch: fmt.Sprintf("%s %s reason=\"...\"\n", suppress.Marker, ids),
				}},
			})
		}
	}
	for _, a := range in.Apps {
		ann := a.App.Annotations
		ids := suppress.ParseAnnotation(ann[suppress.AnnotationIgnore])
		if len(ids) == 0 || strings.TrimSpace(ann[suppress.AnnotationReason]) != "" {
			continue
		}
		at := a.FieldLocation("metadata.annotations." + suppress.AnnotationIgnore)
		out = append(out, finding.Finding{
			App: a.Name(), Location: at,
			Message:  fmt.Sprintf("Application %s suppresses %s without a %s annotation", a.Name(), strings.Join(ids, ", "), suppress.AnnotationReason),
			Evidence: []finding.Evidence{{Label: suppress.AnnotationIgnore, Value: ann[suppress.AnnotationIgnore], At: at}},
			Impact:   "Nobody can tell later whether the suppressed findings were judged harmless or silenced.",
			Fixes: []finding.Fix{{
				Title: "Add the " + suppress.AnnotationReason + " annotation", Kind: finding.FixYAML, File: at.File,
				Patch: fmt.Sprintf("metadata:\n  annotations:\n    %s: \"...\"\n", suppress.AnnotationReason),
			}},
		})
	}
	return out
}

// suppressionFiles lists the checkout files the run read that may hold
// suppression comments: Application files, value files, chart templates
// (with library dependencies) and plain manifests.
func suppressionFiles(in *Input) []string {
	if in.Files == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, a := range in.Apps {
		add(a.Declared.File)
	}
	for _, r := range in.Targets {
		for _, f := range r.Target.ValueFiles {
			add(f)
		}
		if r.Chart != nil {
			add(path.Join(r.Target.Dir, "values.yaml"))
			srcs := chartSources(r.Chart, r.Target.Dir)
			for _, k := range slices.Sorted(maps.Keys(srcs)) {
				add(srcs[k])
			}
			continue
		}
		for _, o := range r.Objects {
			add(o.File)
		}
	}
	slices.Sort(out)
	return out
}
