package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"text/template"

	"github.com/BurntSushi/toml"
	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
	goyaml "sigs.k8s.io/yaml/goyaml.v3"
)

// The markers `required` and `fail` put around their message so that the
// execution error can be reduced to it (Helm's warnWrap).
const (
	failStart = "HELM_ERR_START"
	failEnd   = "HELM_ERR_END"
)

// maxIncludeDepth is how often one named template may be on the include
// stack at once before `include` fails (Helm's recursionMaxNums).
const maxIncludeDepth = 1000

// funcMap is the function set Helm's Engine{} gives templates: sprig's text
// functions without env and expandenv, Helm's YAML/JSON/TOML helpers,
// `required` and `fail` as outside lint mode, `lookup` as without a
// cluster (an empty result), `getHostByName` as with DNS disabled, and
// placeholders for `include` and `tpl`, which bindLateFuncs replaces per
// execution (helm pkg/engine funcs.go funcMap, engine.go initFunMap).
func funcMap() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	extra := template.FuncMap{
		"toToml":        toTOML,
		"fromToml":      fromTOML,
		"toYaml":        toYAML,
		"toYamlPretty":  toYAMLPretty,
		"fromYaml":      fromYAML,
		"fromYamlArray": fromYAMLArray,
		"toJson":        toJSON,
		"fromJson":      fromJSON,
		"fromJsonArray": fromJSONArray,
		"include":       func(string, any) string { return "not implemented" },
		"tpl":           func(string, any) any { return "not implemented" },
		"required":      required,
		"fail":          fail,
		"lookup":        func(string, string, string, string) (map[string]any, error) { return map[string]any{}, nil },
		"getHostByName": func(string) string { return "" },
	}
	maps.Copy(f, extra)
	return f
}

// bindLateFuncs gives t the `include` and `tpl` that execute in t's own
// template set, with st's include counters and cache.
func bindLateFuncs(t *template.Template, st *lateState) {
	t.Funcs(template.FuncMap{
		"include": includeIn(t, st),
		"tpl":     tplIn(t, st),
	})
}

// lateState is what the `include` of one executor keeps during a render.
type lateState struct {
	// names counts the include stack per template name.
	names map[string]int
	// cacheable are the templates whose includes may be cached
	// (includecache.go); nil caches nothing.
	cacheable map[string]bool
	cache     map[includeKey]string
}

// reset readies st for a new render.
func (st *lateState) reset() {
	clear(st.names)
	clear(st.cache)
}

func includeIn(t *template.Template, st *lateState) func(string, any) (string, error) {
	return func(name string, data any) (string, error) {
		key, cache := includeKey{}, false
		if st.cacheable[name] {
			if key, cache = cacheKey(name, data); cache {
				if out, ok := st.cache[key]; ok {
					return out, nil
				}
			}
		}
		if st.names[name] > maxIncludeDepth {
			return "", fmt.Errorf("rendering template has a nested reference name: %s: %w", name, errors.New("unable to execute template"))
		}
		st.names[name]++
		var buf strings.Builder
		err := t.ExecuteTemplate(&buf, name, data)
		st.names[name]--
		if err == nil && cache {
			if st.cache == nil {
				st.cache = map[includeKey]string{}
			}
			st.cache[key] = buf.String()
		}
		return buf.String(), err
	}
}

// tplIn executes a string as a template in a clone of parent, so that the
// string's own defines stay local to it while it sees every chart template.
func tplIn(parent *template.Template, st *lateState) func(string, any) (string, error) {
	return func(text string, data any) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", fmt.Errorf("cannot clone template: %w", err)
		}
		t.Option("missingkey=zero")
		// The text's own defines may shadow the chart's: nothing it
		// includes is cached (a chart calling tpl caches nothing anyway).
		bindLateFuncs(t, &lateState{names: st.names})
		// A fresh template of the parent's name: text holding only
		// defines would otherwise leave nothing to execute.
		t, err = t.New(parent.Name()).Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var buf strings.Builder
		if err := t.Execute(&buf, data); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

func required(msg string, val any) (any, error) {
	if s, isString := val.(string); val == nil || (isString && s == "") {
		return val, errors.New(failStart + msg + failEnd)
	}
	return val, nil
}

func fail(msg string) (string, error) { return "", errors.New(failStart + msg + failEnd) }

// The converters below never fail inside a template: a marshal error
// gives an empty (YAML, JSON) or error-text (TOML) result, a parse error
// an "Error" entry or a one-item list, as Helm's do.

// toYAML is Helm's toYaml. toYAMLFast writes the same text directly for
// the plain values templates pass; anything it is unsure of goes through
// sigs.k8s.io/yaml as in Helm.
func toYAML(v any) string {
	if s, ok := toYAMLFast(v); ok {
		return strings.TrimSuffix(s, "\n")
	}
	b, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(b), "\n")
}

func toYAMLPretty(v any) string {
	var b bytes.Buffer
	enc := goyaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func fromYAML(s string) map[string]any {
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYAMLArray(s string) []any {
	a := []any{}
	if err := yaml.Unmarshal([]byte(s), &a); err != nil {
		a = []any{err.Error()}
	}
	return a
}

func toTOML(v any) string {
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(v); err != nil {
		return err.Error()
	}
	return b.String()
}

func fromTOML(s string) map[string]any {
	m := map[string]any{}
	if err := toml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func fromJSON(s string) map[string]any {
	m := map[string]any{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(s string) []any {
	a := []any{}
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		a = []any{err.Error()}
	}
	return a
}
