package values

import (
	"bytes"
	"log"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mitchellh/copystructure"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// coalesceRun is one coalescing: its result, error text and warnings
// (sorted: both print in map order).
type coalesceRun struct {
	vals     map[string]any
	err      string
	warnings []string
	aliases  []string
}

func newRun(v map[string]any, err error, out string) coalesceRun {
	r := coalesceRun{vals: v, aliases: aliasSig(v)}
	if err != nil {
		r.err = err.Error()
	}
	for _, l := range strings.Split(out, "\n") {
		if l != "" {
			r.warnings = append(r.warnings, l)
		}
	}
	slices.Sort(r.warnings)
	return r
}

// helmRun runs chartutil.CoalesceValues, catching what it logs. It changes
// the standard logger for the call, so tests using it are not parallel.
func helmRun(c *chart.Chart, vals map[string]any) coalesceRun {
	var buf bytes.Buffer
	w, flags, prefix := log.Writer(), log.Flags(), log.Prefix()
	log.SetOutput(&buf)
	log.SetFlags(0)
	log.SetPrefix("")
	v, err := chartutil.CoalesceValues(c, vals)
	log.SetOutput(w)
	log.SetFlags(flags)
	log.SetPrefix(prefix)
	return newRun(map[string]any(v), err, buf.String())
}

// ourRun runs coalesceValues with a logger like the standard one.
func ourRun(c *chart.Chart, vals map[string]any) coalesceRun {
	var buf bytes.Buffer
	l := log.New(&buf, "", 0)
	v, err := coalesceValues(l.Printf, c, vals)
	return newRun(v, err, buf.String())
}

// aliasSig lists every map and non-empty slice of v reached a second
// time, as "path=first path", walking keys in sorted order: Helm's result
// shares some tables between a parent's and its subcharts' globals, and a
// template that changes one sees the change in the other.
func aliasSig(v any) []string {
	seen := map[uintptr]string{}
	var out []string
	var walk func(v any, p string)
	walk = func(v any, p string) {
		var id uintptr
		switch x := v.(type) {
		case map[string]any:
			if x == nil {
				return
			}
			id = reflect.ValueOf(x).Pointer()
		case []any:
			if len(x) == 0 {
				return
			}
			id = reflect.ValueOf(x).Pointer()
		default:
			return
		}
		if first, ok := seen[id]; ok {
			out = append(out, p+"="+first)
			return
		}
		seen[id] = p
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				walk(x[k], p+"/"+k)
			}
		case []any:
			for i, e := range x {
				walk(e, p+"/"+itoa(i))
			}
		}
	}
	walk(v, "")
	return out
}

// inputs is a deep snapshot of vals and of the Values of every chart in
// the tree, to show that coalescing leaves them alone.
type inputs struct {
	vals   any
	charts []any
}

func snapshot(t testing.TB, c *chart.Chart, vals map[string]any) inputs {
	t.Helper()
	s := inputs{vals: copystructure.Must(copystructure.Copy(vals))}
	var walk func(c *chart.Chart)
	walk = func(c *chart.Chart) {
		s.charts = append(s.charts, copystructure.Must(copystructure.Copy(c.Values)))
		for _, d := range c.Dependencies() {
			walk(d)
		}
	}
	walk(c)
	return s
}

// scribble changes every map and slice reachable from v.
func scribble(v any) {
	seen := map[uintptr]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x == nil || seen[reflect.ValueOf(x).Pointer()] {
				return
			}
			seen[reflect.ValueOf(x).Pointer()] = true
			for _, e := range x {
				walk(e)
			}
			x["\x00scribbled"] = true
		case []any:
			for i, e := range x {
				walk(e)
				x[i] = "scribbled"
			}
		}
	}
	walk(v)
}

// checkAgainstHelm coalesces with Helm and with CoalesceValues and
// reports any difference in result, error, warnings or sharing, then
// whether either changed the inputs or whether changing our result
// reaches them.
func checkAgainstHelm(t testing.TB, c *chart.Chart, vals map[string]any) {
	t.Helper()
	before := snapshot(t, c, vals)
	want := helmRun(c, vals)
	got := ourRun(c, vals)
	// cmp.Equal first: Diff is slow, and the fuzzer calls this a lot.
	opt := cmp.AllowUnexported(coalesceRun{})
	if !cmp.Equal(want, got, opt) {
		t.Fatalf("CoalesceValues differs from chartutil.CoalesceValues (-helm +ours):\n%s", cmp.Diff(want, got, opt))
	}
	sameInputs := func(what string) {
		t.Helper()
		opt := cmp.AllowUnexported(inputs{})
		if after := snapshot(t, c, vals); !cmp.Equal(before, after, opt) {
			t.Fatalf("%s (-before +after):\n%s", what, cmp.Diff(before, after, opt))
		}
	}
	sameInputs("inputs changed by coalescing")
	scribble(got.vals)
	sameInputs("changing the result changed the inputs")
}
