package pipeline

import (
	"context"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/hpa"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

// maxSeriesPoints bounds one plotted curve: a slow policy on a large HPA
// changes the count thousands of times, and the plot needs only the shape.
const maxSeriesPoints = 600

// hpaSeries simulates every HorizontalPodAutoscaler a target renders with
// internal/hpa, from maxReplicas down to minReplicas after the load drops
// and from minReplicas up to maxReplicas under a sustained spike, for the
// HTML report's plots. The simulation is the one hpa-scale-down judges by.
func hpaSeries(ctx context.Context, r *check.Rendered) []report.HPASeries {
	var out []report.HPASeries
	for _, o := range r.Objects {
		if ctx.Err() != nil {
			return out
		}
		spec, ok := check.HPASpec(o)
		if !ok {
			continue
		}
		ref := o.Ref
		d, steps, reached := hpa.ScaleDownTime(spec)
		out = append(out, toSeries(ref, "down", spec, d.Seconds(), reached, steps))
		lo := max(spec.MinReplicas, 1)
		if spec.MaxReplicas > lo {
			d, steps, reached = scaleUp(spec, lo)
			out = append(out, toSeries(ref, "up", spec, d.Seconds(), reached, steps))
		}
	}
	return out
}

func toSeries(ref finding.ObjectRef, dir string, spec hpa.Spec, secs float64, reached bool, steps []hpa.Step) report.HPASeries {
	s := report.HPASeries{
		Object: ref, Label: ref.Name, Direction: dir,
		Min: int(max(spec.MinReplicas, 1)), Max: int(spec.MaxReplicas),
		Seconds: secs, Reached: reached,
	}
	if !reached && len(steps) > 0 {
		s.Seconds = steps[len(steps)-1].At.Seconds()
	}
	if len(steps) > 0 {
		s.Points = append(s.Points, report.SeriesPoint{Seconds: 0, Replicas: int(steps[0].Current)})
	}
	for i, st := range steps {
		last := &s.Points[len(s.Points)-1]
		changed := int(st.Replicas) != last.Replicas || st.LimitedBy != last.LimitedBy
		if !changed && i != len(steps)-1 {
			continue
		}
		p := report.SeriesPoint{Seconds: st.At.Seconds(), Replicas: int(st.Replicas), LimitedBy: st.LimitedBy}
		if p.Seconds == last.Seconds && p.Replicas == last.Replicas {
			*last = p // the start point takes the first sync's cause
			continue
		}
		if len(s.Points) >= maxSeriesPoints {
			break
		}
		s.Points = append(s.Points, p)
	}
	return s
}

// scaleUp simulates a spike that needs maxReplicas. The controller stops
// acting once the usage ratio is inside its tolerance
// (pkg/controller/podautoscaler/replica_calculator.go), so a count just
// short of maxReplicas can be its final answer; the curve then ends at the
// first sync that brought the ratio within the tolerance, as the
// hpa-scale-down check judges scale-up.
func scaleUp(spec hpa.Spec, lo int32) (time.Duration, []hpa.Step, bool) {
	demand := float64(spec.MaxReplicas)
	d, steps, ok := hpa.ScaleUpTime(spec, demand/float64(lo))
	if ok {
		return d, steps, true
	}
	tol := spec.Controller.Tolerance
	if tol == 0 {
		tol = hpa.DefaultTolerance
	}
	for i, s := range steps {
		if s.Replicas > 0 && demand/float64(s.Replicas) <= 1+tol {
			return s.At, steps[:i+1], true
		}
	}
	return d, steps, false
}
