package hpa

import (
	"math"
	"testing"
)

func values(rs []recommendation) []int32 {
	out := make([]int32, len(rs))
	for i, r := range rs {
		out[i] = r.value
	}
	return out
}

func equal32(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestStabilizeWithBehaviors reproduces TestNormalizeDesiredReplicasWithBehavior,
// which drives stabilizeRecommendationWithBehaviors, including which slot of
// the recommendations list is reused.
func TestStabilizeWithBehaviors(t *testing.T) {
	tests := []struct {
		name             string
		recs             []recommendation
		current, desired int32
		upWin, downWin   int32 // seconds
		want             int32
		wantRecs         []int32
	}{
		{name: "empty, scale down", current: 100, desired: 5, want: 5, wantRecs: []int32{5}},
		{name: "simple scale down stabilization", recs: []recommendation{{4, minutesAgo(2)}, {5, minutesAgo(1)}},
			current: 100, desired: 3, downWin: 180, want: 5, wantRecs: []int32{4, 5, 3}},
		{name: "simple scale up stabilization", recs: []recommendation{{4, minutesAgo(2)}, {5, minutesAgo(1)}},
			current: 1, desired: 7, upWin: 300, want: 4, wantRecs: []int32{4, 5, 7}},
		{name: "no scale down stabilization", recs: []recommendation{{1, minutesAgo(2)}, {2, minutesAgo(1)}},
			current: 100, desired: 3, upWin: 300, want: 3, wantRecs: []int32{1, 2, 3}},
		{name: "no scale down stabilization, reuse element", recs: []recommendation{{10, minutesAgo(10)}, {9, minutesAgo(9)}},
			current: 100, desired: 3, want: 3, wantRecs: []int32{10, 3}},
		{name: "scale down stabilization, reuse one obsolete element",
			recs:    []recommendation{{10, minutesAgo(10)}, {4, minutesAgo(1)}, {5, minutesAgo(2)}, {9, minutesAgo(9)}},
			current: 100, desired: 3, downWin: 180, want: 5, wantRecs: []int32{10, 4, 5, 3}},
		{name: "scale up stabilization, reuse one obsolete element",
			recs:    []recommendation{{10, minutesAgo(100)}, {6, minutesAgo(1)}, {5, minutesAgo(2)}, {9, minutesAgo(3)}},
			current: 1, desired: 100, upWin: 300, want: 5, wantRecs: []int32{100, 6, 5, 9}},
		{name: "do not scale up when prenormalized goes down", recs: []recommendation{{2, minutesAgo(100)}, {3, minutesAgo(3)}},
			current: 2, desired: 1, upWin: 300, downWin: 300, want: 2},
		{name: "do not scale down when prenormalized goes up", recs: []recommendation{{2, minutesAgo(100)}, {1, minutesAgo(3)}},
			current: 2, desired: 3, upWin: 300, downWin: 300, want: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &history{recs: tc.recs}
			got := h.stabilize(0, seconds(tc.upWin), seconds(tc.downWin), tc.current, tc.desired)
			if got != tc.want {
				t.Errorf("stabilized %d, want %d", got, tc.want)
			}
			if tc.wantRecs != nil && !equal32(values(h.recs), tc.wantRecs) {
				t.Errorf("recommendations %v, want %v", values(h.recs), tc.wantRecs)
			}
		})
	}
}

