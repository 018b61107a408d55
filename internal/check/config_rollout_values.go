package check

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

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

// sourceCanon is what a container sees of a config object, comparable
// between renders.
func sourceCanon(o *manifest.Object) string {
	part := map[string]any{}
	for _, f := range []string{"data", "binaryData", "stringData", "spec"} {
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
