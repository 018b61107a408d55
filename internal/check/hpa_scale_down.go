package check

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/hpa"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// hpaScaleDown reports HPAs that give capacity back too slowly, absorb a spike too slowly, or follow every dip.
var hpaScaleDown = &Check{
	ID:       "hpa-scale-down",
	Summary:  "an HPA scales too slowly, or flaps, under its behavior",
	Severity: finding.Warning,
	Modes:    Offline | Live,
	Doc: `Simulates every rendered HorizontalPodAutoscaler (autoscaling/v2 and
v2beta2) with the HPA controller's own algorithm (internal/hpa, matching
kubernetes pkg/controller/podautoscaler/horizontal.go and the behavior defaults
of pkg/apis/autoscaling/v2/defaults.go): how long it takes from maxReplicas to
minReplicas once the load drops to zero, and from minReplicas to what a
sustained 10× spike asks for, with the step-by-step timeline and, for each
behavior field, where its value comes from (values file:line, chart default,
template, or the API default).

Reported:

- **warning** when scale-down takes longer than the budget (default 10 minutes,
  ` + "`checks.hpa-scale-down.options.scaleDownBudget`" + ` in .syncdoctor.yaml) or never
  happens (selectPolicy Disabled): you pay for peak capacity long after the peak;
- **warning** when absorbing a 10× spike takes longer than its budget (default 3
  minutes, ` + "`scaleUpBudget`" + `);
- **warning** when scale-down has no stabilization window and reaches
  minReplicas within a minute: the HPA follows every dip of the metric and
  scales straight back up on the next burst (flapping; the stabilization window
  exists to prevent exactly this);
- **info** when the HPA has no ` + "`behavior`" + ` at all, so the controller's
  legacy algorithm and its 300 s downscale window apply unseen.

A behavior that is within budget is silent, whether complete or partly
defaulted; the defaulted fields are named in the evidence of any finding.

The location is the ` + "`behavior:`" + ` key in the values file that sets it, or the
HPA template's ` + "`kind:`" + ` line when nothing sets it. The fix is a ` + "`behavior`" + ` block
at the values path the chart renders into spec.behavior (found by perturbation:
re-rendering with a marker behavior), written into the file that already sets it
or the environment's own values file; it is validated by re-rendering with the
fix and simulating again.

In live mode (` + "`syncdoctor live`" + `) the check judges the HPAs the cluster runs
instead, by the same budgets and severities: each autoscaling/v2 HPA an
Application's ` + "`status.resources`" + ` lists, with its behavior as the API server
returns it (defaults filled in). The evidence adds the HPA's
` + "`status.currentReplicas`" + ` and ` + "`desiredReplicas`" + `, the simulated time to scale
down from the current count to minReplicas, and the latest ` + "`SuccessfulRescale`" + `
Events the controller recorded (they expire after kube-apiserver's ` + "`--event-ttl`" + `,
1 hour by default). The finding names the live object; when the checkout
renders the same HPA it also points at the checkout's line and carries the
values fix above.`,
	Run: runHPAScaleDown,
}

func init() { register(hpaScaleDown) }

var kindHPALine = regexp.MustCompile(`^\s*kind:\s*["']?HorizontalPodAutoscaler\b`)

// hpaBudgets are the check's options with their defaults.
type hpaBudgets struct{ down, up time.Duration }

func budgetsOf(in *Input) hpaBudgets {
	b := hpaBudgets{down: 10 * time.Minute, up: 3 * time.Minute}
	opts := in.Options("hpa-scale-down")
	if d, err := time.ParseDuration(opts["scaleDownBudget"]); err == nil && d > 0 {
		b.down = d
	}
	if d, err := time.ParseDuration(opts["scaleUpBudget"]); err == nil && d > 0 {
		b.up = d
	}
	return b
}

// hpaVerdict is what the simulator says about one spec.
type hpaVerdict struct {
	down, up           time.Duration
	downOK, upOK       bool
	downSteps, upSteps []hpa.Step
	slowDown, slowUp   bool
	flaps, legacy      bool
}

func judge(spec hpa.Spec, b hpaBudgets) hpaVerdict {
	v := hpaVerdict{legacy: spec.Behavior == nil}
	v.down, v.downSteps, v.downOK = hpa.ScaleDownTime(spec)
	v.up, v.upSteps, v.upOK = absorbTime(spec)
	v.slowDown = spec.MaxReplicas > spec.MinReplicas && (!v.downOK || v.down > b.down)
	// A spike inside the tolerance or a min == max HPA has nothing to absorb.
	v.slowUp = spec.MaxReplicas > spec.MinReplicas && len(v.upSteps) > 0 && (!v.upOK || v.up > b.up)
	if !v.legacy {
		eff, _ := hpa.Effective(spec.Behavior)
		v.flaps = eff.ScaleDown.StabilizationWindowSeconds == 0 && v.downOK && v.down <= time.Minute &&
			spec.MaxReplicas > spec.MinReplicas
	}
	return v
}

// absorbTime is when the HPA has absorbed a sustained 10× spike: the
// count ScaleUpTime aims for, or, since the controller stops acting once the
// usage ratio is inside its tolerance (replica_calculator.go), the first
// count that brings the ratio within it. A count that stops just short of
// ceil(demand) because of the tolerance is the controller's final answer.
func absorbTime(spec hpa.Spec) (time.Duration, []hpa.Step, bool) {
	d, steps, ok := hpa.ScaleUpTime(spec, 10)
	if ok {
		return d, steps, true
	}
	demand := 10 * float64(max(spec.MinReplicas, 1))
	for i, s := range steps {
		if s.Replicas > 0 && demand/float64(s.Replicas) <= 1+hpa.DefaultTolerance {
			return s.At, steps[:i+1], true
		}
	}
	return 0, steps, false
}

