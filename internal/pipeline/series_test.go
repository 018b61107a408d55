package pipeline

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/hpa"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

// TestSeries checks the compression of a simulation into plot points on
// the default behavior: the window holds 10 replicas until 285 s, then the
// 100 %/15 s policy lets the count drop to minReplicas at once.
func TestSeries(t *testing.T) {
	spec := hpa.Spec{MinReplicas: 1, MaxReplicas: 10}
	d, steps, ok := hpa.ScaleDownTime(spec)
	got := toSeries(finding.ObjectRef{Kind: "HorizontalPodAutoscaler", Name: "web"}, "down", spec, d.Seconds(), ok, steps)
	want := []report.SeriesPoint{
		{Seconds: 0, Replicas: 10, LimitedBy: hpa.LimitWindow},
		{Seconds: d.Seconds(), Replicas: 1, LimitedBy: hpa.LimitMin},
	}
	if diff := cmp.Diff(want, got.Points); diff != "" {
		t.Errorf("points (-want +got)\n%s", diff)
	}
	if !got.Reached || got.Seconds != 285 || got.Min != 1 || got.Max != 10 {
		t.Errorf("series = %+v", got)
	}
}
