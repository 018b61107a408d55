package check

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// maxShownPaths bounds the changed paths one evidence line lists.
const maxShownPaths = 6

// appSide is one Application in one environment on one side (head or
// base): its renders by source index.
type appSide map[int]*Rendered

// appSideKey names an Application across revisions: its declaration's
// file:line moves with unrelated edits, its name and env do not.
func appSideKey(r *Rendered) string {
	return r.Target.App.App.Namespace + "\x00" + r.Target.App.Name() + "\x00" + r.Target.Env
}

// appSides groups renders by Application and env. An Application met
// twice with the same source index (two declarations of one name) is
// ambiguous and left out.
func appSides(rs []*Rendered) (map[string]appSide, []string) {
	out := map[string]appSide{}
	bad := map[string]bool{}
	var keys []string
	for _, r := range rs {
		k := appSideKey(r)
		s, ok := out[k]
		if !ok {
			s = appSide{}
			out[k] = s
			keys = append(keys, k)
		}
		if _, dup := s[r.Target.SourceIndex]; dup {
			bad[k] = true
		}
		s[r.Target.SourceIndex] = r
	}
	keys = slices.DeleteFunc(keys, func(k string) bool { return bad[k] })
	return out, keys
}

// usable reports whether every source rendered.
func (s appSide) usable() bool {
	for _, r := range s {
		if r.Err != nil || r.Target.Blocked != nil {
			return false
		}
	}
	return true
}

// objectKey is an object's identity within one app: ArgoCD's resource key
// (group, kind, namespace, name), plus generateName for unnamed hooks.
func objectKey(o *manifest.Object) string {
	return strings.Join([]string{o.Ref.Group, o.Ref.Kind, o.Ref.Namespace, o.Ref.Name,
		manifest.GetString(o.Content, "metadata", "generateName")}, "\x00")
}

// split sorts an app's objects into hooks and regular resources by key;
// Skip objects are neither applied nor compared and are left out.
func (s appSide) split() (hooks, plain map[string][]*manifest.Object) {
	hooks, plain = map[string][]*manifest.Object{}, map[string][]*manifest.Object{}
	for _, i := range slices.Sorted(maps.Keys(s)) {
		for _, o := range s[i].Objects {
			switch hookClass(o) {
			case "hook":
				hooks[objectKey(o)] = append(hooks[objectKey(o)], o)
			case "":
				plain[objectKey(o)] = append(plain[objectKey(o)], o)
			}
		}
	}
	return hooks, plain
}

// sameObjects reports whether two sides hold the same regular resources
// with identical content. Any difference, even one ArgoCD's diff would
// ignore, counts: then a sync may happen and the check stays silent.
func sameObjects(a, b map[string][]*manifest.Object) bool {
	if len(a) != len(b) {
		return false
	}
	for k, as := range a {
		bs, ok := b[k]
		if !ok || len(as) != len(bs) {
			return false
		}
		for i := range as {
			if !reflect.DeepEqual(as[i].Content, bs[i].Content) {
				return false
			}
		}
	}
	return true
}

// baseHookFindings reports hooks whose content differs from the base
// revision's while no regular resource of their app does.
func baseHookFindings(ctx context.Context, in *Input) []finding.Finding {
	if len(in.Base) == 0 {
		return nil
	}
	head, keys := appSides(in.Targets)
	base, _ := appSides(in.Base)
	var out []finding.Finding
	for _, k := range keys {
		if ctx.Err() != nil {
			return nil
		}
		h, b := head[k], base[k]
		if b == nil || !h.usable() || !b.usable() || !slices.Equal(slices.Sorted(maps.Keys(h)), slices.Sorted(maps.Keys(b))) {
			continue
		}
		out = append(out, changedHookFindings(ctx, in, h, b)...)
	}
	return out
}

