package check

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// Value helpers of config-rollout: the effective values a chart sees, the
// marker tagging that finds which keys reach a config object in one render,
// and the perturbation of one key.

// effectiveValues approximates the values the templates see: the chart's
// defaults, each dependency's defaults under its name or alias, and the
// user values over them (maps merge, anything else replaces), all copied.
// It only decides which keys to tag and perturb; renders always start from
// the user values, so Helm's own coalescing decides what the chart sees.
func effectiveValues(c *chart.Chart, user map[string]any) map[string]any {
	defaults := map[string]any{}
	if c != nil {
		defaults = values.DeepCopy(c.Values)
		for _, d := range c.Dependencies() {
			keys := []string{d.Name()}
			if c.Metadata != nil {
				for _, dep := range c.Metadata.Dependencies {
					if dep != nil && dep.Name == d.Name() && dep.Alias != "" {
						keys = append(keys, dep.Alias)
					}
				}
			}
			for _, k := range keys {
				own, _ := defaults[k].(map[string]any)
				defaults[k] = overlay(values.DeepCopy(d.Values), own)
			}
		}
	}
	return overlay(defaults, values.DeepCopy(user))
}

// overlay merges b over a in place of a and returns a.
func overlay(a, b map[string]any) map[string]any {
	if a == nil {
		a = map[string]any{}
	}
	for k, v := range b {
		if bm, ok := v.(map[string]any); ok {
			if am, ok := a[k].(map[string]any); ok {
				a[k] = overlay(am, bm)
				continue
			}
		}
		a[k] = v
	}
	return a
}

// crTag is what a marker stands for: a string leaf (or a string inside the
// list at Path), or an empty map given one marker entry.
type crTag struct {
	Path     values.Path
	EmptyMap bool
}

// markerRE finds markers. They are lower case so a template's `upper` or
// `lower` does not hide them once the text is lower-cased, and end in 'q'
// so marker 1 is not a prefix of marker 12.
var markerRE = regexp.MustCompile(`sdmk(\d+)q`)

func marker(i int) string { return "sdmk" + strconv.Itoa(i) + "q" }

// tagValues returns a copy of vals with every string leaf replaced by a
// unique marker (strings in lists carry the list's path) and, when
// fillEmpty is set, every empty map given one marker entry, so one render
// shows which keys reach which object.
func tagValues(vals map[string]any, fillEmpty bool) (map[string]any, []crTag) {
	var tags []crTag
	// Inside a list every string carries the list's path: Helm replaces
	// lists whole, so the list is the key a user changes.
	var walk func(v any, p values.Path, inList bool) any
	walk = func(v any, p values.Path, inList bool) any {
		switch x := v.(type) {
		case string:
			tags = append(tags, crTag{Path: p})
			return marker(len(tags) - 1)
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = walk(e, p, true)
			}
			return out
		case map[string]any:
			if inList {
				out := make(map[string]any, len(x))
				for k, e := range x {
					out[k] = walk(e, p, true)
				}
				return out
			}
			if len(x) == 0 && fillEmpty && len(p) > 0 {
				tags = append(tags, crTag{Path: p, EmptyMap: true})
				m := marker(len(tags) - 1)
				return map[string]any{m: m}
			}
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = walk(e, p.Child(k), false)
			}
			return out
		}
		return v
	}
	out, _ := walk(vals, nil, false).(map[string]any)
	return out, tags
}

// markersIn returns the tags whose markers occur in text.
func markersIn(text string, tags []crTag) []int {
	var out []int
	for _, m := range markerRE.FindAllStringSubmatch(strings.ToLower(text), -1) {
		if i, err := strconv.Atoi(m[1]); err == nil && i < len(tags) {
			out = append(out, i)
		}
	}
	return out
}

// sourceEntries maps each data key of a config object to its content as
// a container sees it (Secret data and binaryData base64-decoded); a key
// in several data fields keeps each.
func sourceEntries(o *manifest.Object) map[string]string {
	out := map[string]string{}
	for _, field := range []string{"data", "binaryData", "stringData"} {
		m, _ := o.Content[field].(map[string]any)
		encoded := field == "binaryData" || (field == "data" && o.Ref.Kind == "Secret")
		for k, v := range m {
			s := fmt.Sprint(v)
			if encoded {
				if d, err := base64.StdEncoding.DecodeString(s); err == nil {
					s = string(d)
				}
			}
			out[k] += k + "\n" + s + "\n"
		}
	}
	return out
}

