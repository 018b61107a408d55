package check

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// configRollout finds config changes that do not roll the pods reading them.
var configRollout = &Check{
	ID:       "config-rollout",
	Summary:  "a config change does not roll the pods that read it",
	Severity: finding.Warning,
	Modes:    Offline,
	Doc: "A Deployment, StatefulSet, DaemonSet or Argo Rollout reads a ConfigMap or Secret (`envFrom`, `env.valueFrom`,\n" +
		"a `configMap`/`secret` volume or a projected one, in containers or init containers), but changing the\n" +
		"values that feed that object does not change the pod template. ArgoCD applies the new ConfigMap and\n" +
		"reports Synced and Healthy, while the running pods keep the old config until something else restarts them.\n\n" +
		"syncdoctor proves it by perturbation: it tags every string value with a marker and renders once to see which\n" +
		"keys reach which config object (Secret `data` is base64-decoded first), then changes each such key and\n" +
		"renders again. A key that changes the ConfigMap or Secret but not the pod template is reported, with the\n" +
		"value file line that sets it. This catches a missing `checksum/config` annotation and a partial one (a\n" +
		"checksum of `.Values.config` while the ConfigMap also merges `.Values.shared.config`). Numbers and booleans\n" +
		"are perturbed when their map also holds a string that reaches a config object, or when the config object's\n" +
		"template names them (`{{ if .Values.debug }}`); a chart whose values cannot carry markers (a strict\n" +
		"values.schema.json) is skipped. Renders that only look are cheap: they execute just the workload and config\n" +
		"templates, a key whose marker reaches the pod template (hash functions seen through) needs no render of its\n" +
		"own, and every key reported is confirmed by a render that also runs every template reading it.\n\n" +
		"Reloader (stakater/Reloader) counts as coverage, with its own rules (pkg/common/common.go ShouldReload):\n" +
		"`reloader.stakater.com/auto`, `configmap.`/`secret.reloader.stakater.com/auto`, the\n" +
		"`configmap.`/`secret.reloader.stakater.com/reload` lists (anchored regular expressions), and\n" +
		"`reloader.stakater.com/search` with `reloader.stakater.com/match: \"true\"` on the source; the workload's\n" +
		"annotations win and the pod template's are read only when the workload has none of them;\n" +
		"`reloader.stakater.com/ignore` on the source and the `*.exclude.reloader.stakater.com/reload` lists veto.\n" +
		"These annotations do nothing unless Reloader runs in the cluster, which syncdoctor cannot see offline.\n\n" +
		"Config objects the application does not render (a Secret written by an ExternalSecret or a SealedSecret,\n" +
		"a CSI SecretProviderClass, a ConfigMap of another app) cannot be checksummed: they are reported at info\n" +
		"severity, naming who creates them when the repository shows it, and Reloader is the fix. Plain manifest\n" +
		"directories cannot checksum at all; kustomize `configMapGenerator`/`secretGenerator` objects carry a content\n" +
		"hash in their name and are covered. A checksum that changes when a key no template names is added (it\n" +
		"hashes all of `.Values`) restarts the pods on every unrelated values edit and is reported at info; so is a\n" +
		"checksum over a whole rendered manifest that carries the chart's `helm.sh/chart` version label (the marker\n" +
		"render's hash functions report it), which restarts the pods on every chart release.\n\n" +
		"Fixes: a `checksum/config` pod template annotation hashing every key the perturbation found (through a\n" +
		"helper in the library chart when the workload comes from one), or Reloader's annotation through the chart's\n" +
		"`podAnnotations`-style value. Each fix is re-checked by rendering with it applied.",
	Run: runConfigRollout,
}

func init() { register(configRollout) }

// kustomizeHashed matches a name with kustomize's content-hash suffix
// (sigs.k8s.io/kustomize/api/hasher encode: ten characters from a
// vowel-free alphabet).
var kustomizeHashed = regexp.MustCompile(`-[2456789bcdfghkmt]{10}$`)

func runConfigRollout(ctx context.Context, in *Input) []finding.Finding {
	// Targets are analysed in parallel, each with its own fixer; the
	// fixers are merged in Target order so the result is deterministic.
	found := make([][]finding.Finding, len(in.Targets))
	fixers := make([]*fixer, len(in.Targets))
	forEachParallel(ctx, len(in.Targets), func(i int) {
		rd := in.Targets[i]
		if rd.Err != nil || rd.Target == nil || rd.Target.App == nil {
			return
		}
		fixers[i] = newFixer(in)
		found[i] = rolloutTarget(ctx, in, rd, fixers[i])
	})
	if ctx.Err() != nil {
		return nil
	}
	var out []finding.Finding
	fx := newFixer(in)
	for i := range in.Targets {
		out = append(out, found[i]...)
		fx.absorb(fixers[i])
	}
	return fx.finish(ctx, out)
}

// crPair is a workload and one config source it reads that nothing rolls.
type crPair struct {
	w   *crWorkload
	s   crSource
	obj *manifest.Object // the rendered source; nil when not rendered here
}