func (v hpaVerdict) reported() bool { return v.slowDown || v.slowUp || v.flaps || v.legacy }

func runHPAScaleDown(ctx context.Context, in *Input) []finding.Finding {
	budgets := budgetsOf(in)
	if in.Live != nil {
		// Live mode judges the HPAs the cluster runs, not the checkout's.
		return runHPAScaleDownLive(ctx, in, budgets)
	}
	var out []finding.Finding
	for _, r := range in.Targets {
		if r.Err != nil {
			continue
		}
		for _, o := range r.Objects {
			if ctx.Err() != nil {
				return out
			}
			if !isHPA(o) {
				continue
			}
			spec, ok := hpaSpecOf(o)
			if !ok || hpa.Validate(spec) != nil {
				continue // the API server would reject it; not ours to simulate
			}
			v := judge(spec, budgets)
			if !v.reported() {
				continue
			}
			out = append(out, hpaScaleDownFinding(ctx, in, r, o, spec, v, budgets))
		}
	}
	return out
}

func hpaScaleDownFinding(ctx context.Context, in *Input, r *Rendered, o *manifest.Object, spec hpa.Spec, v hpaVerdict, b hpaBudgets) finding.Finding {
	loc, bpath := hpaLocation(ctx, in, r, o, spec)
	f := finding.Finding{
		Severity: finding.Warning, App: r.Target.App.Name(), Env: r.Target.Env, Object: o.Ref,
		Message: hpaMessage(o, spec, v, b), Location: loc,
	}
	if !v.slowDown && !v.slowUp && !v.flaps {
		f.Severity = finding.Info
	}
	f.Evidence = append(f.Evidence,
		finding.Evidence{Label: "scale-down", Value: fmt.Sprintf("%d → %d: %s (budget %s)", spec.MaxReplicas, spec.MinReplicas, timeOrNever(v.down, v.downOK), dur(b.down))},
		finding.Evidence{Label: "scale-up (10× spike)", Value: fmt.Sprintf("%d → %d: %s (budget %s)", spec.MinReplicas, upTarget(spec), timeOrNever(v.up, v.upOK), dur(b.up))},
		finding.Evidence{Label: "scale-down timeline", Value: hpa.Timeline(v.downSteps)},
		finding.Evidence{Label: "scale-up timeline", Value: hpa.Timeline(v.upSteps)},
	)
	f.Evidence = append(f.Evidence, behaviorFields(in, r, spec.Behavior, bpath)...)
	f.Impact = hpaImpact(v)
	if fix, ok := hpaBehaviorFix(ctx, in, r, o, spec, bpath, b); ok {
		f.Fixes = append(f.Fixes, fix)
	}
	return f
}

// hpaLocation is where an HPA finding points: the values line that sets
// the behavior the chart renders into spec.behavior (bpath, nil when none
// was found), else the HPA's kind: line in its template or manifest.
func hpaLocation(ctx context.Context, in *Input, r *Rendered, o *manifest.Object, spec hpa.Spec) (finding.Location, values.Path) {
	var bpath values.Path
	if r.Chart != nil {
		bpath = behaviorPath(ctx, in, r, o)
	}
	var loc finding.Location
	if bpath != nil {
		if _, l := valueOrigin(in, r, bpath); l.Line > 0 && spec.Behavior != nil {
			loc = l
		}
	}
	if loc.IsZero() {
		loc = sourceLine(in, r, o, kindHPALine)
	}
	if loc.IsZero() {
		loc = manifestLine(in, r, o, kindHPALine)
	}
	return loc, bpath
}

// hpaImpact says what the verdict costs.
func hpaImpact(v hpaVerdict) string {
	switch {
	case v.slowDown:
		return "after a burst the workload keeps paying for peak capacity for " + timeOrNever(v.down, v.downOK)
	case v.slowUp:
		return "a traffic spike is served by too few pods for " + timeOrNever(v.up, v.upOK) + ": latency and errors until the HPA catches up"
	case v.flaps:
		return "every short dip in load removes pods that the next burst needs again: replica churn, cold caches and latency spikes"
	}
	return "scale-down follows defaults nobody chose; tune them deliberately"
}

func hpaMessage(o *manifest.Object, spec hpa.Spec, v hpaVerdict, b hpaBudgets) string {
	name := o.Ref.Name
	switch {
	case v.slowDown && !v.downOK:
		return fmt.Sprintf("HPA %s never scales down from %d to %d replicas", name, spec.MaxReplicas, spec.MinReplicas)
	case v.slowDown:
		return fmt.Sprintf("HPA %s takes %s to scale down from %d to %d replicas, over the %s budget", name, dur(v.down), spec.MaxReplicas, spec.MinReplicas, dur(b.down))
	case v.slowUp:
		return fmt.Sprintf("HPA %s takes %s to absorb a 10× spike (%d → %d replicas), over the %s budget", name, timeOrNever(v.up, v.upOK), spec.MinReplicas, upTarget(spec), dur(b.up))
	case v.flaps:
		when := "within " + dur(v.down)
		if v.down == 0 {
			when = "at the first sync"
		}
		return fmt.Sprintf("HPA %s scales down with no stabilization window, from %d to %d replicas %s after load dips", name, spec.MaxReplicas, spec.MinReplicas, when)
	}
	return fmt.Sprintf("HPA %s has no behavior: it scales down from %d to %d replicas in %s under the controller defaults", name, spec.MaxReplicas, spec.MinReplicas, dur(v.down))
}

func upTarget(spec hpa.Spec) int32 {
	minR := max(spec.MinReplicas, 1)
	return min(10*minR, spec.MaxReplicas)
}

func timeOrNever(d time.Duration, ok bool) string {
	if !ok {
		return "never"
	}
	return dur(d)
}