// sourceFields are the fields of a config object whose content a
// container sees.
var sourceFields = []string{"data", "binaryData", "stringData", "spec"}

// sourceCanon is what a container sees of a config object, comparable
// between renders.
func sourceCanon(o *manifest.Object) string {
	part := map[string]any{}
	for _, f := range sourceFields {
		if v, ok := o.Content[f]; ok {
			part[f] = v
		}
	}
	b, _ := json.Marshal(part)
	return string(b)
}

// templateCanon is a workload's pod template, comparable between renders.
func templateCanon(o *manifest.Object) string {
	b, _ := json.Marshal(manifest.Get(o.Content, "spec", "template"))
	return string(b)
}

// sameSource is sourceCanon(a) == sourceCanon(b), without marshalling
// either when both are plain JSON (plainJSON).
func sameSource(a, b *manifest.Object) bool {
	for _, f := range sourceFields {
		if !plainJSON(a.Content[f]) || !plainJSON(b.Content[f]) {
			return sourceCanon(a) == sourceCanon(b)
		}
	}
	for _, f := range sourceFields {
		va, okA := a.Content[f]
		vb, okB := b.Content[f]
		if okA != okB || !equalJSON(va, vb) {
			return false
		}
	}
	return true
}

// sameTemplate is templateCanon(a) == templateCanon(b), without
// marshalling either when both are plain JSON (plainJSON).
func sameTemplate(a, b *manifest.Object) bool {
	ta, tb := manifest.Get(a.Content, "spec", "template"), manifest.Get(b.Content, "spec", "template")
	if !plainJSON(ta) || !plainJSON(tb) {
		return templateCanon(a) == templateCanon(b)
	}
	return equalJSON(ta, tb)
}

// plainJSON reports whether v holds only what the renderer decodes
// manifests to and json.Marshal writes without error or rewriting: maps
// with string keys, lists, valid UTF-8 strings, bools, int64s, finite
// float64s and nulls. Two plain values have equal json.Marshal texts
// exactly when equalJSON says so.
func plainJSON(v any) bool {
	switch x := v.(type) {
	case nil, bool, int64:
		return true
	case string:
		return utf8.ValidString(x)
	case float64:
		return !math.IsNaN(x) && !math.IsInf(x, 0)
	case map[string]any:
		for k, e := range x {
			if !utf8.ValidString(k) || !plainJSON(e) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range x {
			if !plainJSON(e) {
				return false
			}
		}
		return true
	}
	return false
}

// equalJSON compares two plain values as their json.Marshal texts would
// compare: maps by key set (json sorts keys), lists by element, and an
// int64 with a float64 by their texts (json writes 2.0 as 2).
func equalJSON(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64, float64:
		switch y := b.(type) {
		case int64:
			if xi, ok := x.(int64); ok {
				return xi == y
			}
		case float64:
			if xf, ok := x.(float64); ok {
				return xf == y && math.Signbit(xf) == math.Signbit(y) // json writes -0
			}
		default:
			return false
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		return string(ja) == string(jb)
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			f, found := y[k]
			if !found || !equalJSON(e, f) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// perturb returns a different value of the same type, or false when the
// value cannot be changed meaningfully (null, a list without strings).
func perturb(v any) (any, bool) {
	switch x := v.(type) {
	case string:
		return x + "-sdx", true
	case bool:
		return !x, true
	case int64:
		return x + 1, true
	case int:
		return x + 1, true
	case float64:
		return x + 1, true
	case []any:
		out := values.DeepCopyValue(x).([]any)
		for i, e := range out {
			if p, ok := perturbDeep(e); ok {
				out[i] = p
				return out, true
			}
		}
	}
	return nil, false
}

// perturbDeep changes the first string found in v.
func perturbDeep(v any) (any, bool) {
	switch x := v.(type) {
	case string:
		return x + "-sdx", true
	case []any:
		return perturb(x)
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if p, ok := perturbDeep(x[k]); ok {
				out := values.DeepCopy(x)
				out[k] = p
				return out, true
			}
		}
	}
	return nil, false
}

// withValue returns a copy of vals with p set to v, creating maps on the
// way (Helm coalesces the chart's defaults under them).
func withValue(vals map[string]any, p values.Path, v any) map[string]any {
	out := values.DeepCopy(vals)
	cur := out
	for i, k := range p {
		if i == len(p)-1 {
			cur[k] = v
			break
		}
		next, ok := cur[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		cur = next
	}
	return out
}
