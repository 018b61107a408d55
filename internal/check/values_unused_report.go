package check

import (
	"fmt"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// nearestRead finds the key a chart does read that the unused key k most
// likely meant: the same key without its leading segments
// (auth-service.autoscaling.minReplicas → autoscaling.minReplicas), or a
// sibling whose name shares a prefix (replicas → replicaCount).
func nearestRead(in *Input, r *Rendered, k values.Path, unused []values.Path) (finding.Evidence, bool) {
	ix := chartIndex(in, r)
	if ix == nil || ix.Incomplete() != "" {
		return finding.Evidence{}, false
	}
	var leaf values.Path
	for _, p := range unused {
		if p.HasPrefix(k) {
			leaf = p
			break
		}
	}
	if leaf == nil {
		return finding.Evidence{}, false
	}
	var near values.Path
	for i := 1; i < len(leaf) && near == nil; i++ {
		if q := leaf[i:]; ix.ReadsPath(q) {
			if _, ok := effectiveValue(r, q); ok {
				near = q
			}
		}
	}
	if near == nil {
		near = similarSibling(ix, leaf)
	}
	if near == nil {
		return finding.Evidence{}, false
	}
	val, _ := effectiveValue(r, near)
	where := "chart default"
	layer, loc := valueOrigin(in, r, near)
	if !loc.IsZero() {
		where = fmt.Sprintf("%s %s", originLabel(layer), loc)
	}
	return finding.Evidence{
		Label: "nearest read key",
		Value: fmt.Sprintf("%s reads %s, effective %v from %s", chartName(r), near, shortValue(val), where),
		At:    loc,
	}, true
}

// similarSibling returns a read path beside leaf (same parent) whose last
// key shares at least four leading characters with leaf's.
func similarSibling(ix *values.Index, leaf values.Path) values.Path {
	parent, name := leaf[:len(leaf)-1], strings.ToLower(leaf[len(leaf)-1])
	best, bestLen := values.Path(nil), 3
	for _, t := range ix.Templates() {
		for _, rd := range ix.Reads(t) {
			if len(rd.Path) != len(leaf) || !rd.Path.HasPrefix(parent) {
				continue
			}
			other := strings.ToLower(rd.Path[len(rd.Path)-1])
			n := 0
			for n < len(name) && n < len(other) && name[n] == other[n] {
				n++
			}
			if n > bestLen && other != name {
				best, bestLen = rd.Path, n
			}
		}
	}
	return best
}

func shortValue(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// deleteKeyFix removes the unused key where it is written. Deleting it was
// part of the proof (the render did not change), so the fix is validated.
func deleteKeyFix(u *valuesUnit, k values.Path) (finding.Fix, bool) {
	l := u.layer
	app := u.targets[0].Target.App
	fix := finding.Fix{Title: fmt.Sprintf("Delete %s from %s", k, l.File), Kind: finding.FixYAML, File: l.File}
	switch l.Kind {
	case "file":
		fix.Patch = fmt.Sprintf("# %s: delete the block\n%s: …\n", l.File, k)
		fix.Edits = []finding.Edit{{File: l.File, Path: k.String(), Op: finding.OpDelete}}
	case "valuesObject":
		p := l.Field + "." + k.String()
		fix.Patch = fmt.Sprintf("# %s: delete\n%s: …\n", l.File, p)
		fix.Edits = []finding.Edit{{File: l.File, Document: app.DocIndex, Path: p, Op: finding.OpDelete}}
	case "parameters":
		for i, prm := range u.targets[0].Target.Source.Helm.Parameters {
			if q, err := values.ParsePath(prm.Name); err == nil && q.HasPrefix(k) {
				p := fmt.Sprintf("%s[%d]", l.Field, i)
				fix.Patch = fmt.Sprintf("# %s: delete the parameter %s\n", l.File, prm.Name)
				fix.Edits = append(fix.Edits, finding.Edit{File: l.File, Document: app.DocIndex, Path: p, Op: finding.OpDelete})
				break
			}
		}
	default:
		fix.Patch = fmt.Sprintf("# %s: remove %s from spec.source.helm.values\n", l.File, k)
	}
	if l.Kind != "file" && app.Origin == target.OriginTerraform {
		fix.Kind, fix.Edits = finding.FixTerraform, nil
	}
	return fix, true
}
