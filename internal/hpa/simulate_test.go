package hpa

import (
	"math"
	"testing"
	"time"
)

// slowDown is the brief's example: a 300 s window, Pods 1/60s beside a looser
// Percent 100%/15s, and selectPolicy Min, which picks the smaller change.
func slowDown(sel string) *Behavior {
	return &Behavior{ScaleDown: &Rules{StabilizationWindowSeconds: i32(300), SelectPolicy: str(sel),
		Policies: []Policy{{Type: PodsPolicy, Value: 1, PeriodSeconds: 60}, {Type: PercentPolicy, Value: 100, PeriodSeconds: 15}}}}
}

func TestScaleDownTime(t *testing.T) {
	tests := []struct {
		name     string
		spec     Spec
		want     time.Duration
		reached  bool
		timeline string
	}{
		{
			// Warm controller: it recommended 10 at every sync before t = 0, the
			// last one at −15 s. The 300 s window keeps the maximum of the
			// recommendations younger than 300 s; the −15 s one turns 300 s old
			// at 285 s, when every remembered recommendation is 0. The default
			// Percent 100%/15s policy then allows int32(10 × 0) = 0, and
			// minReplicas stops the drop at 1: one step at 4m45s. Counted from
			// the moment the load fell (up to one sync before t = 0) that is
			// 285–300 s, one sync more where resync jitter delays the release.
			name: "API defaults", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: &Behavior{}},
			want: 285 * time.Second, reached: true, timeline: "10 → 1 at 4m45s (minReplicas)",
		},
		{
			// A restarted controller remembers only the initial size, stamped
			// t = 0 (recordInitialRecommendation), so the window releases at 300 s.
			name: "API defaults, cold controller", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: &Behavior{}, ColdStart: true},
			want: 300 * time.Second, reached: true, timeline: "10 → 1 at 5m0s (minReplicas)",
		},
		{
			// No behavior: the legacy path uses the 5 m controller window and has
			// no scale-down rate limit, so it lands where the defaults do.
			name: "no behavior (legacy path)", spec: Spec{MinReplicas: 1, MaxReplicas: 10},
			want: 285 * time.Second, reached: true, timeline: "10 → 1 at 4m45s (minReplicas)",
		},
		{
			// The window releases at 285 s as above. Min keeps the larger bound:
			// Pods gives 10 − 1 = 9, Percent gives 0, so 10 → 9. The 285 s event
			// counts against Pods 1/60s until it is 60 s old, at 345 s, so each
			// further pod waits 60 s: 9 → 1 takes 8 × 60 s more, 285 + 480 = 765 s.
			// (Syncs at 300, 315, 330 s hold: the period start is 9 + 1 = 10.)
			name: "window 300s, Pods 1/60s, selectPolicy Min", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: slowDown(SelectMin)},
			want: 765 * time.Second, reached: true,
			timeline: "10 → 2 in 8 steps of 1 every 1m0s, 4m45s–11m45s (policy Pods 1/60s); 2 → 1 at 12m45s (minReplicas)",
		},
		{
			// Same policies with Max: the looser Percent 100%/15s wins.
			name: "window 300s, Pods 1/60s, selectPolicy Max", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: slowDown(SelectMax)},
			want: 285 * time.Second, reached: true, timeline: "10 → 1 at 4m45s (minReplicas)",
		},
		{
			name: "selectPolicy Disabled never scales down", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: &Behavior{ScaleDown: &Rules{SelectPolicy: str(SelectDisabled)}}},
			reached: false, timeline: "no change (selectPolicy Disabled)",
		},
		{
			// Only the window set: the policy defaults to Percent 100%/15s; the
			// −15 s recommendation turns 60 s old at 45 s.
			name: "partial behavior: only a 60s window", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: &Behavior{ScaleDown: &Rules{StabilizationWindowSeconds: i32(60)}}},
			want: 45 * time.Second, reached: true, timeline: "10 → 1 at 45s (minReplicas)",
		},
		{
			// Only a policy set: the window comes from the controller flag (here
			// 60 s instead of 300 s), selectPolicy defaults to Max: 45 + 8 × 60 s.
			name: "partial behavior: only Pods 1/60s, controller window 60s",
			spec: Spec{MinReplicas: 1, MaxReplicas: 10, Controller: Controller{DownscaleStabilization: time.Minute},
				Behavior: &Behavior{ScaleDown: &Rules{Policies: []Policy{{Type: PodsPolicy, Value: 1, PeriodSeconds: 60}}}}},
			want: 525 * time.Second, reached: true,
			timeline: "10 → 2 in 8 steps of 1 every 1m0s, 45s–7m45s (policy Pods 1/60s); 2 → 1 at 8m45s (minReplicas)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, steps, reached := ScaleDownTime(tc.spec)
			if got != tc.want || reached != tc.reached {
				t.Errorf("ScaleDownTime = %s, %v; want %s, %v", got, reached, tc.want, tc.reached)
			}
			if tl := Timeline(steps); tl != tc.timeline {
				t.Errorf("timeline:\n got %s\nwant %s", tl, tc.timeline)
			}
			for _, s := range steps {
				if s.Replicas < tc.spec.minReplicas() || s.Replicas > tc.spec.MaxReplicas {
					t.Fatalf("step out of bounds: %+v", s)
				}
			}
		})
	}
}

