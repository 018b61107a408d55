package engine

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"text/template"
)

// Renders with replaced functions (RenderFuncs) are pooled too: cloning
// the template set and its two function maps of ~200 entries cost more
// than executing the few templates an analysis render runs. A replacement
// is usually made per Target (it captures the Target's chart label), so
// executors are pooled by the names they replace, not by the map: each
// replaced name is bound once, in the clone, to a trampoline that calls
// the function the current render supplied (executor.over).

// funcSetPool is the executor pool of one set of replaced names.
type funcSetPool struct {
	pool sync.Pool
}

// funcSetKey names the set of replaced functions; ok is false when a
// replacement is not like Helm's function of that name (a new name, or
// another type), which the trampolines cannot stand in for.
func (p *Parsed) funcSetKey(funcs template.FuncMap) (key string, ok bool) {
	names := make([]string, 0, len(funcs))
	for name, f := range funcs {
		orig, found := p.funcs[name]
		if !found || f == nil || reflect.TypeOf(f) != reflect.TypeOf(orig) {
			return "", false
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return strings.Join(names, "\x00"), true
}

// funcSetExecutor returns an executor whose functions named in funcs call
// funcs' for this render; put it back with putFuncSetExecutor.
func (p *Parsed) funcSetExecutor(key string, funcs template.FuncMap) (*executor, error) {
	v, _ := p.funcPools.LoadOrStore(key, &funcSetPool{})
	fp := v.(*funcSetPool)
	if x, ok := fp.pool.Get().(*executor); ok {
		clear(x.names)
		x.over, x.overPool = funcs, fp
		return x, nil
	}
	t, err := p.root.Clone()
	if err != nil {
		return nil, err
	}
	x := &executor{t: t, names: map[string]int{}, over: funcs, overPool: fp}
	bindLateFuncs(t, x.names)
	tramps := template.FuncMap{}
	for name := range funcs {
		tramps[name] = trampoline(x, name, reflect.TypeOf(p.funcs[name]))
	}
	t.Funcs(tramps)
	return x, nil
}

// putFuncSetExecutor returns x to its pool, forgetting the replacements.
func putFuncSetExecutor(x *executor) {
	fp := x.overPool
	x.over = nil
	fp.pool.Put(x)
}

// trampoline is a function of type typ that calls x's current replacement
// of name with its arguments.
func trampoline(x *executor, name string, typ reflect.Type) any {
	return reflect.MakeFunc(typ, func(args []reflect.Value) []reflect.Value {
		f := reflect.ValueOf(x.over[name])
		if typ.IsVariadic() {
			return f.CallSlice(args)
		}
		return f.Call(args)
	}).Interface()
}
