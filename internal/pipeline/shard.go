package pipeline

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Shard selects one part of a run split over machines (--shard i/n).
// Every shard discovers and renders everything (children are found in
// their parents' output, environments are named by comparing siblings);
// a Target belongs to the shard its app name and environment hash to,
// and every finding is reported by exactly one shard: the owner of its
// app and environment. The zero value is the whole run.
type Shard struct {
	Index int // 0-based
	Count int // 0 or 1: not sharded
}

// ParseShard reads "i/n" with 0 ≤ i < n.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	idx, err1 := strconv.Atoi(i)
	cnt, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || cnt < 1 || idx < 0 || idx >= cnt {
		return Shard{}, fmt.Errorf("shard %q: want INDEX/COUNT with 0 <= INDEX < COUNT, e.g. 0/4", s)
	}
	return Shard{Index: idx, Count: cnt}, nil
}

// Owns tells whether the shard owns an app × env (FNV-1a of both, so the
// assignment is the same on every machine and every run).
func (s Shard) Owns(app, env string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(app + "\x00" + env))
	return int(h.Sum32()%uint32(s.Count)) == s.Index
}

func (s Shard) ownsTarget(r *check.Rendered) bool {
	return s.Owns(r.Target.App.Name(), r.Target.Env)
}

// perTargetChecks are the checks whose findings about a Target depend on
// that Target alone, so a shard may run them over its own Targets only;
// every other check sees every Target and its findings are kept by their
// owner shard. It is empty for now: config-rollout, the expensive one,
// pools the Targets that share a template into one fix, and values-unused
// pools the Targets that load a file (TestShardsUnionIsWholeRun catches a
// check listed here wrongly). Until a check splits its per-Target work
// from its pooling, a shard saves output, not check time.
var perTargetChecks []string

// runChecks runs the checks of an offline run, or of its shard.
func runChecks(ctx context.Context, in *check.Input, opts Options) []finding.Finding {
	if opts.Shard.Count <= 1 {
		return check.Run(ctx, in, check.RunOptions{Mode: check.Offline, Only: opts.Checks})
	}
	var own, rest []string
	for _, c := range check.All() {
		if len(opts.Checks) > 0 && !slices.Contains(opts.Checks, c.ID) {
			continue
		}
		if slices.Contains(perTargetChecks, c.ID) {
			own = append(own, c.ID)
		} else {
			rest = append(rest, c.ID)
		}
	}
	var all []finding.Finding
	if len(own) > 0 {
		owned := &check.Input{Apps: in.Apps, Problems: in.Problems, Config: in.Config, Renderer: in.Renderer, Files: in.Files, Live: in.Live}
		for _, r := range in.Targets {
			if opts.Shard.ownsTarget(r) {
				owned.Targets = append(owned.Targets, r)
			}
		}
		all = append(all, check.Run(ctx, owned, check.RunOptions{Mode: check.Offline, Only: own})...)
	}
	if len(rest) > 0 {
		all = append(all, check.Run(ctx, in, check.RunOptions{Mode: check.Offline, Only: rest})...)
	}
	kept := all[:0]
	for _, f := range all {
		if opts.Shard.Owns(f.App, f.Env) {
			kept = append(kept, f)
		}
	}
	return finding.SortAndDedupe(kept)
}

// shardTargets keeps the Targets the shard owns, for the Result.
func shardTargets(rendered []*check.Rendered, s Shard) []*check.Rendered {
	if s.Count <= 1 {
		return rendered
	}
	var out []*check.Rendered
	for _, r := range rendered {
		if s.ownsTarget(r) {
			out = append(out, r)
		}
	}
	return out
}