func rolloutTarget(ctx context.Context, in *Input, rd *Rendered, fx *fixer) []finding.Finding {
	ws := workloadsOf(rd.Objects)
	if len(ws) == 0 {
		return nil
	}
	t := rd.Target
	idx := indexObjs(rd.Objects)
	// Where a pod template is written is needed only for a finding: it is
	// looked up (reading and scanning the chart's files) on first use.
	nthOf := map[*crWorkload]int{}
	nth := map[string]int{}
	for _, w := range ws {
		nthOf[w] = nth[w.Obj.File]
		nth[w.Obj.File]++
	}
	var files map[string]crFile
	sites := map[*crWorkload]*crSite{}
	siteOf := func(w *crWorkload) *crSite {
		if s, ok := sites[w]; ok {
			return s
		}
		if files == nil && rd.Chart != nil {
			files = chartFiles(in, rd)
		}
		s := locate(in, rd, files, w.Obj, nthOf[w])
		sites[w] = s
		return s
	}
	var out []finding.Finding
	var internal []crPair
	srcs := map[string]*manifest.Object{}
	for _, w := range ws {
		for _, s := range w.Sources {
			var obj *manifest.Object
			if s.Kind != "SecretProviderClass" {
				obj = idx[s.Kind+"/"+w.Obj.Ref.Namespace+"/"+s.Name]
			}
			var srcAnn map[string]string
			if obj != nil {
				srcAnn = obj.Annotations()
			}
			if ok, _ := reloaderCovers(w.Obj, s, srcAnn); ok {
				continue
			}
			p := crPair{w: w, s: s, obj: obj}
			switch {
			case obj == nil:
				out = append(out, externalFinding(in, rd, p, siteOf(w), fx))
			case t.Kind == target.SourceKustomize && kustomizeHashed.MatchString(s.Name):
				// a generator's hashed name changes with its content
			case t.Kind == target.SourceHelm || t.Kind == target.SourceRemoteHelm:
				internal = append(internal, p)
				srcs[obj.Ref.String()] = obj
			default:
				out = append(out, plainFinding(rd, p, siteOf(w), fx))
			}
		}
	}
	if len(internal) == 0 || in.Renderer == nil {
		return out
	}
	render, mark, confirm := perturbRenderer(ctx, in, rd, ws, srcs)
	a := analyzeRollout(ctx, rd, ws, srcs, readsFor(in, rd), sourceReads(in, rd, srcs), rd.Chart != nil && usesRandom(in, rd.Chart), render, mark)
	if a == nil {
		return out
	}
	if a.filled {
		fx.marked[t.ID()] = a
	}
	origin := originsOf(in, rd)
	for _, w := range ws {
		if a.overBroad[w.Obj.Ref.String()] {
			out = append(out, overBroadFinding(rd, w, siteOf(w)))
		} else if a.bumps[w.Obj.Ref.String()] {
			out = append(out, chartBumpFinding(rd, w, siteOf(w)))
		}
	}
	for _, p := range internal {
		wref, sref := p.w.Obj.Ref.String(), p.obj.Ref.String()
		if a.unstable[wref] || a.unstable[sref] || a.overBroad[wref] {
			continue
		}
		var missed, rolled []values.Path
		for _, k := range consumedFeeds(a, p.w, p.s) {
			switch {
			case a.rolls[wref][k.String()]:
				rolled = append(rolled, k)
			case confirm(k, sref, wref):
				missed = append(missed, k)
			}
		}
		if len(missed) == 0 {
			continue
		}
		f := keyFinding(rd, p, siteOf(p.w), missed, rolled, origin)
		fx.add(&f, rd, p, siteOf(p.w), a)
		out = append(out, f)
	}
	return out
}

// readsFor returns whether a workload's template may read a key, from the
// chart's values index (memoised per chart); without an index every key
// may be read.
func readsFor(in *Input, rd *Rendered) func(w *crWorkload, p values.Path) bool {
	ix := chartIndex(in, rd)
	return func(w *crWorkload, p values.Path) bool {
		if ix == nil || ix.Incomplete() != "" {
			return true
		}
		reads := ix.Reads(w.Obj.Source)
		if reads == nil {
			return true // not indexed under that name: assume it reads
		}
		for _, r := range reads {
			if r.Path.HasPrefix(p) || (r.Whole && p.HasPrefix(r.Path)) {
				return true
			}
		}
		return false
	}
}

// sourceReads returns whether the template of a config object in srcs
// names a key itself (not as part of a whole map), from the chart's values
// index; false without a complete index.
func sourceReads(in *Input, rd *Rendered, srcs map[string]*manifest.Object) func(p values.Path) bool {
	ix := chartIndex(in, rd)
	named := map[string]bool{}
	if ix != nil && ix.Incomplete() == "" {
		for _, o := range srcs {
			for _, r := range ix.Reads(o.Source) {
				named[r.Path.String()] = true
			}
		}
	}
	return func(p values.Path) bool { return named[p.String()] }
}

// originsOf returns where a key is set: the highest-precedence layer
// (value file, inline values, parameters, or the chart's values.yaml)
// that holds it, by line.
func originsOf(in *Input, rd *Rendered) func(values.Path) finding.Location {
	return func(p values.Path) finding.Location {
		_, loc := valueOrigin(in, rd, p)
		loc.Column = 0
		return loc
	}
}

