package check

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/hpa"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// Live mode of hpa-scale-down: the HPAs the cluster runs, with the
// behavior the API server returns (its defaults filled in by
// pkg/apis/autoscaling/v2/defaults.go, so every field but the scale-down
// window is explicit), their status and the controller's rescale Events.

// maxRescaleEvents is how many of the latest rescales the evidence shows.
const maxRescaleEvents = 3

func runHPAScaleDownLive(ctx context.Context, in *Input, b hpaBudgets) []finding.Finding {
	var out []finding.Finding
	for _, h := range in.Live.HPAs {
		if ctx.Err() != nil {
			return out
		}
		la := hpaOwner(in.Live, h.Ref)
		if la == nil {
			continue // no Application manages it: not a GitOps object to judge
		}
		spec, ok := hpaSpecOf(h)
		if !ok || hpa.Validate(spec) != nil {
			continue
		}
		v := judge(spec, b)
		if !v.reported() {
			continue
		}
		out = append(out, liveHPAFinding(ctx, in, la, h, spec, v, b))
	}
	return out
}

// hpaOwner returns the cluster Application whose status.resources lists
// the HPA, nil when none does.
func hpaOwner(st *manifest.LiveState, ref finding.ObjectRef) *manifest.LiveApp {
	for _, la := range st.Apps {
		for _, rs := range la.App.Status.Resources {
			if rs.Group == ref.Group && rs.Kind == ref.Kind && rs.Name == ref.Name && rs.Namespace == ref.Namespace {
				return la
			}
		}
	}
	return nil
}

func liveHPAFinding(ctx context.Context, in *Input, la *manifest.LiveApp, h *manifest.Object, spec hpa.Spec, v hpaVerdict, b hpaBudgets) finding.Finding {
	f := finding.Finding{
		Severity: finding.Warning, App: la.App.Name, Env: la.Env, Object: h.Ref,
		Message: hpaMessage(h, spec, v, b), Impact: hpaImpact(v),
	}
	if !v.slowDown && !v.slowUp && !v.flaps {
		f.Severity = finding.Info
	}
	f.Evidence = append(f.Evidence, finding.Evidence{Label: "scale-down",
		Value: fmt.Sprintf("%d → %d: %s (budget %s)", spec.MaxReplicas, spec.MinReplicas, timeOrNever(v.down, v.downOK), dur(b.down))})
	downSteps := v.downSteps
	cur, curOK := intField(h.Content, "status", "currentReplicas")
	if desired, ok := intField(h.Content, "status", "desiredReplicas"); curOK && ok {
		f.Evidence = append(f.Evidence, finding.Evidence{Label: "replicas now", Value: fmt.Sprintf("current %d, desired %d (HPA status)", cur, desired)})
	}
	if curOK && int32(cur) > spec.MinReplicas {
		d, steps, ok := hpa.ScaleDownTimeFrom(spec, int32(cur))
		f.Evidence = append(f.Evidence, finding.Evidence{Label: "scale-down from now",
			Value: fmt.Sprintf("%d → %d: %s once the load drops", cur, spec.MinReplicas, timeOrNever(d, ok))})
		downSteps = steps
	}
	f.Evidence = append(f.Evidence, rescaleEvidence(in.Live, h.Ref)...)
	f.Evidence = append(f.Evidence,
		finding.Evidence{Label: "scale-up (10× spike)", Value: fmt.Sprintf("%d → %d: %s (budget %s)", spec.MinReplicas, upTarget(spec), timeOrNever(v.up, v.upOK), dur(b.up))},
		finding.Evidence{Label: "scale-down timeline", Value: hpa.Timeline(downSteps)},
		finding.Evidence{Label: "scale-up timeline", Value: hpa.Timeline(v.upSteps)},
	)
	f.Evidence = append(f.Evidence, liveBehaviorFields(spec.Behavior)...)
	// The checkout's HPA gives the finding a file:line and the fix: the
	// values edit, checked by re-rendering, that ArgoCD will sync.
	if r, desired := checkoutHPA(in, la, h.Ref); desired != nil {
		dspec, _ := hpaSpecOf(desired)
		loc, bpath := hpaLocation(ctx, in, r, desired, dspec)
		f.Location = loc
		if fix, ok := hpaBehaviorFix(ctx, in, r, desired, spec, bpath, b); ok {
			f.Fixes = append(f.Fixes, fix)
		}
	}
	return f
}

