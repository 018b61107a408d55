package hpa

import (
	"testing"
	"time"
)

// The cases in this file reproduce input → output numbers of the upstream
// controller's unit tests, kubernetes v1.36.1
// pkg/controller/podautoscaler/horizontal_test.go, through this package's
// model. "now" is t = 0, so an entry "2 minutes ago" is at −2m.

func i32(v int32) *int32             { return &v }
func str(v string) *string           { return &v }
func f64(v float64) *float64         { return &v }
func ago(s int) time.Duration        { return -time.Duration(s) * time.Second }
func minutesAgo(m int) time.Duration { return -time.Duration(m) * time.Minute }

// gen mirrors generateScalingRules: Pods then Percent policy when non-zero,
// the given window, selectPolicy Max.
func gen(pods, podsPeriod, percent, percentPeriod, window int32) *Rules {
	r := &Rules{StabilizationWindowSeconds: i32(window), SelectPolicy: str(SelectMax)}
	if pods != 0 {
		r.Policies = append(r.Policies, Policy{Type: PodsPolicy, Value: pods, PeriodSeconds: podsPeriod})
	}
	if percent != 0 {
		r.Policies = append(r.Policies, Policy{Type: PercentPolicy, Value: percent, PeriodSeconds: percentPeriod})
	}
	return r
}

// uniform mirrors generateEventsUniformDistribution: the events spread over
// the last period seconds, each in the middle of its segment, the age
// truncated to whole seconds as the upstream helper's Duration conversion does.
func uniform(changes []int32, period int) []scaleEvent {
	seg := float64(period) / float64(len(changes))
	out := make([]scaleEvent, len(changes))
	for i, c := range changes {
		age := int(float64(period) - seg*float64(i+1) + seg/2)
		out[i] = scaleEvent{change: c, at: ago(age)}
	}
	return out
}

// TestScalingWithRules reproduces TestScalingWithRules
// (convertDesiredReplicasWithBehaviorRate).
func TestScalingWithRules(t *testing.T) {
	tests := []struct {
		name              string
		up, down          []scaleEvent
		minR, maxR        int32
		upRules, downRule *Rules
		current, desired  int32
		want              int32
		wantBy            string
	}{
		{name: "within range", current: 5, desired: 7, minR: 3, maxR: 8, want: 7},
		{name: "below minReplicas", current: 3, desired: 1, minR: 2, maxR: 8, want: 2, wantBy: LimitMin},
		{name: "minReplicas 0", current: 1, desired: 0, minR: 0, maxR: 10, want: 0},
		{name: "maxReplicas below scale-up limit", current: 20, desired: 1000, minR: 1, maxR: 10, want: 10, wantBy: LimitMax},
		{name: "more than maxReplicas", current: 100, desired: 1000, minR: 100, maxR: 150, want: 150, wantBy: LimitMax},
		{name: "user percent policy", current: 3, desired: 1000, minR: 1, maxR: 2000, upRules: gen(0, 0, 1, 60, 0), want: 4, wantBy: "policy Percent 1%/60s"},
		{name: "scaleUp with default behavior", current: 10, desired: 50, minR: 1, maxR: 1000, want: 20, wantBy: "policy Percent 100%/15s"},
		{name: "pods policy larger than percent", current: 10, desired: 500, minR: 1, maxR: 1000, upRules: gen(100, 60, 100, 60, 0), want: 110, wantBy: "policy Pods 100/60s"},
		{name: "percent policy larger than pods", current: 10, desired: 500, minR: 1, maxR: 1000, upRules: gen(2, 60, 100, 60, 0), want: 20, wantBy: "policy Percent 100%/60s"},
		{name: "pod policy limitation", current: 10, desired: 50, minR: 1, maxR: 1000, upRules: gen(30, 60, 0, 0, 0), want: 40, wantBy: "policy Pods 30/60s"},
		{name: "percent policy limitation", current: 10, desired: 50, minR: 1, maxR: 1000, upRules: gen(0, 0, 200, 60, 0), want: 30, wantBy: "policy Percent 200%/60s"},
		{name: "scaleDown percent larger than pods", current: 100, desired: 2, minR: 1, maxR: 1000, downRule: gen(20, 60, 1, 60, 300), want: 80, wantBy: "policy Pods 20/60s"},
		{name: "scaleDown pods larger than percent", current: 100, desired: 2, minR: 1, maxR: 1000, downRule: gen(2, 60, 1, 60, 300), want: 98, wantBy: "policy Pods 2/60s"},
		{name: "scaleDown minReplicas with large percent", current: 10, desired: 2, minR: 5, maxR: 1000, downRule: gen(0, 0, 100, 60, 300), want: 5, wantBy: LimitMin},
		{name: "scaleDown pod policy limitation", current: 10, desired: 2, minR: 1, maxR: 1000, downRule: gen(5, 60, 0, 0, 300), want: 5, wantBy: "policy Pods 5/60s"},
		{name: "scaleUp pods policy and events", up: uniform([]int32{1, 5, 9}, 120), current: 100, desired: 500, minR: 1, maxR: 1000, upRules: gen(150, 120, 0, 0, 0), want: 235, wantBy: "policy Pods 150/120s"},
		{name: "scaleUp percent policy and events", up: uniform([]int32{1, 5, 9}, 120), current: 100, desired: 500, minR: 1, maxR: 1000, upRules: gen(0, 0, 200, 120, 0), want: 255, wantBy: "policy Percent 200%/120s"},
		{name: "scaleUp held by recent events", up: uniform([]int32{1, 5, 9}, 120), current: 100, desired: 500, minR: 1, maxR: 1000, upRules: gen(5, 120, 0, 0, 0), want: 100, wantBy: "policy Pods 5/120s"},
		{name: "scaleUp percent, up and down events", up: uniform([]int32{4}, 120), down: uniform([]int32{2}, 120), current: 6, desired: 24, minR: 1, maxR: 1000, upRules: gen(0, 0, 300, 300, 0), want: 16, wantBy: "policy Percent 300%/300s"},
		{name: "scaleDown default policy and events", down: uniform([]int32{1, 5, 9}, 120), current: 10, desired: 5, minR: 1, maxR: 1000, want: 5},
		{name: "scaleDown pod policy and events", down: uniform([]int32{1, 5, 9}, 120), current: 100, desired: 2, minR: 1, maxR: 1000, downRule: gen(5, 120, 0, 0, 300), want: 100, wantBy: "policy Pods 5/120s"},
		{name: "scaleDown percent policy and events", down: uniform([]int32{2, 4, 6}, 120), current: 100, desired: 0, minR: 1, maxR: 1000, downRule: gen(0, 0, 50, 120, 300), want: 56, wantBy: "policy Percent 50%/120s"},
		{name: "scaleDown percent, up and down events", up: uniform([]int32{2}, 120), down: uniform([]int32{4}, 120), current: 10, desired: 1, minR: 1, maxR: 1000, downRule: gen(0, 0, 50, 180, 0), want: 6, wantBy: "policy Percent 50%/180s"},
		{name: "scaleDown prevented by events", down: uniform([]int32{10, 10, 10}, 120), current: 100, desired: 0, minR: 1, maxR: 1000, downRule: gen(0, 0, 10, 120, 300), want: 100, wantBy: "policy Percent 10%/120s"},
		{name: "scaleDown below zero allowed", down: uniform([]int32{10, 10, 10}, 120), current: 10, desired: 5, minR: 1, maxR: 1000, downRule: gen(0, 0, 1000, 120, 300), want: 5},
		{name: "outdated events, two policies, up", up: uniform([]int32{8, 12, 9, 11}, 120), current: 100, desired: 200, minR: 1, maxR: 1000, upRules: gen(1000, 30, 100, 60, 0), want: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eb, _ := Effective(&Behavior{ScaleUp: tc.upRules, ScaleDown: tc.downRule})
			h := &history{up: tc.up, down: tc.down}
			got, by := convertWithBehavior(h, 0, eb, tc.minR, tc.maxR, tc.current, tc.desired)
			if got != tc.want || by != tc.wantBy {
				t.Errorf("got %d (%q), want %d (%q)", got, by, tc.want, tc.wantBy)
			}
		})
	}
}

