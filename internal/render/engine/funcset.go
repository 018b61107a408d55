package engine

import (
	"reflect"
	"text/template"
)

// Renders with replaced functions (RenderFuncs) use the pooled executors
// too: cloning the template set and its two function maps of ~200
// entries cost more than executing the few templates an analysis render
// runs. A replacement is usually made per Target (it captures the
// Target's chart label), so an executor binds each replaced name once,
// to a trampoline that calls the function the current render supplied
// (executor.over) or, in a plain render, Helm's own. A trampoline has the
// type of Helm's function and calls it with the same arguments, so a
// plain render on such an executor is Helm's render; only the cost of
// that call differs (engine_test.go renders every chart after replaced
// renders and compares with Helm).

// replaceable reports whether every function in funcs stands in for
// Helm's function of that name and type, which a trampoline can bind; a
// new name or another type gets an executor of its own.
func (p *Parsed) replaceable(funcs template.FuncMap) bool {
	for name, f := range funcs {
		orig, found := p.funcs[name]
		if !found || f == nil || reflect.TypeOf(f) != reflect.TypeOf(orig) {
			return false
		}
	}
	return true
}

// bindReplacements gives x trampolines for the names in funcs it has none
// for yet, and makes funcs its replacements until unbindReplacements.
func (p *Parsed) bindReplacements(x *executor, funcs template.FuncMap) {
	missing := template.FuncMap{}
	for name := range funcs {
		if !x.tramps[name] {
			missing[name] = trampoline(x, name, p.funcs[name])
		}
	}
	if len(missing) > 0 {
		if x.tramps == nil {
			x.tramps = map[string]bool{}
		}
		for name := range missing {
			x.tramps[name] = true
		}
		x.t.Funcs(missing)
	}
	x.over = funcs
}

// unbindReplacements makes x's trampolines call Helm's functions again.
func unbindReplacements(x *executor) { x.over = nil }

// trampoline is a function of orig's type that calls x's current
// replacement of name, or orig when there is none.
func trampoline(x *executor, name string, orig any) any {
	ov := reflect.ValueOf(orig)
	typ := ov.Type()
	return reflect.MakeFunc(typ, func(args []reflect.Value) []reflect.Value {
		f := ov
		if r, ok := x.over[name]; ok {
			f = reflect.ValueOf(r)
		}
		if typ.IsVariadic() {
			return f.CallSlice(args)
		}
		return f.Call(args)
	}).Interface()
}
