package values

import (
	"errors"
	"fmt"
	"log"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// CoalesceValues is chartutil.CoalesceValues (helm v3.22.0
// pkg/chartutil/coalesce.go) without its reflective deep copies: vals
// coalesced with the defaults of c and of every subchart, with the same
// result, the same errors and the same warnings, printed with log.Printf
// as Helm prints them. Neither vals nor any chart's Values is modified,
// and the result shares no map or slice with them, so charts can be
// coalesced concurrently.
//
// Helm copies the user values and each chart's whole Values with
// copystructure and merges the copies; here the user values are copied
// once (copyValue, which keeps nil maps and slices nil as copystructure
// does) and a chart default is copied only when it is taken into the
// result. Helm's merge also writes nulls into its copy of the defaults
// (coalesceTablesFullKey); those maps are never part of the result, so
// the defaults are read in place instead.
func CoalesceValues(c *chart.Chart, vals map[string]any) (map[string]any, error) {
	return coalesceValues(log.Printf, c, vals)
}

// ToRenderValues is chartutil.ToRenderValuesWithSchemaValidation (helm
// v3.22.0 pkg/chartutil/values.go) with CoalesceValues in place of
// chartutil.CoalesceValues: the top-level object a chart's templates see
// (.Chart, .Capabilities, .Release, .Values), the values checked against
// the charts' schemas unless skipSchemaValidation.
func ToRenderValues(c *chart.Chart, vals map[string]any, opts chartutil.ReleaseOptions, caps *chartutil.Capabilities, skipSchemaValidation bool) (chartutil.Values, error) {
	if caps == nil {
		caps = chartutil.DefaultCapabilities
	}
	top := chartutil.Values{
		"Chart":        c.Metadata,
		"Capabilities": caps,
		"Release": map[string]any{
			"Name":      opts.Name,
			"Namespace": opts.Namespace,
			"IsUpgrade": opts.IsUpgrade,
			"IsInstall": opts.IsInstall,
			"Revision":  opts.Revision,
			"Service":   "Helm",
		},
	}
	v, err := CoalesceValues(c, vals)
	if err != nil {
		return top, err
	}
	// Helm's CoalesceValues returns chartutil.Values; templates can see
	// the type (typeOf .Values), so it is kept.
	cv := chartutil.Values(v)
	if !skipSchemaValidation {
		if err := chartutil.ValidateAgainstSchema(c, cv); err != nil {
			return top, fmt.Errorf("values don't meet the specifications of the schema(s) in the following chart(s):\n%s", err.Error())
		}
	}
	top["Values"] = cv
	return top, nil
}

// printFunc prints a warning (log.Printf in Helm and here).
type printFunc func(format string, args ...any)

// coalescer holds what every step needs: where warnings go.
type coalescer struct {
	printf printFunc
}

func coalesceValues(printf printFunc, c *chart.Chart, vals map[string]any) (map[string]any, error) {
	if c == nil || c.Metadata == nil {
		// Helm dereferences both; a loaded chart always has them.
		return vals, errors.New("coalesce values: chart has no metadata")
	}
	cp, err := copyValue(vals)
	if err != nil {
		return vals, err
	}
	v, _ := cp.(map[string]any)
	if v == nil {
		v = map[string]any{}
	}
	co := &coalescer{printf: printf}
	co.chartDefaults(c, v, "")
	return v, co.deps(c, v, "")
}

// joinKey is Helm's concatPrefix: a dotted key path for warnings.
func joinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// chartDefaults coalesces c's own defaults under v, the values destined
// for c (Helm's coalesceValues, always in coalescing mode here). A user
// null at this level removes the key whatever the default; a user table
// takes the default table's keys it lacks (nested nulls are kept for the
// keys of subcharts, which their own pass deletes); a user scalar or list
// wins.
func (co *coalescer) chartDefaults(c *chart.Chart, v map[string]any, prefix string) {
	name := joinKey(prefix, c.Metadata.Name)
	for key, def := range c.Values {
		user, ok := v[key]
		switch {
		case !ok:
			v[key] = co.fromChart(def)
		case user == nil:
			delete(v, key)
		default:
			ut, ok := user.(map[string]any)
			if !ok {
				continue
			}
			dt, ok := def.(map[string]any)
			if !ok {
				if def != nil {
					co.printf("warning: skipped value for %s.%s: Not a table.", name, key)
				}
				continue
			}
			co.mergeTable(ut, dt, joinKey(name, key), !isDependency(c, key), true)
		}
	}
}

// isDependency reports whether key names one of c's subcharts (Helm's
// childChartMergeTrue): their tables keep user nulls in c's pass.
func isDependency(c *chart.Chart, key string) bool {
	for _, d := range c.Dependencies() {
		if d.Name() == key {
			return true
		}
	}
	return false
}

// fromChart copies a chart default about to become part of the result.
// Helm works on a copystructure copy of the whole Values and, should that
// copy fail (it cannot for decoded values), warns and uses them as they
// are; the same happens here for the one value.
func (co *coalescer) fromChart(v any) any {
	cp, err := copyValue(v)
	if err != nil {
		co.printf("warning: unable to copy values, err: %s", err)
		return v
	}
	return cp
}
