package hpa

import (
	"math"
	"time"
)

// maxHorizon caps the convenience runs; a spec slower than this is reported
// as not reaching its target.
const maxHorizon = 7 * 24 * time.Hour

// ScaleDownTime is how long the HPA takes from maxReplicas to minReplicas once
// the load drops to zero: the time of the first sync at which the count
// reaches minReplicas, counted from the first sync that sees the drop (t = 0).
// The controller is warm unless spec.ColdStart, so with default behavior the
// last high recommendation is 15 s old at t = 0 and the window releases at
// 285 s. It returns the steps through that sync, and false when minReplicas is
// never reached (selectPolicy Disabled, or slower than a week).
func ScaleDownTime(spec Spec) (time.Duration, []Step, bool) {
	target := spec.minReplicas()
	steps := run(spec, spec.MaxReplicas, Constant(0), horizonFor(spec, spec.MaxReplicas, target),
		func(s Step) bool { return s.Replicas == target })
	return reachedAt(steps, target)
}

// ScaleUpTime is how long the HPA takes to absorb a sustained spike of factor
// times the load minReplicas were carrying at target (Load = factor ×
// minReplicas from t = 0): the time of the first sync at which the count
// reaches what the spike asks for, ceil(factor × minReplicas) capped at
// maxReplicas. With factor × minReplicas ≥ maxReplicas that is min→max. It
// returns the steps through that sync, and false when the count never gets
// there (selectPolicy Disabled, a spike inside the tolerance, or slower than
// a week).
func ScaleUpTime(spec Spec, factor float64) (time.Duration, []Step, bool) {
	start := spec.minReplicas()
	demand := clampLoad(factor * float64(start))
	target := min(int32(math.Ceil(demand)), spec.MaxReplicas)
	if target <= start {
		return 0, nil, false
	}
	steps := run(spec, start, Constant(demand), horizonFor(spec, start, target),
		func(s Step) bool { return s.Replicas == target })
	return reachedAt(steps, target)
}

func reachedAt(steps []Step, target int32) (time.Duration, []Step, bool) {
	if n := len(steps); n > 0 && steps[n-1].Replicas == target {
		return steps[n-1].At, steps, true
	}
	return 0, steps, false
}

// horizonFor bounds a run from start to target: every valid policy moves at
// least one pod per period (Pods values are ≥ 1; a Percent proposal is rounded
// away from the period's start count), so the windows plus one longest period
// and one sync per pod suffice.
func horizonFor(spec Spec, start, target int32) time.Duration {
	ctrl := spec.Controller.resolved()
	eb, _ := Effective(spec.Behavior)
	window := max(seconds(eb.ScaleUp.StabilizationWindowSeconds), seconds(eb.ScaleDown.StabilizationWindowSeconds), ctrl.DownscaleStabilization)
	period := seconds(max(longestPeriod(eb.ScaleUp), longestPeriod(eb.ScaleDown)))
	pods := int64(start) - int64(target)
	if pods < 0 {
		pods = -pods
	}
	h := window + 2*ctrl.SyncPeriod
	step := period + ctrl.SyncPeriod
	if pods+1 > int64(maxHorizon/step) {
		return maxHorizon
	}
	return min(h+time.Duration(pods+1)*step, maxHorizon)
}
