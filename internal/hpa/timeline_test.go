package hpa

import (
	"testing"
	"time"
)

func TestTimeline(t *testing.T) {
	sec := func(s int) time.Duration { return time.Duration(s) * time.Second }
	step := func(at int, from, to int32, by string) Step {
		return Step{At: sec(at), Current: from, Replicas: to, LimitedBy: by}
	}
	tests := []struct {
		name  string
		steps []Step
		want  string
	}{
		{name: "empty series", want: "no change"},
		{name: "held", steps: []Step{step(0, 5, 5, LimitWindow)}, want: "no change (stabilization window)"},
		{name: "two changes stay separate", steps: []Step{step(0, 10, 9, "policy Pods 1/60s"), step(15, 9, 9, ""), step(60, 9, 8, "policy Pods 1/60s")},
			want: "10 → 9 at 0s (policy Pods 1/60s); 9 → 8 at 1m0s (policy Pods 1/60s)"},
		{name: "three even changes collapse", steps: []Step{step(60, 10, 9, "p"), step(120, 9, 8, "p"), step(180, 8, 7, "p"), step(195, 7, 1, LimitMin)},
			want: "10 → 7 in 3 steps of 1 every 1m0s, 1m0s–3m0s (p); 7 → 1 at 3m15s (minReplicas)"},
		{name: "uneven spacing breaks the run", steps: []Step{step(0, 10, 9, "p"), step(60, 9, 8, "p"), step(75, 8, 7, "p")},
			want: "10 → 9 at 0s (p); 9 → 8 at 1m0s (p); 8 → 7 at 1m15s (p)"},
		{name: "scale-up run", steps: []Step{step(0, 1, 5, "q"), step(15, 5, 9, "q"), step(30, 9, 13, "q"), step(45, 13, 15, "")},
			want: "1 → 13 in 3 steps of 4 every 15s, 0s–30s (q); 13 → 15 at 45s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Timeline(tc.steps); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestChanges(t *testing.T) {
	steps := []Step{
		{At: 0, Current: 3, Replicas: 3},
		{At: 15 * time.Second, Current: 3, Replicas: 5, LimitedBy: "x"},
	}
	got := Changes(steps)
	if len(got) != 1 || got[0] != (Change{At: 15 * time.Second, From: 3, To: 5, LimitedBy: "x"}) {
		t.Errorf("got %+v", got)
	}
}
