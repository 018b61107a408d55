package diffsem

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
)

// maxReplays bounds the propose-and-replay loop of MinimalRule.
const maxReplays = 4

// MinimalRule proposes the narrowest ignoreDifferences entry that, added to
// existing, makes Compare report desired and live in sync: scoped to the
// object's group, kind, name (and namespace when desired sets one), with a
// jsonPointer for each differing path that crosses no list, and a
// jqPathExpression with `[]` for every list a path crosses (a field inside
// list items, e.g. `.spec.data[].remoteRef.conversionStrategy`, since list
// indexes shift). The proposal is replayed through Compare; ok reports that
// the replay came out in sync. A rule with no paths means none is needed.
func MinimalRule(desired, live map[string]any, existing []v1alpha1.ResourceIgnoreDifferences, opts Options) (v1alpha1.ResourceIgnoreDifferences, bool) {
	rule := scopeRule(desired, live)
	res := Compare(desired, live, existing, opts)
	if res.Err != nil {
		return rule, false
	}
	for range maxReplays {
		if !res.Modified {
			return rule, true
		}
		before := len(rule.JSONPointers) + len(rule.JQPathExpressions)
		for _, p := range res.Paths {
			ptr, jq := generalize(p, res.Live, res.Predicted)
			switch {
			case jq != "" && !slices.Contains(rule.JQPathExpressions, jq):
				rule.JQPathExpressions = append(rule.JQPathExpressions, jq)
			case jq == "" && !slices.Contains(rule.JSONPointers, ptr):
				rule.JSONPointers = append(rule.JSONPointers, ptr)
			}
		}
		if len(rule.JSONPointers)+len(rule.JQPathExpressions) == before {
			return rule, false // nothing new to add; the rules cannot hide it
		}
		slices.Sort(rule.JSONPointers)
		slices.Sort(rule.JQPathExpressions)
		res = Compare(desired, live, append(slices.Clone(existing), rule), opts)
		if res.Err != nil {
			return rule, false
		}
	}
	return rule, !res.Modified
}

// scopeRule fills group, kind, name and namespace from the object.
func scopeRule(desired, live map[string]any) v1alpha1.ResourceIgnoreDifferences {
	obj := desired
	if obj == nil {
		obj = live
	}
	var r v1alpha1.ResourceIgnoreDifferences
	apiVersion, _ := obj["apiVersion"].(string)
	if g, _, ok := strings.Cut(apiVersion, "/"); ok {
		r.Group = g
	}
	r.Kind, _ = obj["kind"].(string)
	if md, ok := obj["metadata"].(map[string]any); ok {
		r.Name, _ = md["name"].(string)
		r.Namespace, _ = md["namespace"].(string)
	}
	return r
}

// generalize maps a differing pointer to the rule that hides it: the pointer
// itself when it crosses no list, otherwise a jq path with every list index
// replaced by `[]`. A pointer ending in a list index (an item added or
// removed) is widened to its list.
func generalize(ptr string, docs ...map[string]any) (pointer, jq string) {
	toks := splitPointer(ptr)
	isList := make([]bool, len(toks))
	for _, doc := range docs {
		var cur any = doc
		for i, t := range toks {
			switch c := cur.(type) {
			case map[string]any:
				cur = c[t]
			case []any:
				isList[i] = true
				n, err := parseIndex(t)
				if err != nil || n >= len(c) {
					cur = nil
					continue
				}
				cur = c[n]
			default:
				cur = nil
			}
		}
	}
	for len(toks) > 0 && isList[len(toks)-1] {
		toks, isList = toks[:len(toks)-1], isList[:len(isList)-1]
	}
	if !slices.Contains(isList, true) {
		var b strings.Builder
		for _, t := range toks {
			b.WriteString("/" + escapeToken(t))
		}
		return b.String(), ""
	}
	var b strings.Builder
	for i, t := range toks {
		if isList[i] {
			b.WriteString("[]")
			continue
		}
		b.WriteString(jqKey(t))
	}
	return "", b.String()
}

var jqIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// jqKey renders one object key as a jq path step.
func jqKey(k string) string {
	if jqIdent.MatchString(k) {
		return "." + k
	}
	q, _ := json.Marshal(k) // a JSON string is a valid jq string literal
	return "." + string(q)
}

func parseIndex(t string) (int, error) {
	n := 0
	if t == "" || (len(t) > 1 && t[0] == '0') {
		return 0, errBadIndex
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return 0, errBadIndex
		}
		n = n*10 + int(c-'0')
		if n > 1<<30 {
			return 0, errBadIndex
		}
	}
	return n, nil
}