func TestScaleUpTime(t *testing.T) {
	tests := []struct {
		name     string
		spec     Spec
		factor   float64
		want     time.Duration
		reached  bool
		timeline string
	}{
		{
			// Pods 4/15s allows 1 + 4 = 5, Percent 100%/15s only 2; Max picks 5.
			// At 15 s the first event is one period old, so the period starts at
			// 5: max(9, 10) = 10 = maxReplicas.
			name: "API defaults 1→10 under 10×", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: &Behavior{}}, factor: 10,
			want: 15 * time.Second, reached: true, timeline: "1 → 5 at 0s (policy Pods 4/15s); 5 → 10 at 15s",
		},
		{
			// The legacy cap is max(2 × current, 4) per sync: 1 → 4 → 8 → 10.
			name: "no behavior 1→10 under 10×", spec: Spec{MinReplicas: 1, MaxReplicas: 10}, factor: 10,
			want: 30 * time.Second, reached: true,
			timeline: "1 → 4 at 0s (scale-up limit max(2×current, 4)); 4 → 8 at 15s (scale-up limit max(2×current, 4)); 8 → 10 at 30s",
		},
		{
			name: "API defaults 2→20 under 10×", spec: Spec{MinReplicas: 2, MaxReplicas: 20, Behavior: &Behavior{}}, factor: 10,
			want: 30 * time.Second, reached: true,
			timeline: "2 → 6 at 0s (policy Pods 4/15s); 6 → 12 at 15s (policy Percent 100%/15s); 12 → 20 at 30s",
		},
		{
			// A 120 s scale-up window holds at the warm history's 2 until the
			// −15 s entry is 120 s old.
			name: "scale-up window 120s", spec: Spec{MinReplicas: 2, MaxReplicas: 20, Behavior: &Behavior{ScaleUp: &Rules{StabilizationWindowSeconds: i32(120)}}}, factor: 10,
			want: 135 * time.Second, reached: true,
			timeline: "2 → 6 at 1m45s (policy Pods 4/15s); 6 → 12 at 2m0s (policy Percent 100%/15s); 12 → 20 at 2m15s",
		},
		{
			name: "scale-up Disabled", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: &Behavior{ScaleUp: &Rules{SelectPolicy: str(SelectDisabled)}}}, factor: 10,
			reached: false, timeline: "no change (selectPolicy Disabled)",
		},
		{
			name: "spike inside the tolerance", spec: Spec{MinReplicas: 10, MaxReplicas: 20, Behavior: &Behavior{}}, factor: 1.05,
			reached: false, timeline: "no change (tolerance)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, steps, reached := ScaleUpTime(tc.spec, tc.factor)
			if got != tc.want || reached != tc.reached {
				t.Errorf("ScaleUpTime = %s, %v; want %s, %v", got, reached, tc.want, tc.reached)
			}
			if tl := Timeline(steps); tl != tc.timeline {
				t.Errorf("timeline:\n got %s\nwant %s", tl, tc.timeline)
			}
		})
	}
}

