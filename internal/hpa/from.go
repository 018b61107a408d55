package hpa

import "time"

// ScaleDownTimeFrom is ScaleDownTime starting at start replicas instead of
// maxReplicas: how long a live HPA now at start takes to reach minReplicas
// once the load drops to zero. A start at or below minReplicas returns 0,
// no steps and true: there is nothing to give back.
func ScaleDownTimeFrom(spec Spec, start int32) (time.Duration, []Step, bool) {
	target := spec.minReplicas()
	if start <= target {
		return 0, nil, true
	}
	steps := run(spec, start, Constant(0), horizonFor(spec, start, target),
		func(s Step) bool { return s.Replicas == target })
	return reachedAt(steps, target)
}
