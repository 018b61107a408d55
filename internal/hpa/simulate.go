package hpa

import (
	"math"
	"time"
)

// Defaults of kube-controller-manager
// (pkg/controller/podautoscaler/config/v1alpha1/defaults.go).
const (
	DefaultSyncPeriod             = 15 * time.Second
	DefaultDownscaleStabilization = 5 * time.Minute
	DefaultTolerance              = 0.1
)

// Controller holds the kube-controller-manager settings that shape HPA
// decisions. A zero field takes the default, as the component config does.
type Controller struct {
	SyncPeriod             time.Duration // --horizontal-pod-autoscaler-sync-period
	DownscaleStabilization time.Duration // --horizontal-pod-autoscaler-downscale-stabilization
	Tolerance              float64       // --horizontal-pod-autoscaler-tolerance
	// IgnoreBehaviorTolerance models the HPAConfigurableTolerance feature gate
	// turned off: Rules.Tolerance is then ignored (tolerancesForHpa).
	IgnoreBehaviorTolerance bool
}

func (c Controller) resolved() Controller {
	if c.SyncPeriod <= 0 {
		c.SyncPeriod = DefaultSyncPeriod
	}
	if c.DownscaleStabilization == 0 {
		c.DownscaleStabilization = DefaultDownscaleStabilization
	}
	if c.Tolerance == 0 {
		c.Tolerance = DefaultTolerance
	}
	return c
}

// Spec is what the simulator needs of one HPA and its controller.
type Spec struct {
	MinReplicas int32 // 0 means unset, which the API defaults to 1
	MaxReplicas int32
	Behavior    *Behavior // nil: no spec.behavior (the controller's legacy path)
	Controller  Controller
	// ColdStart starts from a freshly (re)started controller that remembers
	// only the initial replica count (recordInitialRecommendation). By
	// default the controller is warm: it has been running steadily at the
	// start count, recommending it at every earlier sync.
	ColdStart bool
}

func (s Spec) minReplicas() int32 {
	if s.MinReplicas == 0 {
		return 1
	}
	return s.MinReplicas
}

// Load is the replica count that would put the metric exactly on target at
// time t since the simulation began (usage ÷ per-pod target). NaN means the
// metrics are unavailable at t.
type Load func(t time.Duration) float64

// Constant is a Load that never changes.
func Constant(pods float64) Load { return func(time.Duration) float64 { return pods } }

// StepLoad is a Load of before until at, and after from at on.
func StepLoad(before, after float64, at time.Duration) Load {
	return func(t time.Duration) float64 {
		if t < at {
			return before
		}
		return after
	}
}

// Step is one controller sync.
type Step struct {
	At          time.Duration
	Load        float64
	Current     int32  // replicas when the sync began
	Recommended int32  // the raw recommendation: ceil(Load), Current within tolerance, the bound when Current is out of range
	Stabilized  int32  // after the stabilization window(s)
	Replicas    int32  // replicas after the sync
	LimitedBy   string // what kept Replicas from Recommended ("" when nothing did)
}

// sim is one HPA under one controller.
type sim struct {
	spec     Spec
	ctrl     Controller
	eb       EffectiveBehavior
	minR     int32
	h        history
	replicas int32
}

func newSim(spec Spec, start int32) *sim {
	s := &sim{spec: spec, ctrl: spec.Controller.resolved(), minR: spec.minReplicas(), replicas: max(start, 0)}
	eb, d := Effective(spec.Behavior)
	if d.ScaleDown.WindowFromController {
		// maybeInitScaleDownStabilizationWindow: whole seconds of the flag.
		eb.ScaleDown.StabilizationWindowSeconds = int32(s.ctrl.DownscaleStabilization.Seconds())
	}
	s.eb = eb
	if spec.ColdStart {
		s.h.recs = []recommendation{{value: s.replicas, at: 0}}
		return s
	}
	// Warm: one remembered recommendation of the start count per earlier
	// sync, as far back as any window reaches.
	reach := s.ctrl.DownscaleStabilization
	if !eb.Legacy {
		reach = max(seconds(eb.ScaleUp.StabilizationWindowSeconds), seconds(eb.ScaleDown.StabilizationWindowSeconds))
	}
	n := int(reach / s.ctrl.SyncPeriod)
	for k := n; k >= 1; k-- {
		s.h.recs = append(s.h.recs, recommendation{value: s.replicas, at: -time.Duration(k) * s.ctrl.SyncPeriod})
	}
	return s
}

