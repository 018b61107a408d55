package check

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// perturber proves by re-rendering that a chart does not read values keys:
// a key is unused when neither giving it a distinct marker value of a
// compatible type nor deleting it changes the rendered output. Keys are
// tested in groups and a group whose output changed is bisected, so a
// file with no dead key costs two renders per chart.
type perturber struct {
	ctx      context.Context
	in       *Input
	r        *Rendered
	baseline string
	renders  int
}

// newPerturber renders the target's own values once more as the baseline;
// ok is false when that render differs from the pipeline's (a chart using
// rand or now cannot prove anything by comparison) or fails.
func newPerturber(ctx context.Context, in *Input, r *Rendered) (*perturber, bool) {
	v := in.Memo("perturb-baseline:"+r.Target.ID(), func() any {
		objs, err := in.Renderer.RenderValues(ctx, r.Target, deepCopyValues(r.Values))
		if err != nil || canonical(objs) != canonical(r.Objects) {
			return nil
		}
		return canonical(objs)
	})
	base, ok := v.(string)
	if !ok {
		return nil, false
	}
	return &perturber{ctx: ctx, in: in, r: r, baseline: base}, true
}

// canonical is a stable text of a render: objects in order, keys sorted.
func canonical(objs []*manifest.Object) string {
	var b strings.Builder
	for _, o := range objs {
		data, _ := json.Marshal(o.Content)
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.String()
}

// changes reports whether perturbing every path of group (all at once)
// changes the output, first with markers, then by deletion. A render error
// is a change: the template looked at the key.
func (p *perturber) changes(group []values.Path) bool {
	set := deepCopyValues(p.r.Values)
	del := deepCopyValues(p.r.Values)
	for i, path := range group {
		old, _ := values.Lookup(set, path)
		setPath(set, path, markerFor(old, i))
		deletePath(del, path)
	}
	for _, vals := range []map[string]any{set, del} {
		if p.ctx.Err() != nil {
			return true
		}
		p.renders++
		objs, err := p.in.Renderer.RenderValues(p.ctx, p.r.Target, vals)
		if err != nil || canonical(objs) != p.baseline {
			return true
		}
	}
	return false
}

// unused returns the paths of cands that provably change nothing.
func (p *perturber) unused(cands []values.Path) []values.Path {
	if len(cands) == 0 || !p.changes(cands) {
		return cands
	}
	if len(cands) == 1 {
		return nil
	}
	mid := len(cands) / 2
	return append(p.unused(cands[:mid]), p.unused(cands[mid:])...)
}

// markerFor is a value of the same kind as old that no chart ships: a
// template that reads the key renders something different.
func markerFor(old any, i int) any {
	tag := fmt.Sprintf("syncdoctor-marker-%d", i)
	switch x := old.(type) {
	case bool:
		return !x
	case int64, int, float64:
		return int64(7919 + i)
	case []any:
		return []any{tag}
	case map[string]any:
		return map[string]any{tag: tag}
	}
	return tag
}
