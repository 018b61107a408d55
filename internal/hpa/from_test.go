package hpa

import (
	"testing"
	"time"
)

func TestScaleDownTimeFrom(t *testing.T) {
	window := int32(600)
	slow := &Behavior{ScaleDown: &Rules{
		StabilizationWindowSeconds: &window,
		Policies:                   []Policy{{Type: "Pods", Value: 1, PeriodSeconds: 300}},
	}}
	cases := []struct {
		name  string
		spec  Spec
		start int32
		want  time.Duration
	}{
		{name: "at min", spec: Spec{MinReplicas: 2, MaxReplicas: 20, Behavior: slow}, start: 2, want: 0},
		// The window releases after 600 s (the entry 600 s old counts as
		// outside), then one pod per 300 s: 8 pods from 10 to 2.
		{name: "slow from current", spec: Spec{MinReplicas: 2, MaxReplicas: 20, Behavior: slow}, start: 10, want: 585*time.Second + 7*300*time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, _, ok := ScaleDownTimeFrom(tc.spec, tc.start)
			if !ok || got != tc.want {
				t.Errorf("ScaleDownTimeFrom = %s, %v; want %s", got, ok, tc.want)
			}
			// From maxReplicas it agrees with ScaleDownTime.
			if d1, _, ok1 := ScaleDownTime(tc.spec); ok1 {
				if d2, _, ok2 := ScaleDownTimeFrom(tc.spec, tc.spec.MaxReplicas); !ok2 || d1 != d2 {
					t.Errorf("from max = %s, ScaleDownTime = %s", d2, d1)
				}
			}
		})
	}
}