// TestCalculateLimitsMinPolicy reproduces TestCalculateScaleUpLimitWithScalingRules
// and TestCalculateScaleDownLimitWithBehaviors: selectPolicy Min over Pods 2/60s
// and Percent 50%/60s.
func TestCalculateLimitsMinPolicy(t *testing.T) {
	rules := EffectiveRules{SelectPolicy: SelectMin, StabilizationWindowSeconds: 300, Policies: []Policy{
		{Type: PodsPolicy, Value: 2, PeriodSeconds: 60}, {Type: PercentPolicy, Value: 50, PeriodSeconds: 60}}}
	tests := []struct {
		name    string
		current int32
		up      bool
		want    int32
	}{
		{name: "up from 1: min(1+2, ceil(1.5))", current: 1, up: true, want: 2},
		{name: "down from 5: max(5-2, int(2.5))", current: 5, up: false, want: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := policyLimit(&history{}, 0, tc.current, rules, tc.up); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
		})
	}
}

// TestConvertDesiredReplicasWithRules reproduces the upstream test of the
// same name (no behavior: cap max(2×current, 4)).
func TestConvertDesiredReplicasWithRules(t *testing.T) {
	tests := []struct {
		name                     string
		current, desired, mn, mx int32
		want                     int32
		wantBy                   string
	}{
		{name: "within range", current: 5, desired: 7, mn: 3, mx: 8, want: 7},
		{name: "below min", current: 3, desired: 1, mn: 2, mx: 8, want: 2, wantBy: LimitMin},
		{name: "zero within range", current: 1, desired: 0, mn: 0, mx: 10, want: 0},
		{name: "maxReplicas below scale-up limit", current: 20, desired: 1000, mn: 1, mx: 10, want: 10, wantBy: LimitMax},
		{name: "scale-up limit below maxReplicas", current: 3, desired: 1000, mn: 1, mx: 2000, want: 6, wantBy: LimitLegacyScaleUp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, by := convertLegacy(tc.mn, tc.mx, tc.current, tc.desired)
			if got != tc.want || by != tc.wantBy {
				t.Errorf("got %d (%q), want %d (%q)", got, by, tc.want, tc.wantBy)
			}
		})
	}
}