// TestSimulateSteps checks single decisions inside a series.
func TestSimulateSteps(t *testing.T) {
	defaults := &Behavior{}
	tests := []struct {
		name  string
		spec  Spec
		start int32
		load  Load
		at    time.Duration // the step to check
		want  Step
	}{
		{
			name: "within the 10% tolerance the count stays", spec: Spec{MinReplicas: 1, MaxReplicas: 20, Behavior: defaults},
			start: 10, load: Constant(10.9),
			want: Step{Load: 10.9, Current: 10, Recommended: 10, Stabilized: 10, Replicas: 10, LimitedBy: LimitTolerance},
		},
		{
			name: "just outside the tolerance: ceil(load)", spec: Spec{MinReplicas: 1, MaxReplicas: 20, Behavior: defaults},
			start: 10, load: Constant(11.5),
			want: Step{Load: 11.5, Current: 10, Recommended: 12, Stabilized: 12, Replicas: 12},
		},
		{
			name: "a wider controller tolerance", spec: Spec{MinReplicas: 1, MaxReplicas: 20, Behavior: defaults, Controller: Controller{Tolerance: 0.2}},
			start: 10, load: Constant(11.5),
			want: Step{Load: 11.5, Current: 10, Recommended: 10, Stabilized: 10, Replicas: 10, LimitedBy: LimitTolerance},
		},
		{
			// ceil(100 × (1 + 10/100)) is 111, not 110: 1.1 is not exact in
			// binary and the product lands just above 110. The controller
			// computes the same expression, so it allows 111.
			name:  "Percent 10% from 100 allows 111 (float rounding, as upstream)",
			spec:  Spec{MinReplicas: 1, MaxReplicas: 1000, Behavior: &Behavior{ScaleUp: &Rules{Policies: []Policy{{Type: PercentPolicy, Value: 10, PeriodSeconds: 60}}}}},
			start: 100, load: Constant(200),
			want: Step{Load: 200, Current: 100, Recommended: 200, Stabilized: 200, Replicas: 111, LimitedBy: "policy Percent 10%/60s"},
		},
		{
			// Scale-up events count in the scale-down period start: at 15 s the
			// 60 s period began at 8 − 4 = 4 replicas, and 50 % of 4 leaves 2.
			name: "scale-down measured from before a recent scale-up",
			spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: &Behavior{ScaleDown: &Rules{StabilizationWindowSeconds: i32(0),
				Policies: []Policy{{Type: PercentPolicy, Value: 50, PeriodSeconds: 60}}}}},
			start: 4, load: func(t time.Duration) float64 { return map[bool]float64{true: 8, false: 1}[t == 0] },
			at:   15 * time.Second,
			want: Step{Load: 1, Current: 8, Recommended: 1, Stabilized: 1, Replicas: 2, LimitedBy: "policy Percent 50%/60s"},
		},
		{
			name: "no metrics: nothing changes", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: defaults},
			start: 5, load: Constant(math.NaN()),
			want: Step{Current: 5, Recommended: 5, Stabilized: 5, Replicas: 5, LimitedBy: LimitNoMetrics},
		},
		{
			name: "above maxReplicas snaps down without reading metrics", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: defaults},
			start: 14, load: Constant(14),
			want: Step{Load: 14, Current: 14, Recommended: 10, Stabilized: 10, Replicas: 10, LimitedBy: LimitMax},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			steps := Simulate(tc.spec, tc.start, tc.load, tc.at)
			got := steps[len(steps)-1]
			tc.want.At = tc.at
			if math.IsNaN(got.Load) {
				got.Load = 0 // NaN never compares equal
			}
			if got != tc.want {
				t.Errorf("step\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestNoMetricsRemembersNothing: a failed metrics read returns before
// normalization, so the stabilization history does not see that sync.
func TestNoMetricsRemembersNothing(t *testing.T) {
	s := newSim(Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: &Behavior{}, ColdStart: true}, 5)
	s.sync(0, math.NaN())
	if len(s.h.recs) != 1 {
		t.Errorf("history has %d entries, want only the initial one", len(s.h.recs))
	}
}

// TestStepLoad: a load spike at 1m from 2 to 8 pods with API defaults; a nil
// load reads as missing metrics.
func TestStepLoad(t *testing.T) {
	spec := Spec{MinReplicas: 2, MaxReplicas: 10, Behavior: &Behavior{}}
	if got := Timeline(Simulate(spec, 2, StepLoad(2, 8, time.Minute), 2*time.Minute)); got != "2 → 6 at 1m0s (policy Pods 4/15s); 6 → 8 at 1m15s" {
		t.Errorf("timeline %s", got)
	}
	if got := Timeline(Simulate(spec, 2, nil, 0)); got != "no change (no metrics)" {
		t.Errorf("nil load: %s", got)
	}
}

// TestSimulateHorizon: one step per sync period, both ends included.
func TestSimulateHorizon(t *testing.T) {
	steps := Simulate(Spec{MinReplicas: 1, MaxReplicas: 3, Controller: Controller{SyncPeriod: 30 * time.Second}}, 2, Constant(2), 2*time.Minute)
	if len(steps) != 5 || steps[4].At != 2*time.Minute {
		t.Errorf("got %d steps ending at %s, want 5 ending at 2m0s", len(steps), steps[len(steps)-1].At)
	}
}
