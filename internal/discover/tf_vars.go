package discover

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// tfVars are a module's input variables as Terraform would see them
// without -var or -var-file.
type tfVars struct {
	values   map[string]cty.Value // declared variables; DynamicVal when unset
	declared map[string]bool
	// elsewhere names the non-auto-loaded .tfvars files that set a
	// variable, for messages.
	elsewhere map[string][]string
}

// tfValue is a local value.
type tfValue struct {
	val cty.Value
}

// blocks returns the module's top-level blocks of one type, in file order.
func (m *tfModule) blocks(typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, f := range m.files {
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		for _, b := range body.Blocks {
			if b.Type == typ {
				out = append(out, b)
			}
		}
	}
	return out
}

// loadVars resolves variables: defaults, then the auto-loaded var files in
// Terraform's order, each converted to the variable's type constraint.
func (m *tfModule) loadVars(varFiles []string) *tfVars {
	v := &tfVars{values: map[string]cty.Value{}, declared: map[string]bool{}, elsewhere: map[string][]string{}}
	types := map[string]cty.Type{}
	for _, b := range m.blocks("variable") {
		if len(b.Labels) != 1 {
			continue
		}
		name := b.Labels[0]
		v.declared[name] = true
		v.values[name] = cty.DynamicVal
		if a, ok := b.Body.Attributes["type"]; ok {
			if ty, diags := typeexpr.TypeConstraint(a.Expr); !diags.HasErrors() {
				types[name] = ty
			}
		}
		if a, ok := b.Body.Attributes["default"]; ok {
			m.meter.start()
			if val, diags := a.Expr.Value(nil); !diags.HasErrors() {
				v.values[name] = val
			}
		}
	}
	auto, other := autoVarFiles(varFiles)
	for _, n := range auto {
		for name, val := range m.varFileValues(n) {
			if v.declared[name] {
				v.values[name] = val
			}
		}
	}
	for _, n := range other {
		for name := range m.varFileValues(n) {
			v.elsewhere[name] = append(v.elsewhere[name], n)
		}
	}
	for name, ty := range types {
		if val := v.values[name]; val.IsKnown() {
			if c, err := convert.Convert(val, ty); err == nil {
				v.values[name] = c
			}
		}
	}
	return v
}

func (m *tfModule) varFileValues(name string) map[string]cty.Value {
	f := m.readVarFile(name)
	if f == nil {
		return nil
	}
	attrs, diags := f.Body.JustAttributes()
	if diags.HasErrors() && len(attrs) == 0 {
		return nil
	}
	out := map[string]cty.Value{}
	for n, a := range attrs {
		m.meter.start()
		if val, d := a.Expr.Value(nil); !d.HasErrors() {
			out[n] = val
		}
	}
	return out
}

// evalLocals evaluates locals in dependency order (Kahn's algorithm, ready
// names in sorted order); what never becomes ready is in or behind a
// reference cycle and stays unknown.
func (m *tfModule) evalLocals() {
	pending := map[string]hcl.Expression{}
	for _, b := range m.blocks("locals") {
		for name, a := range b.Body.Attributes {
			pending[name] = a.Expr
		}
	}
	m.locals = map[string]*tfValue{}
	waiting := map[string]int{}         // local → how many pending locals it references
	dependents := map[string][]string{} // local → the locals referencing it
	var ready []string
	for _, name := range slices.Sorted(maps.Keys(pending)) {
		deps := map[string]bool{}
		for _, t := range pending[name].Variables() {
			if t.RootName() != "local" || len(t) < 2 {
				continue
			}
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				if _, p := pending[a.Name]; p && !deps[a.Name] {
					deps[a.Name] = true
					dependents[a.Name] = append(dependents[a.Name], name)
				}
			}
		}
		waiting[name] = len(deps)
		if len(deps) == 0 {
			ready = append(ready, name)
		}
	}
	for len(ready) > 0 {
		var next []string
		for _, name := range ready {
			expr := pending[name]
			delete(pending, name)
			val, diags := m.eval(expr)
			switch {
			case diags.HasErrors():
				m.unknown["local."+name] = "local." + name + " cannot be evaluated: " + diagText(diags[0])
				val = cty.DynamicVal
			case !val.IsWhollyKnown():
				if _, why, ok := m.why(expr); ok {
					m.unknown["local."+name] = clipReason("local." + name + " depends on " + why)
				}
			}
			m.locals[name] = &tfValue{val: val}
			for _, d := range dependents[name] {
				if waiting[d]--; waiting[d] == 0 {
					next = append(next, d)
				}
			}
		}
		slices.Sort(next)
		ready = next
	}
	for name := range pending {
		m.locals[name] = &tfValue{val: cty.DynamicVal}
		m.unknown["local."+name] = "local." + name + " is part of a reference cycle"
	}
}