func changedHookFindings(ctx context.Context, in *Input, h, b appSide) []finding.Finding {
	hHooks, hPlain := h.split()
	bHooks, bPlain := b.split()
	if !sameObjects(hPlain, bPlain) {
		return nil // a regular resource changed: the app turns OutOfSync and a sync runs the hooks
	}
	first := h[slices.Sorted(maps.Keys(h))[0]]
	app := first.Target.App
	sp := app.App.Spec.SyncPolicy
	automated := sp != nil && sp.IsAutomatedSyncEnabled()
	if automated && len(hPlain) == 0 {
		return nil // hookFindings already reports an app of hooks only
	}
	var out []finding.Finding
	for _, key := range slices.Sorted(maps.Keys(hHooks)) {
		hs, bs := hHooks[key], bHooks[key]
		if len(hs) != 1 || len(bs) > 1 {
			continue // duplicate identities: which pairs with which is unknown
		}
		o := hs[0]
		var paths []string
		if len(bs) == 1 {
			paths = changedPaths("", bs[0].Content, o.Content)
			if len(paths) == 0 {
				continue
			}
			var ok bool
			if paths, ok = stablePaths(ctx, in, h, o, paths); !ok || len(paths) == 0 {
				continue
			}
		}
		out = append(out, changedHookFinding(in, first, o, paths, len(hPlain), automated))
	}
	return out
}

// stablePaths drops the paths that differ between two renders of the same
// revision (a random or time function in the chart): those change on every
// render and say nothing about the commit. ok is false when that cannot be
// told (the chart uses such a function and cannot be re-rendered).
func stablePaths(ctx context.Context, in *Input, h appSide, o *manifest.Object, paths []string) ([]string, bool) {
	for _, r := range h {
		if !slices.Contains(r.Objects, o) {
			continue
		}
		if r.Chart == nil || !chartUsesRandom(r.Chart) {
			return paths, true
		}
		if in.Renderer == nil {
			return nil, false
		}
		again, err := in.Renderer.RenderValues(ctx, r.Target, r.Values)
		if err != nil {
			return nil, false
		}
		var twin *manifest.Object
		for _, a := range again {
			if objectKey(a) == objectKey(o) {
				if twin != nil {
					return nil, false
				}
				twin = a
			}
		}
		if twin == nil {
			return nil, false
		}
		noisy := changedPaths("", o.Content, twin.Content)
		return slices.DeleteFunc(paths, func(p string) bool {
			return slices.ContainsFunc(noisy, func(n string) bool { return p == n || strings.HasPrefix(p, n+"/") || strings.HasPrefix(n, p+"/") })
		}), true
	}
	return nil, false
}

func changedHookFinding(in *Input, first *Rendered, o *manifest.Object, paths []string, plain int, automated bool) finding.Finding {
	app := first.Target.App
	types := hookPhases(o)
	what := "is new since the base revision"
	if len(paths) > 0 {
		shown := paths
		if len(shown) > maxShownPaths {
			shown = append(slices.Clone(shown[:maxShownPaths]), fmt.Sprintf("and %d more", len(paths)-maxShownPaths))
		}
		what = "differs from the base revision in " + strings.Join(shown, ", ")
		if o.Ref.Kind == "Secret" {
			what += " (values not shown)"
		}
	}
	policy := "automated sync starts an operation only for an OutOfSync app, so it starts none"
	if !automated {
		policy = "sync is manual, and an app shown Synced gives nobody a reason to sync it"
	}
	_, policies := hookCollides(o)
	verb := "changed"
	if len(paths) == 0 {
		verb = "was added"
	}
	return finding.Finding{
		App: app.Name(), Env: first.Target.Env, Object: o.Ref, Location: hookLine(in, o),
		Message: fmt.Sprintf("%s hook %s/%s %s since the base revision while nothing else in %s changed, so it will not run until a manual sync",
			types, o.Ref.Kind, hookName(o), verb, app.Name()),
		Evidence: []finding.Evidence{
			{Label: "changed", Value: fmt.Sprintf("the hook %s", what)},
			{Label: "unchanged", Value: fmt.Sprintf("no non-hook resource changed: the %d regular resource(s) of %s render identically at both revisions; ArgoCD leaves hooks out of the comparison, so the app stays Synced", plain, app.Name()), At: app.Declared},
			{Label: "sync policy", Value: policy},
			{Label: "hook", Value: fmt.Sprintf("%s %s", types, o.Ref)},
			{Label: "delete policy", Value: strings.Join(policies, ",")},
		},
		Impact: "the changed hook (a new migration, a new seed, a new check) does not run after this commit is merged, while ArgoCD shows the app Synced and Healthy",
		Fixes:  []finding.Fix{syncNowFix(app.Name(), app.App.Namespace)},
	}
}

// hookName is the hook's name, or its generateName prefix.
func hookName(o *manifest.Object) string {
	if o.Ref.Name != "" {
		return o.Ref.Name
	}
	return manifest.GetString(o.Content, "metadata", "generateName")
}