// TestStabilizeLegacy reproduces TestNormalizeDesiredReplicas
// (stabilizeRecommendation with the 5 m controller window).
func TestStabilizeLegacy(t *testing.T) {
	tests := []struct {
		name    string
		recs    []recommendation
		desired int32
		want    int32
		wantLen int
	}{
		{name: "empty log", desired: 5, want: 5, wantLen: 1},
		{name: "stabilize", recs: []recommendation{{4, minutesAgo(2)}, {5, minutesAgo(1)}}, desired: 3, want: 5, wantLen: 3},
		{name: "no stabilize", recs: []recommendation{{1, minutesAgo(2)}, {2, minutesAgo(1)}}, desired: 3, want: 3, wantLen: 3},
		{name: "no stabilize - old recommendations", recs: []recommendation{{10, minutesAgo(10)}, {9, minutesAgo(9)}}, desired: 3, want: 3, wantLen: 2},
		{name: "stabilize - old recommendations",
			recs:    []recommendation{{10, minutesAgo(10)}, {4, minutesAgo(1)}, {5, minutesAgo(2)}, {9, minutesAgo(9)}},
			desired: 3, want: 5, wantLen: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &history{recs: tc.recs}
			if got := h.stabilizeLegacy(0, DefaultDownscaleStabilization, tc.desired); got != tc.want || len(h.recs) != tc.wantLen {
				t.Errorf("got %d with %d entries, want %d with %d", got, len(h.recs), tc.want, tc.wantLen)
			}
		})
	}
}

// TestStoreScaleEvents reproduces the upstream test of the same name for an
// HPA with behavior: the change within 60 s before storing, then the list
// (change, outdated) after storing a change of 5, in both directions.
func TestStoreScaleEvents(t *testing.T) {
	type ev struct {
		change   int32
		outdated bool
	}
	tests := []struct {
		name       string
		prev       []scaleEvent
		rules      *Rules
		wantChange int32
		want       []ev
	}{
		{name: "empty entries", rules: gen(10, 60, 100, 60, 0), want: []ev{{5, false}}},
		{name: "one outdated entry replaced", prev: []scaleEvent{{change: 7, at: ago(61)}}, rules: gen(10, 60, 100, 60, 0), want: []ev{{5, false}}},
		{name: "one actual entry kept", prev: []scaleEvent{{change: 7, at: ago(58)}}, rules: gen(10, 60, 100, 60, 0), wantChange: 7, want: []ev{{7, false}, {5, false}}},
		{name: "two entries, one replaced", prev: []scaleEvent{{change: 7, at: ago(61)}, {change: 6, at: ago(59)}},
			rules: gen(10, 60, 0, 0, 0), wantChange: 6, want: []ev{{5, false}, {6, false}}},
		{name: "replace one entry, policies with different periods",
			prev:  []scaleEvent{{change: 8, at: ago(29)}, {change: 6, at: ago(59)}, {change: 7, at: ago(61)}, {change: 9, at: ago(61)}},
			rules: gen(10, 60, 100, 30, 0), wantChange: 14, want: []ev{{8, false}, {6, false}, {7, true}, {5, false}}},
		{name: "two entries, both actual", prev: []scaleEvent{{change: 7, at: ago(58)}, {change: 6, at: ago(59)}},
			rules: gen(10, 120, 100, 30, 0), wantChange: 13, want: []ev{{7, false}, {6, false}, {5, false}}},
	}
	for _, tc := range tests {
		for _, dir := range []struct {
			name string
			b    *Behavior
			next int32
		}{{"up", &Behavior{ScaleUp: tc.rules}, 15}, {"down", &Behavior{ScaleDown: tc.rules}, 5}} {
			t.Run(tc.name+"/"+dir.name, func(t *testing.T) {
				h := &history{}
				list := &h.up
				if dir.name == "down" {
					list = &h.down
				}
				*list = append([]scaleEvent(nil), tc.prev...)
				if got := changeInPeriod(*list, 0, 60); got != tc.wantChange {
					t.Errorf("change in 60 s = %d, want %d", got, tc.wantChange)
				}
				eb, _ := Effective(dir.b)
				h.store(eb, 0, 10, dir.next)
				var got []ev
				for _, e := range *list {
					got = append(got, ev{e.change, e.outdated})
				}
				if len(got) != len(tc.want) {
					t.Fatalf("events %v, want %v", got, tc.want)
				}
				for i := range got {
					if got[i] != tc.want[i] {
						t.Errorf("events %v, want %v", got, tc.want)
						break
					}
				}
			})
		}
	}
}