// checkoutHPA finds the checkout's rendering of a live HPA through the
// Application it was matched to, nil when the checkout does not render it.
func checkoutHPA(in *Input, la *manifest.LiveApp, ref finding.ObjectRef) (*Rendered, *manifest.Object) {
	if la.Checkout < 0 || la.Checkout >= len(in.Apps) {
		return nil, nil
	}
	app := in.Apps[la.Checkout]
	for _, r := range in.Targets {
		if r.Err != nil || r.Target.App != app || (la.Env != "" && r.Target.Env != la.Env) {
			continue
		}
		for _, o := range r.Objects {
			if isHPA(o) && manifest.SameObject(o.Ref, ref) {
				return r, o
			}
		}
	}
	return nil, nil
}

// rescale is one SuccessfulRescale Event.
type rescale struct {
	at    time.Time
	msg   string
	count int64
}

// rescaleEvidence lists the latest rescales of the HPA, newest first,
// from the Events its controller recorded.
func rescaleEvidence(st *manifest.LiveState, ref finding.ObjectRef) []finding.Evidence {
	var rs []rescale
	for _, e := range st.RescaleEvents {
		if manifest.GetString(e.Content, "involvedObject", "name") != ref.Name || e.Ref.Namespace != ref.Namespace {
			continue
		}
		count, _ := intField(e.Content, "count")
		rs = append(rs, rescale{at: eventTime(e.Content), msg: manifest.GetString(e.Content, "message"), count: count})
	}
	if len(rs) == 0 {
		// Events expire (kube-apiserver --event-ttl, 1 h by default).
		return []finding.Evidence{{Label: "recent rescales", Value: "none recorded (Events expire after kube-apiserver's --event-ttl, 1h by default)"}}
	}
	slices.SortStableFunc(rs, func(a, b rescale) int { return b.at.Compare(a.at) })
	var out []finding.Evidence
	for _, r := range rs[:min(len(rs), maxRescaleEvents)] {
		when := "unknown time"
		if !r.at.IsZero() {
			when = r.at.UTC().Format(time.RFC3339)
		}
		val := r.msg
		if r.count > 1 {
			val += " (" + strconv.FormatInt(r.count, 10) + " times)"
		}
		out = append(out, finding.Evidence{Label: "rescaled " + when, Value: val})
	}
	return out
}

// eventTime is when an Event last happened: lastTimestamp, else the
// events.k8s.io eventTime, else firstTimestamp, else its creation.
func eventTime(e map[string]any) time.Time {
	for _, k := range []string{"lastTimestamp", "eventTime", "firstTimestamp"} {
		if t := parseTime(e[k]); !t.IsZero() {
			return t
		}
	}
	return parseTime(manifest.Get(e, "metadata", "creationTimestamp"))
}

// liveBehaviorFields lists the effective behavior of a live HPA. The API
// server has already filled its defaults, so which fields the user set is
// unknowable here; only the scale-down window, which the server leaves
// unset, can be told to come from kube-controller-manager.
func liveBehaviorFields(b *hpa.Behavior) []finding.Evidence {
	eff, def := hpa.Effective(b)
	if eff.Legacy {
		return behaviorFields(nil, nil, nil, nil)
	}
	var out []finding.Evidence
	for _, d := range []struct {
		name  string
		rules hpa.EffectiveRules
		def   hpa.RulesDefaulted
	}{{"scaleUp", eff.ScaleUp, def.ScaleUp}, {"scaleDown", eff.ScaleDown, def.ScaleDown}} {
		window := strconv.Itoa(int(d.rules.StabilizationWindowSeconds)) + "s (live)"
		if d.def.StabilizationWindowSeconds && d.def.WindowFromController {
			window = strconv.Itoa(int(d.rules.StabilizationWindowSeconds)) + "s (kube-controller-manager default)"
		}
		out = append(out,
			finding.Evidence{Label: d.name + ".stabilizationWindowSeconds", Value: window},
			finding.Evidence{Label: d.name + ".selectPolicy", Value: d.rules.SelectPolicy + " (live)"},
			finding.Evidence{Label: d.name + ".policies", Value: policiesString(d.rules.Policies) + " (live)"},
		)
	}
	return out
}
