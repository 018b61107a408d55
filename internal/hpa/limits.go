package hpa

import (
	"math"
	"time"
)

// Values of Step.LimitedBy other than a policy ("policy Pods 4/15s").
const (
	LimitWindow    = "stabilization window"
	LimitMin       = "minReplicas"
	LimitMax       = "maxReplicas"
	LimitDisabled  = "selectPolicy Disabled"
	LimitTolerance = "tolerance"
	// LimitLegacyScaleUp is the cap of an HPA without behavior:
	// calculateScaleUpLimit allows max(2×current, 4) replicas per sync.
	LimitLegacyScaleUp = "scale-up limit max(2×current, 4)"
	// LimitNoMetrics marks a sync whose load was unknown (NaN): the controller
	// fails computeReplicasForMetrics and changes nothing, remembering nothing.
	LimitNoMetrics = "no metrics"
	// LimitZeroReplicas marks a target scaled to zero by hand: the controller
	// disables scaling (ScalingActive=False, "ScalingDisabled").
	LimitZeroReplicas = "scaling disabled at 0 replicas"
)

// policyLimit is the bound one direction's rules put on the replica count now,
// and the index of the policy that set it (-1 when disabled or none).
//
// It is calculateScaleUpLimitWithScalingRules (up) and
// calculateScaleDownLimitWithBehaviors (down): every policy measures from the
// replicas at the start of its own period, current − added + removed within
// it, and selectPolicy picks the proposal allowing the largest change (Max;
// anything but Min and Disabled acts as Max) or the smallest (Min).
func policyLimit(h *history, now time.Duration, current int32, r EffectiveRules, up bool) (int32, int) {
	if r.SelectPolicy == SelectDisabled {
		return current, -1
	}
	// For scale-up the largest change is the highest bound, for scale-down
	// the lowest; Min inverts both.
	wantHigh := up == (r.SelectPolicy != SelectMin)
	result := int32(math.MaxInt32)
	if wantHigh {
		result = math.MinInt32
	}
	idx := -1
	// proposed outlives the loop on purpose: the controller declares it
	// outside, so a policy of unknown type (rejected by validation) repeats
	// the previous proposal.
	var proposed int32
	for i, p := range r.Policies {
		start := current - changeInPeriod(h.up, now, p.PeriodSeconds) + changeInPeriod(h.down, now, p.PeriodSeconds)
		switch {
		case p.Type == PodsPolicy && up:
			proposed = start + p.Value
		case p.Type == PodsPolicy:
			proposed = start - p.Value
		case p.Type == PercentPolicy && up:
			// Rounded up so that a small percentage still adds a pod.
			proposed = int32(math.Ceil(float64(start) * (1 + float64(p.Value)/100)))
		case p.Type == PercentPolicy:
			// Truncated (the float-to-int conversion), so a small percentage
			// still removes a pod.
			proposed = int32(float64(start) * (1 - float64(p.Value)/100))
		}
		if (wantHigh && proposed > result) || (!wantHigh && proposed < result) {
			result, idx = proposed, i
		}
	}
	return result, idx
}

func policyName(r EffectiveRules, idx int) string {
	switch {
	case r.SelectPolicy == SelectDisabled:
		return LimitDisabled
	case idx < 0:
		return "no policy"
	default:
		return "policy " + r.Policies[idx].String()
	}
}

// convertWithBehavior is convertDesiredReplicasWithBehaviorRate: the
// stabilized recommendation bounded by the direction's policies and by
// [minR, maxR]. It returns the replicas and what bound them ("" if nothing).
func convertWithBehavior(h *history, now time.Duration, eb EffectiveBehavior, minR, maxR, current, desired int32) (int32, string) {
	switch {
	case desired > current:
		limit, idx := policyLimit(h, now, current, eb.ScaleUp, true)
		// Events from a looser policy can put the bound below the current
		// count; the controller then holds rather than scaling down.
		limit = max(limit, current)
		allowed, by := maxR, LimitMax
		if allowed > limit {
			allowed, by = limit, policyName(eb.ScaleUp, idx)
		}
		if desired > allowed {
			return allowed, by
		}
	case desired < current:
		limit, idx := policyLimit(h, now, current, eb.ScaleDown, false)
		limit = min(limit, current)
		allowed, by := minR, LimitMin
		if allowed < limit {
			allowed, by = limit, policyName(eb.ScaleDown, idx)
		}
		if desired < allowed {
			return allowed, by
		}
	}
	return desired, ""
}

// convertLegacy is convertDesiredReplicasWithRules, used without behavior:
// no scale-down rate limit, and at most max(2×current, 4) replicas per sync.
func convertLegacy(minR, maxR, current, desired int32) (int32, string) {
	upLimit := int32(math.Max(2*float64(current), 4))
	allowed, by := maxR, LimitMax
	if maxR > upLimit {
		allowed, by = upLimit, LimitLegacyScaleUp
	}
	switch {
	case desired < minR:
		return minR, LimitMin
	case desired > allowed:
		return allowed, by
	}
	return desired, ""
}
