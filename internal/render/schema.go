package render

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Helm validates values against values.schema.json with a loader that
// fetches http(s) URLs and reads file:// paths (helm
// pkg/chartutil/jsonschema.go ValidateAgainstSchema: SchemeURLLoader with
// FileLoader and an HTTP loader), and a relative $ref resolves against
// file:///values.schema.json, that is the host's filesystem root. A chart
// from a pull request must not make syncdoctor fetch a URL or read a host
// file, so a schema referring to anything but itself is refused before
// Helm sees it.

// builtinMetaSchemas are the $schema URLs the validator knows without
// loading anything (santhosh-tekuri/jsonschema v6 draft.go).
var builtinMetaSchemas = map[string]bool{
	"json-schema.org/schema":               true,
	"json-schema.org/draft/2020-12/schema": true,
	"json-schema.org/draft/2019-09/schema": true,
	"json-schema.org/draft-07/schema":      true,
	"json-schema.org/draft-06/schema":      true,
	"json-schema.org/draft-04/schema":      true,
}

// checkSchemas refuses a chart tree whose schemas would load anything.
func checkSchemas(ce *chartEntry, c *chart.Chart) error {
	var walk func(ch *chart.Chart, dir string) error
	walk = func(ch *chart.Chart, dir string) error {
		if len(ch.Schema) > 0 {
			var doc any
			if err := json.Unmarshal(ch.Schema, &doc); err == nil {
				if ref := externalRef(doc); ref != "" {
					loc := finding.Location{File: path.Join(dir, "values.schema.json")}
					if ce.dir == "" {
						loc = finding.Location{}
					}
					// The reference itself is not quoted: it may name a host path.
					return &Error{Loc: loc, Err: fmt.Errorf("values.schema.json of %s refers to %s outside itself; syncdoctor never fetches or reads it (Helm would): not rendered", ch.Name(), refKind(ref))}
				}
			}
		}
		for _, d := range ch.Dependencies() {
			if err := walk(d, path.Join(dir, "charts", d.Name())); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(c, ce.dir)
}

// externalRef returns the first reference in a schema document that is
// not a fragment of the document itself, or "".
func externalRef(v any) string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			s, ok := e.(string)
			switch {
			case !ok:
			case k == "$ref" || k == "$dynamicRef" || k == "$recursiveRef":
				if !strings.HasPrefix(s, "#") {
					return s
				}
			case k == "$schema":
				u := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://"), "#")
				if !builtinMetaSchemas[u] {
					return s
				}
			}
		}
		for _, e := range x {
			if r := externalRef(e); r != "" {
				return r
			}
		}
	case []any:
		for _, e := range x {
			if r := externalRef(e); r != "" {
				return r
			}
		}
	}
	return ""
}

// refKind describes a reference without quoting it.
func refKind(ref string) string {
	if i := strings.Index(ref, "://"); i > 0 {
		return "a " + ref[:i] + ":// URL"
	}
	return "a relative path (resolved against the host's root)"
}
