package diffsem

import (
	"fmt"
	"slices"
	"sort"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
)

// Explanation says whether, and by which rule, one differing path is hidden.
type Explanation struct {
	// Path is an RFC 6901 pointer into the normalized objects.
	Path string
	// HiddenBy names the rule that hides the difference, "" if none does:
	// "ignoreDifferences[i]" for an Application rule, the argocd-cm key for
	// a system rule, or "resource.compareoptions ignoreResourceStatusField".
	HiddenBy string
	// Rule is the index into the Application's rules, or -1.
	Rule int
}

// source is one rule set replayed on its own.
type source struct {
	name      string
	rule      int
	rules     []v1alpha1.ResourceIgnoreDifferences
	overrides map[string]v1alpha1.ResourceOverride
}

// Explain lists every path where live differs from desired before any
// ignore rule applies, each with the first rule (Application rules first,
// then argocd-cm) that alone hides it. ArgoCD's built-in normalizations
// (known types, Secrets, roles) always apply. Explain replays Compare once
// per rule.
func Explain(desired, live map[string]any, rules []v1alpha1.ResourceIgnoreDifferences, opts Options) ([]Explanation, error) {
	base := baseOverrides(opts)
	raw := compareWith(desired, live, nil, base, opts)
	if raw.Err != nil {
		return nil, raw.Err
	}
	out := make([]Explanation, 0, len(raw.Paths))
	for _, p := range raw.Paths {
		out = append(out, Explanation{Path: p, Rule: -1})
	}
	if len(out) == 0 {
		return out, nil
	}
	for _, s := range sources(rules, opts, base) {
		r := compareWith(desired, live, s.rules, s.overrides, opts)
		if r.Err != nil {
			continue // the rule fails the comparison; it hides nothing
		}
		for i := range out {
			if out[i].HiddenBy == "" && !slices.Contains(r.Paths, out[i].Path) {
				out[i].HiddenBy, out[i].Rule = s.name, s.rule
			}
		}
	}
	return out, nil
}

// baseOverrides keeps only what is not an ignore rule (knownTypeFields).
func baseOverrides(opts Options) map[string]v1alpha1.ResourceOverride {
	bare := Options{SystemRules: SystemRules{KnownTypeFields: opts.SystemRules.KnownTypeFields}}
	m := bare.overrides()
	// bare has the version default status mode; drop it again.
	for k, ro := range m {
		ro.IgnoreDifferences = v1alpha1.OverrideIgnoreDiff{}
		m[k] = ro
	}
	return m
}

func sources(rules []v1alpha1.ResourceIgnoreDifferences, opts Options, base map[string]v1alpha1.ResourceOverride) []source {
	var out []source
	for i := range rules {
		out = append(out, source{name: fmt.Sprintf("ignoreDifferences[%d]", i), rule: i, rules: rules[i : i+1], overrides: base})
	}
	with := func(key string, id v1alpha1.OverrideIgnoreDiff) map[string]v1alpha1.ResourceOverride {
		m := make(map[string]v1alpha1.ResourceOverride, len(base)+1)
		for k, v := range base {
			m[k] = v
		}
		ro := m[key]
		ro.IgnoreDifferences = id
		m[key] = ro
		return m
	}
	keys := make([]string, 0, len(opts.SystemRules.ByGroupKind))
	for k := range opts.SystemRules.ByGroupKind {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, source{name: "argocd-cm resource.customizations.ignoreDifferences." + cmSuffix(k), rule: -1, overrides: with(k, opts.SystemRules.ByGroupKind[k])})
	}
	if a := opts.SystemRules.All; a != nil {
		out = append(out, source{name: "argocd-cm resource.customizations.ignoreDifferences.all", rule: -1, overrides: with(allGroupKind, *a)})
	}
	for _, p := range opts.statusPointers() {
		out = append(out, source{name: "resource.compareoptions ignoreResourceStatusField", rule: -1,
			overrides: with(p.key, v1alpha1.OverrideIgnoreDiff{JSONPointers: []string{p.pointer}})})
	}
	return out
}

// cmSuffix turns an override key back into the argocd-cm key suffix.
func cmSuffix(key string) string {
	for i := range len(key) {
		if key[i] == '/' {
			return key[:i] + "_" + key[i+1:]
		}
	}
	return key
}
