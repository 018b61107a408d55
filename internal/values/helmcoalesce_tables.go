package values

import (
	"fmt"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// deps coalesces the values of each subchart of c, in Dependencies order
// (Helm's coalesceDeps): the subchart's table in dest (created empty when
// missing; anything but a table is an error, with Helm's text), the
// parent's globals copied into it, then the subchart's own defaults and
// its subcharts, recursively. prefix is the dotted path of c's parent.
func (co *coalescer) deps(c *chart.Chart, dest map[string]any, prefix string) error {
	for _, sub := range c.Dependencies() {
		name := sub.Name()
		cur, ok := dest[name]
		if !ok {
			cur = map[string]any{}
			dest[name] = cur
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return fmt.Errorf("type mismatch on %s: %t", name, cur)
		}
		if m == nil {
			// A nil map only comes from values built in code; Helm would
			// panic writing the globals into it.
			m = map[string]any{}
			dest[name] = m
		}
		if sub.Metadata == nil {
			return fmt.Errorf("coalesce values: subchart %s has no metadata", name)
		}
		subPrefix := joinKey(prefix, c.Metadata.Name)
		co.globals(m, dest, subPrefix)
		co.chartDefaults(sub, m, subPrefix)
		if err := co.deps(sub, m, subPrefix); err != nil {
			return err
		}
	}
	return nil
}

// globals copies the parent's globals into a subchart's values (Helm's
// coalesceGlobals): a parent's scalar or list replaces the child's unless
// the child has a table there; a parent's table is merged over the
// child's table at the top level. Like Helm, the parent's table is copied
// one level deep only, so the tables below it stay shared between parent
// and child (and siblings): what the merge adds to them — the child's own
// keys, and later the child's chart defaults — shows in the parent's
// globals too. That is Helm's result, so it is reproduced as is.
// Unless either side's globals are not a table (a warning, nothing done),
// the child's values end with a global table.
func (co *coalescer) globals(child, parent map[string]any, prefix string) {
	var dg, sg map[string]any
	if g, ok := child[chartutil.GlobalKey]; !ok {
		dg = map[string]any{}
	} else if dg, ok = g.(map[string]any); !ok {
		co.printf("warning: skipping globals because destination %s is not a table.", chartutil.GlobalKey)
		return
	}
	if g, ok := parent[chartutil.GlobalKey]; ok {
		if sg, ok = g.(map[string]any); !ok {
			co.printf("warning: skipping globals because source %s is not a table.", chartutil.GlobalKey)
			return
		}
	}
	if dg == nil {
		// A nil map only comes from values built in code; Helm would
		// panic writing into it.
		dg = map[string]any{}
	}
	for key, pv := range sg {
		pt, isTable := pv.(map[string]any)
		cv, exists := dg[key]
		switch {
		case isTable:
			top := make(map[string]any, len(pt))
			for k, e := range pt {
				top[k] = e
			}
			if !exists {
				dg[key] = top
				continue
			}
			ct, ok := cv.(map[string]any)
			if !ok {
				co.printf("Conflict: cannot merge map onto non-map for %q. Skipping.", key)
				continue
			}
			// The parent wins here: its copy is the destination, nulls
			// are kept (the subchart's own pass removes them).
			co.mergeTable(top, ct, joinKey(prefix, key), false, false)
			dg[key] = top
		case exists && isMap(cv):
			co.printf("key %s is table. Skipping", key)
		default:
			dg[key] = pv
		}
	}
	child[chartutil.GlobalKey] = dg
}

func isMap(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

// mergeTable coalesces src under dst, dst winning (Helm's
// coalesceTablesFullKey): keys only in src are added, tables on both sides
// merge recursively, anything else keeps dst's value, with Helm's warnings
// when a table meets a non-table. A null in dst stays, except that when
// deleteNulls is set and src has a non-null value there the key is
// removed (a user null deleting a default). fromChart is set when src is
// a chart's defaults, which are copied when taken; otherwise src is part
// of the result already and its values move as they are. at is the dotted
// path of dst, for warnings.
func (co *coalescer) mergeTable(dst, src map[string]any, at string, deleteNulls, fromChart bool) {
	if dst == nil || src == nil {
		// Helm returns early on either, leaving dst as it is.
		return
	}
	for key, sv := range src {
		dv, ok := dst[key]
		switch {
		case !ok:
			if fromChart {
				sv = co.fromChart(sv)
			}
			dst[key] = sv
		case dv == nil:
			if deleteNulls && sv != nil {
				delete(dst, key)
			}
		default:
			st, srcTable := sv.(map[string]any)
			dt, dstTable := dv.(map[string]any)
			switch {
			case srcTable && dstTable:
				co.mergeTable(dt, st, joinKey(at, key), deleteNulls, fromChart)
			case srcTable:
				co.printf("warning: cannot overwrite table with non table for %s (%v)", joinKey(at, key), sv)
			case dstTable && sv != nil:
				co.printf("warning: destination for %s is a table. Ignoring non-table value (%v)", joinKey(at, key), sv)
			}
		}
	}
}
