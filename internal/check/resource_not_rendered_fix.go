package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// finding builds the report for a missing template.
func (m *missing) finding(ctx context.Context, in *Input) finding.Finding {
	t := m.r.Target
	kinds := m.kinds()
	what := "nothing"
	if kinds != "" {
		what = "no " + kinds
	}
	f := finding.Finding{App: t.App.Name(), Env: t.Env}
	rel := strings.TrimPrefix(m.file, t.Dir+"/")
	switch {
	case m.guard == nil:
		f.Location = firstContentLine(m.file, m.text)
		f.Message = fmt.Sprintf("template %s renders %s in %s", rel, what, t.Env)
		f.Evidence = append(f.Evidence, finding.Evidence{Label: "guard", Value: "no enclosing if/with is false here; the template's own logic (range, include) yields nothing"})
	default:
		f.Location = m.guard.At
		f.Location.Column = 0
		why := "is false there"
		if len(m.apis) > 0 {
			why = "is false with the Application's helm.apiVersions"
		}
		f.Message = fmt.Sprintf("template %s renders %s in %s: its guard `%s` %s", rel, what, t.Env, m.guard.Expr, why)
		f.Evidence = append(f.Evidence, finding.Evidence{Label: "guard", Value: fmt.Sprintf("{{ %s %s }}", m.guard.Kind, m.guard.Expr), At: m.guard.At})
		f.Evidence = append(f.Evidence, m.testedEvidence(in)...)
		for _, p := range m.alts {
			v, _ := values.Lookup(m.r.Values, p)
			at, _ := rnrOrigin(in, m.r, p)
			f.Evidence = append(f.Evidence, finding.Evidence{
				Label: fmt.Sprintf("body also reads %s (%s)", p, t.Env), Value: rnrDescribe(p, v, true), At: at,
			})
		}
		for _, api := range m.apis {
			f.Evidence = append(f.Evidence, finding.Evidence{
				Label: "helm.apiVersions (" + t.Env + ")", Value: "lacks " + api, At: helmField(t, "apiVersions"),
			})
		}
	}
	for _, o := range m.others {
		f.Evidence = append(f.Evidence, finding.Evidence{Label: "renders in " + o.Target.Env, Value: objectsOf(o, m.tpl)})
	}
	if len(m.r.Objects) == 0 {
		f.Evidence = append(f.Evidence, finding.Evidence{
			Label: "application", Value: fmt.Sprintf("%s renders 0 objects in %s: ArgoCD reports it Synced/Healthy with nothing deployed", t.App.Name(), t.Env),
			At: t.App.Declared,
		})
	}
	f.Impact = m.impact()
	f.Fixes = m.fixes(ctx, in)
	return f
}

// testedEvidence gives each tested key's value in every environment of
// the chart, with where it was set.
func (m *missing) testedEvidence(in *Input) []finding.Evidence {
	var out []finding.Evidence
	targets := append([]*Rendered{m.r}, m.others...)
	for _, p := range m.guard.TestPaths() {
		for _, r := range targets {
			v, ok := effectiveValue(r, p)
			at, user := rnrOrigin(in, r, p)
			val := rnrDescribe(p, v, ok)
			switch {
			case !user && !at.IsZero():
				val = fmt.Sprintf("unset; chart default %s at %s", val, at)
				at = finding.Location{}
			case at.IsZero():
				val = "unset"
			}
			out = append(out, finding.Evidence{Label: fmt.Sprintf("%s (%s)", p, r.Target.Env), Value: val, At: at})
		}
	}
	return out
}

// kinds names what the template renders elsewhere ("Job"), or "" when no
// other environment renders it.
func (m *missing) kinds() string {
	var ks []string
	for _, o := range m.others {
		for _, obj := range o.Objects {
			if obj.Source == m.tpl && !slices.Contains(ks, obj.Ref.Kind) {
				ks = append(ks, obj.Ref.Kind)
			}
		}
	}
	return strings.Join(ks, ", ")
}

func (m *missing) impact() string {
	var hooks []string
	for _, o := range m.others {
		for _, obj := range o.Objects {
			if obj.Source == m.tpl && obj.IsHook() {
				hooks = append(hooks, strings.Join(obj.HookTypes(), ","))
			}
		}
	}
	env := m.r.Target.Env
	if len(hooks) > 0 {
		return fmt.Sprintf("the %s hook never runs in %s, so what it prepares before the other resources (databases, migrations, secrets) "+
			"is missing there and whatever depends on it fails at start-up, while ArgoCD shows the app Synced and Healthy", hooks[0], env)
	}
	return fmt.Sprintf("the object never reaches the cluster in %s and ArgoCD shows nothing wrong: the app is Synced and Healthy "+
		"because there is nothing to compare", env)
}

// objectsOf lists the objects tpl renders for r.
func objectsOf(r *Rendered, tpl string) string {
	var s []string
	for _, o := range r.Objects {
		if o.Source == tpl {
			s = append(s, o.Ref.String())
		}
	}
	return strings.Join(s, ", ")
}

// firstContentLine is the first line of a template that is neither blank
// nor only a comment: where the output would start.
func firstContentLine(file, text string) finding.Location {
	for i, ln := range strings.Split(text, "\n") {
		t := strings.TrimSpace(ln)
		if t == "" || strings.HasPrefix(t, "#") || (strings.HasPrefix(t, "{{/*") && strings.HasSuffix(t, "*/}}")) ||
			(strings.HasPrefix(t, "{{- /*") && strings.HasSuffix(t, "*/ -}}")) {
			continue
		}
		return finding.Location{File: file, Line: i + 1}
	}
	return finding.Location{File: file}
}

// rendersTemplate reports whether objs hold output of tpl.
func rendersTemplate(objs []*manifest.Object, tpl string) bool {
	for _, o := range objs {
		if o.Source == tpl {
			return true
		}
	}
	return false
}

func rnrHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(h[:])[:12]
}

// envValueFile is the last value file of r that no other environment of
// the chart loads: where an environment-specific setting belongs.
func envValueFile(r *Rendered, others []*Rendered) string {
	for i := len(r.Target.ValueFiles) - 1; i >= 0; i-- {
		vf := r.Target.ValueFiles[i]
		shared := false
		for _, o := range others {
			shared = shared || slices.Contains(o.Target.ValueFiles, vf)
		}
		if !shared {
			return vf
		}
	}
	return ""
}

// yamlAt renders v nested under the keys of p.
func yamlAt(p values.Path, v any) string {
	for i := len(p) - 1; i >= 0; i-- {
		v = map[string]any{p[i]: v}
	}
	b, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// rnrUnifiedLine is a one-line unified diff of file.
func rnrUnifiedLine(file string, line int, old, new string) string {
	return fmt.Sprintf("--- a/%s\n+++ b/%s\n@@ -%d +%d @@\n-%s\n+%s\n", file, file, line, line, old, new)
}

// rnrLineText returns the text of a 1-based line.
func rnrLineText(text string, line int) string {
	ls := strings.Split(text, "\n")
	if line < 1 || line > len(ls) {
		return ""
	}
	return strings.TrimSuffix(ls[line-1], "\r")
}