// clipReason keeps a reason short: along a chain of locals each would
// otherwise repeat the whole chain behind it (quadratic in its length).
// The start and the root cause at the end are kept.
func clipReason(s string) string {
	if len(s) <= 400 {
		return s
	}
	return strings.ToValidUTF8(s[:200]+" … "+s[len(s)-200:], "")
}

// eval evaluates expr in a context holding only what it refers to: the
// variables and locals it names (each charged to the module's budget by
// its size, as every reference may copy it) and an unknown value for
// every other name (resources, data sources, undeclared variables), so
// evaluation yields "unknown" rather than an error and the culprit can be
// named.
func (m *tfModule) eval(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	scoped := map[string]map[string]cty.Value{"var": {}, "local": {}}
	vars := map[string]cty.Value{
		"path": cty.ObjectVal(map[string]cty.Value{
			"module": cty.StringVal("."), "root": cty.StringVal("."), "cwd": cty.StringVal("."),
		}),
		"terraform": cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")}),
	}
	cost := int64(1)
	for _, t := range expr.Variables() {
		root := t.RootName()
		if _, ok := scoped[root]; ok {
			if len(t) < 2 {
				continue
			}
			a, ok := t[1].(hcl.TraverseAttr)
			if !ok {
				continue
			}
			val := cty.DynamicVal
			switch l := m.locals[a.Name]; {
			case root == "var" && m.vars.declared[a.Name]:
				val = m.vars.values[a.Name]
			case root == "local" && l != nil:
				val = l.val
			}
			scoped[root][a.Name] = val
			key := root + "." + a.Name
			size, ok := m.sizes[key]
			if !ok {
				size = valueSize(val, tfBudget)
				m.sizes[key] = size
			}
			cost += size
			continue
		}
		if _, ok := vars[root]; !ok {
			vars[root] = cty.DynamicVal
		}
	}
	m.meter.start()
	if err := m.meter.charge(cost); err != nil {
		return cty.DynamicVal, budgetDiag(expr.Range())
	}
	for root, vals := range scoped {
		vars[root] = cty.ObjectVal(vals)
	}
	return expr.Value(&hcl.EvalContext{Variables: vars, Functions: m.fns})
}

// why names the first reference in expr whose value is unknown and says
// why, with the reference's range.
func (m *tfModule) why(expr hcl.Expression) (hcl.Range, string, bool) {
	ts := expr.Variables()
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i].SourceRange().Start, ts[j].SourceRange().Start
		return a.Byte < b.Byte
	})
	for _, t := range ts {
		rng := t.SourceRange()
		text := m.text(rng)
		root := t.RootName()
		var name string
		if len(t) >= 2 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				name = a.Name
			}
		}
		switch root {
		case "var":
			if !m.vars.declared[name] {
				return rng, "var." + name + ", which is not declared", true
			}
			if val := m.vars.values[name]; !val.IsWhollyKnown() {
				msg := "var." + name + ", which has no default and is not set in terraform.tfvars or *.auto.tfvars"
				if files := m.vars.elsewhere[name]; len(files) > 0 {
					msg += fmt.Sprintf(" (only in %s, which Terraform reads only with -var-file)", strings.Join(files, ", "))
				}
				return rng, msg, true
			}
		case "local":
			l, ok := m.locals[name]
			if !ok {
				return rng, "local." + name + ", which is not defined", true
			}
			if !l.val.IsWhollyKnown() {
				if why, ok := m.unknown["local."+name]; ok {
					return rng, why, true
				}
				return rng, "local." + name + ", which is not known before apply", true
			}
		case "path", "terraform":
		case "each", "count", "self":
			return rng, text + ", which differs per resource instance", true
		default:
			return rng, text + ", which is known only after terraform apply", true
		}
	}
	return expr.Range(), "", false
}

// text returns the source text of a range.
func (m *tfModule) text(r hcl.Range) string {
	src := m.src[r.Filename]
	if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
		return ""
	}
	return string(src[r.Start.Byte:r.End.Byte])
}