// TestReconcileCases reproduces whole-reconcile tests of horizontal_test.go,
// with the load written in pods: utilization ÷ target × ready pods.
func TestReconcileCases(t *testing.T) {
	tests := []struct {
		name  string // the upstream test
		spec  Spec
		start int32
		recs  []recommendation // nil: a new HPA, whose initial size is remembered
		load  float64
		want  int32
	}{
		// 1400m used of 5 × 1000m requested = 28 % against 50 %: 0.56 × 5 = 2.8 pods.
		{name: "TestScaleDownWithScalingRules", spec: Spec{MinReplicas: 2, MaxReplicas: 6, Behavior: &Behavior{ScaleUp: gen(0, 0, 100, 15, 30)}},
			start: 5, recs: []recommendation{}, load: 2.8, want: 3},
		{name: "TestScaleDownStabilizeInitialSize", spec: Spec{MinReplicas: 2, MaxReplicas: 6}, start: 5, load: 2.8, want: 5},
		// 3060m of 3000m = 102 % against 100 %: inside the 10 % band.
		{name: "TestTolerance", spec: Spec{MinReplicas: 1, MaxReplicas: 5}, start: 3, load: 3.06, want: 3},
		{name: "TestConfigurableTolerance/1% scale-up tolerance", spec: Spec{MinReplicas: 1, MaxReplicas: 5,
			Behavior: &Behavior{ScaleUp: &Rules{Tolerance: f64(0.01)}}}, start: 3, load: 3.06, want: 4},
		// 300m of 1000m per pod = 30 %: inside a 90 % scale-down band.
		{name: "TestConfigurableTolerance/90% scale-down tolerance", spec: Spec{MinReplicas: 1, MaxReplicas: 5,
			Behavior: &Behavior{ScaleDown: &Rules{Tolerance: f64(0.9)}}}, start: 3, load: 0.9, want: 3},
		{name: "TestConfigurableTolerance/gate disabled", spec: Spec{MinReplicas: 1, MaxReplicas: 5,
			Behavior: &Behavior{ScaleUp: &Rules{Tolerance: f64(0.01)}}, Controller: Controller{IgnoreBehaviorTolerance: true}}, start: 3, load: 3.06, want: 3},
		// 600m of 300m = 200 % against 10 %: ratio 20 × 3 pods = 60.
		{name: "TestUpscaleCap", spec: Spec{MinReplicas: 1, MaxReplicas: 100, Behavior: &Behavior{ScaleUp: gen(0, 0, 700, 60, 0)}}, start: 3, load: 60, want: 24},
		{name: "TestUpscaleCapGreaterThanMaxReplicas", spec: Spec{MinReplicas: 1, MaxReplicas: 20, Behavior: &Behavior{ScaleUp: gen(0, 0, 700, 60, 0)}}, start: 3, load: 60, want: 20},
		// 3 pods at 50 % of a 100 % target: ceil(1.5) = 2, held by a 4 one minute ago.
		{name: "TestStabilizeDownscale", spec: Spec{MinReplicas: 1, MaxReplicas: 5}, start: 4,
			recs: []recommendation{{10, minutesAgo(10)}, {4, minutesAgo(1)}}, load: 1.5, want: 4},
		// Out of range: no metrics are read (NaN load), the count snaps to the bound.
		{name: "TestTooManyReplicas", spec: Spec{MinReplicas: 3, MaxReplicas: 5}, start: 10, load: math.NaN(), want: 5},
		{name: "TestTooFewReplicas", spec: Spec{MinReplicas: 3, MaxReplicas: 5}, start: 2, load: math.NaN(), want: 3},
		{name: "TestZeroReplicas", spec: Spec{MinReplicas: 3, MaxReplicas: 5}, start: 0, load: 4, want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.ColdStart = true
			s := newSim(tc.spec, tc.start)
			if tc.recs != nil {
				s.h.recs = tc.recs
			}
			if got := s.sync(0, tc.load); got.Replicas != tc.want {
				t.Errorf("replicas %d, want %d (step %+v)", got.Replicas, tc.want, got)
			}
		})
	}
}