func keyText(p values.Path, at finding.Location) string {
	if at.Line > 0 {
		return fmt.Sprintf("`%s` (%s)", p, at)
	}
	return "`" + p.String() + "`"
}

func siteLoc(site *crSite, o *manifest.Object) finding.Location {
	if site != nil {
		return site.Primary()
	}
	return o.Location()
}

func wlText(o *manifest.Object) string { return o.Ref.Kind + " `" + o.Ref.Name + "`" }

func keyFinding(rd *Rendered, p crPair, site *crSite, missed, rolled []values.Path, origin func(values.Path) finding.Location) finding.Finding {
	first := origin(missed[0])
	f := finding.Finding{
		App: rd.Target.App.Name(), Env: rd.Target.Env, Object: p.w.Obj.Ref, Location: siteLoc(site, p.w.Obj),
		Message: fmt.Sprintf("changing %s changes %s but not %s's pod template", keyText(missed[0], first), p.s, wlText(p.w.Obj)),
		Impact: "ArgoCD applies the new " + p.s.Kind + " and reports Synced, but " + staleText(p.s) +
			"; the next unrelated rollout then ships config nobody watched go out",
	}
	for i, k := range missed {
		if i == 8 {
			f.Evidence = append(f.Evidence, finding.Evidence{Label: "not rolled", Value: fmt.Sprintf("and %d more keys", len(missed)-8)})
			break
		}
		f.Evidence = append(f.Evidence, finding.Evidence{Label: "not rolled", Value: k.String() + " changes " + p.s.String() + ", pod template unchanged", At: origin(k)})
	}
	f.Evidence = append(f.Evidence, finding.Evidence{Label: "read by", Value: p.s.Via + (map[bool]string{true: " (optional)"})[p.s.Optional]})
	if len(rolled) > 0 {
		names := make([]string, 0, len(rolled))
		for _, k := range rolled {
			names = append(names, k.String())
		}
		if len(names) > 6 {
			names = append(names[:6], fmt.Sprintf("… %d more", len(rolled)-6))
		}
		f.Evidence = append(f.Evidence, finding.Evidence{Label: "rolls the pods", Value: strings.Join(names, ", ")})
	}
	return f
}

func overBroadFinding(rd *Rendered, w *crWorkload, site *crSite) finding.Finding {
	return finding.Finding{
		Severity: finding.Info,
		App:      rd.Target.App.Name(), Env: rd.Target.Env, Object: w.Obj.Ref, Location: siteLoc(site, w.Obj),
		Message:  fmt.Sprintf("%s's pod template annotations change with any values edit, not only its config", wlText(w.Obj)),
		Evidence: []finding.Evidence{{Label: "probe", Value: "adding a values key no template names changes only the pod template annotations"}},
		Impact:   "every values change, even one unrelated to this workload, restarts its pods",
		Fixes: []finding.Fix{{
			Title: "Hash only the values the workload's config objects are made of", Kind: finding.FixTemplate,
			Patch: "replace the checksum's input with the config values, e.g.\n" +
				"  checksum/config: {{ toYaml .Values.config | sha256sum }}\n",
		}},
	}
}

// chartBumpFinding reports a checksum over a rendered manifest that
// carries the chart's version label: every chart release restarts the
// pods, config change or not, and the label, not the config, decides.
func chartBumpFinding(rd *Rendered, w *crWorkload, site *crSite) finding.Finding {
	label := chartLabel(rd)
	return finding.Finding{
		Severity: finding.Info,
		App:      rd.Target.App.Name(), Env: rd.Target.Env, Object: w.Obj.Ref, Location: siteLoc(site, w.Obj),
		Message:  fmt.Sprintf("%s's pod template checksum hashes a whole rendered manifest, so every chart version bump restarts its pods", wlText(w.Obj)),
		Evidence: []finding.Evidence{{Label: "hashed", Value: "the hash input carries the chart version label `helm.sh/chart: " + label + "`"}},
		Impact:   "each chart release rolls the pods even when no config changed, and release notes cannot tell a config rollout from a version bump",
		Fixes: []finding.Fix{{
			Title: "Hash only the config object's data", Kind: finding.FixTemplate,
			Patch: "replace the checksum's input with the data of the manifest, e.g.\n" +
				"  checksum/config: {{ (include (print $.Template.BasePath \"/configmap.yaml\") . | fromYaml).data | toJson | sha256sum }}\n",
		}},
	}
}

// staleText says what running pods see of a changed source: environment
// variables are fixed when a container starts, while the kubelet rewrites
// mounted ConfigMap and Secret files in place (except subPath mounts) but
// restarts nothing (kubernetes docs, "Mounted ConfigMaps are updated
// automatically").
func staleText(s crSource) string {
	if strings.HasPrefix(s.Via, "env") {
		return "running pods keep the old values in their environment until something else restarts them"
	}
	return "the kubelet only rewrites the mounted files (subPath mounts not even that) and restarts nothing, " +
		"so a process that reads its config at start keeps the old config until something else restarts the pods"
}