// Simulate runs the controller every sync period from t = 0 to horizon
// (inclusive) against load, starting at start replicas, and returns one Step
// per sync. It follows reconcileAutoscaler: out-of-range counts snap to the
// bounds, otherwise the recommendation goes through tolerance, stabilization
// and rate limits (or the legacy path without behavior).
func Simulate(spec Spec, start int32, load Load, horizon time.Duration) []Step {
	return run(spec, start, load, horizon, nil)
}

// run simulates until horizon, or through the first step for which stop
// returns true.
func run(spec Spec, start int32, load Load, horizon time.Duration, stop func(Step) bool) []Step {
	s := newSim(spec, start)
	if load == nil {
		load = Constant(math.NaN()) // no metrics at all
	}
	var steps []Step
	for t := time.Duration(0); t <= horizon; t += s.ctrl.SyncPeriod {
		st := s.sync(t, load(t))
		steps = append(steps, st)
		if stop != nil && stop(st) {
			break
		}
	}
	return steps
}

func (s *sim) sync(now time.Duration, demand float64) Step {
	cur := s.replicas
	st := Step{At: now, Load: demand, Current: cur}
	var next int32
	switch {
	case cur == 0:
		st.Recommended, st.Stabilized, st.Replicas, st.LimitedBy = 0, 0, 0, LimitZeroReplicas
		return st
	case cur > s.spec.MaxReplicas:
		next, st.LimitedBy = s.spec.MaxReplicas, LimitMax
		st.Recommended, st.Stabilized = next, next
	case cur < s.minR:
		next, st.LimitedBy = s.minR, LimitMin
		st.Recommended, st.Stabilized = next, next
	case math.IsNaN(demand):
		st.Recommended, st.Stabilized, st.Replicas, st.LimitedBy = cur, cur, cur, LimitNoMetrics
		return st
	default:
		var within bool
		st.Recommended, within = s.recommend(cur, demand)
		next, st.Stabilized, st.LimitedBy = s.normalize(now, cur, st.Recommended)
		if st.LimitedBy == "" && within && int32(math.Ceil(clampLoad(demand))) != cur {
			st.LimitedBy = LimitTolerance
		}
	}
	if next != cur && !s.eb.Legacy {
		s.h.store(s.eb, now, cur, next)
	}
	s.replicas = next
	st.Replicas = next
	return st
}

// recommend is the replica calculator for an evenly loaded, all-ready target:
// within the tolerance band (Tolerances.isWithin) it keeps the current count,
// otherwise it asks for ceil(usageRatio × current) = ceil(load).
func (s *sim) recommend(cur int32, demand float64) (int32, bool) {
	demand = clampLoad(demand)
	down, up := s.ctrl.Tolerance, s.ctrl.Tolerance
	if !s.eb.Legacy && !s.ctrl.IgnoreBehaviorTolerance {
		if t := s.eb.ScaleDown.Tolerance; t != nil {
			down = *t
		}
		if t := s.eb.ScaleUp.Tolerance; t != nil {
			up = *t
		}
	}
	ratio := demand / float64(cur)
	if 1-down <= ratio && ratio <= 1+up {
		return cur, true
	}
	return int32(math.Ceil(demand)), false
}

// clampLoad keeps a load the caller computed within what an int32 replica
// count can express.
func clampLoad(v float64) float64 {
	return math.Min(math.Max(v, 0), math.MaxInt32)
}

// normalize is normalizeDesiredReplicasWithBehaviors, or normalizeDesiredReplicas
// without behavior. It returns the new count, the stabilized recommendation
// and what limited the result.
func (s *sim) normalize(now time.Duration, cur, desired int32) (int32, int32, string) {
	var stabilized, next int32
	var by string
	if s.eb.Legacy {
		stabilized = s.h.stabilizeLegacy(now, s.ctrl.DownscaleStabilization, desired)
		next, by = convertLegacy(s.minR, s.spec.MaxReplicas, cur, stabilized)
	} else {
		up, down := seconds(s.eb.ScaleUp.StabilizationWindowSeconds), seconds(s.eb.ScaleDown.StabilizationWindowSeconds)
		stabilized = s.h.stabilize(now, up, down, cur, desired)
		next, by = convertWithBehavior(&s.h, now, s.eb, s.minR, s.spec.MaxReplicas, cur, stabilized)
	}
	if by == "" && stabilized != desired {
		by = LimitWindow
	}
	return next, stabilized, by
}
