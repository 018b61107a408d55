package hpa

import (
	"errors"
	"fmt"
)

// Policy types and selectPolicy values of autoscaling/v2.
const (
	PodsPolicy     = "Pods"
	PercentPolicy  = "Percent"
	SelectMax      = "Max"
	SelectMin      = "Min"
	SelectDisabled = "Disabled"
)

// Policy is one autoscaling/v2 HPAScalingPolicy: change by Value pods (Pods) or
// Value percent (Percent) of the replicas at the start of a PeriodSeconds window.
type Policy struct {
	Type          string
	Value         int32
	PeriodSeconds int32
}

// String names the policy as the simulator reports it, e.g. "Pods 4/15s" or
// "Percent 100%/15s".
func (p Policy) String() string {
	if p.Type == PercentPolicy {
		return fmt.Sprintf("Percent %d%%/%ds", p.Value, p.PeriodSeconds)
	}
	return fmt.Sprintf("%s %d/%ds", p.Type, p.Value, p.PeriodSeconds)
}

// Rules is one direction of spec.behavior (HPAScalingRules) as written by the
// user: nil pointers and a nil Policies slice mean "not set".
type Rules struct {
	StabilizationWindowSeconds *int32
	SelectPolicy               *string
	Policies                   []Policy
	// Tolerance is the per-direction tolerance (a Quantity such as "0.05" in
	// the API), honoured while the HPAConfigurableTolerance gate is on (beta,
	// on by default since 1.35).
	Tolerance *float64
}

// Behavior is spec.behavior of an autoscaling/v2 HorizontalPodAutoscaler.
type Behavior struct {
	ScaleUp, ScaleDown *Rules
}

// EffectiveRules is one direction after defaulting, as the controller uses it.
type EffectiveRules struct {
	StabilizationWindowSeconds int32
	SelectPolicy               string
	Policies                   []Policy
	Tolerance                  *float64 // nil: the controller's --horizontal-pod-autoscaler-tolerance
}

// EffectiveBehavior is spec.behavior after defaulting.
type EffectiveBehavior struct {
	// Legacy is true when the HPA has no behavior at all. The API server then
	// leaves it unset and the controller runs its older algorithm
	// (normalizeDesiredReplicas: downscale window from the controller flag,
	// scale-up capped at max(2×current, 4) per sync, no scale-down rate limit).
	// ScaleUp and ScaleDown then hold the behavior defaults for display only.
	Legacy             bool
	ScaleUp, ScaleDown EffectiveRules
}

// RulesDefaulted reports which fields of one direction were filled by defaults.
type RulesDefaulted struct {
	Rules                      bool // the whole direction was absent
	StabilizationWindowSeconds bool
	SelectPolicy               bool
	Policies                   bool
	// WindowFromController is set for scale-down only: the API server leaves an
	// unset scale-down window unset, and the controller substitutes its
	// --horizontal-pod-autoscaler-downscale-stabilization flag (default 300 s)
	// in maybeInitScaleDownStabilizationWindow.
	WindowFromController bool
}

// Defaulted reports, per field, whether Effective filled it.
type Defaulted struct {
	Behavior           bool // spec.behavior was absent: see EffectiveBehavior.Legacy
	ScaleUp, ScaleDown RulesDefaulted
}

// defaultScaleDownWindowSeconds is the controller flag default that an unset
// scale-down window resolves to (config/v1alpha1/defaults.go: 5 m).
const defaultScaleDownWindowSeconds = 300

// scaleUpDefaults and scaleDownDefaults are the values of defaultHPAScaleUpRules
// and defaultHPAScaleDownRules in pkg/apis/autoscaling/v2/defaults.go, in the
// same policy order (Pods before Percent for scale-up).
func scaleUpDefaults() EffectiveRules {
	return EffectiveRules{
		StabilizationWindowSeconds: 0,
		SelectPolicy:               SelectMax,
		Policies: []Policy{
			{Type: PodsPolicy, Value: 4, PeriodSeconds: 15},
			{Type: PercentPolicy, Value: 100, PeriodSeconds: 15},
		},
	}
}

func scaleDownDefaults() EffectiveRules {
	return EffectiveRules{
		StabilizationWindowSeconds: defaultScaleDownWindowSeconds,
		SelectPolicy:               SelectMax,
		Policies:                   []Policy{{Type: PercentPolicy, Value: 100, PeriodSeconds: 15}},
	}
}

// Effective fills spec.behavior the way the API server does
// (SetDefaults_HorizontalPodAutoscalerBehavior → copyHPAScalingRules): each of
// stabilizationWindowSeconds, selectPolicy and policies is taken from the spec
// when set and from the direction's defaults otherwise, independently. An
// explicitly empty policies list counts as set (Validate rejects it). The
// scale-down window, which the API leaves unset, is reported as 300 s, the
// controller flag's default; Simulate uses the flag actually configured.
func Effective(b *Behavior) (EffectiveBehavior, Defaulted) {
	if b == nil {
		all := RulesDefaulted{Rules: true, StabilizationWindowSeconds: true, SelectPolicy: true, Policies: true}
		down := all
		down.WindowFromController = true
		return EffectiveBehavior{Legacy: true, ScaleUp: scaleUpDefaults(), ScaleDown: scaleDownDefaults()},
			Defaulted{Behavior: true, ScaleUp: all, ScaleDown: down}
	}
	var eb EffectiveBehavior
	var d Defaulted
	eb.ScaleUp, d.ScaleUp = fill(b.ScaleUp, scaleUpDefaults())
	eb.ScaleDown, d.ScaleDown = fill(b.ScaleDown, scaleDownDefaults())
	d.ScaleDown.WindowFromController = d.ScaleDown.StabilizationWindowSeconds
	return eb, d
}

func fill(r *Rules, def EffectiveRules) (EffectiveRules, RulesDefaulted) {
	if r == nil {
		return def, RulesDefaulted{Rules: true, StabilizationWindowSeconds: true, SelectPolicy: true, Policies: true}
	}
	out, d := def, RulesDefaulted{}
	if r.StabilizationWindowSeconds != nil {
		out.StabilizationWindowSeconds = *r.StabilizationWindowSeconds
	} else {
		d.StabilizationWindowSeconds = true
	}
	if r.SelectPolicy != nil {
		out.SelectPolicy = *r.SelectPolicy
	} else {
		d.SelectPolicy = true
	}
	if r.Policies != nil {
		out.Policies = make([]Policy, len(r.Policies))
		copy(out.Policies, r.Policies)
	} else {
		d.Policies = true
	}
	if r.Tolerance != nil {
		t := *r.Tolerance
		out.Tolerance = &t
	}
	return out, d
}

// Limits of autoscaling validation (pkg/apis/autoscaling/validation).
const (
	maxPeriodSeconds              = 1800
	maxStabilizationWindowSeconds = 3600
)

// Validate reports what the API server would reject in spec (replica bounds
// and spec.behavior after defaulting), one error per field, joined. The
// simulator does not panic on an invalid spec, but its series then describes
// an HPA that cannot exist.
func Validate(spec Spec) error {
	var errs []error
	minR := spec.minReplicas()
	if spec.MaxReplicas < 1 {
		errs = append(errs, fmt.Errorf("maxReplicas: %d: must be greater than or equal to 1", spec.MaxReplicas))
	} else if spec.MaxReplicas < minR {
		errs = append(errs, fmt.Errorf("maxReplicas: %d: must be greater than or equal to minReplicas (%d)", spec.MaxReplicas, minR))
	}
	if spec.Behavior != nil {
		eb, _ := Effective(spec.Behavior)
		errs = append(errs, validateRules("behavior.scaleUp", eb.ScaleUp)...)
		errs = append(errs, validateRules("behavior.scaleDown", eb.ScaleDown)...)
	}
	return errors.Join(errs...)
}

func validateRules(path string, r EffectiveRules) []error {
	var errs []error
	if w := r.StabilizationWindowSeconds; w < 0 || w > maxStabilizationWindowSeconds {
		errs = append(errs, fmt.Errorf("%s.stabilizationWindowSeconds: %d: must be between 0 and %d", path, w, maxStabilizationWindowSeconds))
	}
	switch r.SelectPolicy {
	case SelectMax, SelectMin, SelectDisabled:
	default:
		errs = append(errs, fmt.Errorf("%s.selectPolicy: %q: must be Max, Min or Disabled", path, r.SelectPolicy))
	}
	if len(r.Policies) == 0 {
		errs = append(errs, fmt.Errorf("%s.policies: must specify at least one Policy", path))
	}
	for i, p := range r.Policies {
		at := fmt.Sprintf("%s.policies[%d]", path, i)
		if p.Type != PodsPolicy && p.Type != PercentPolicy {
			errs = append(errs, fmt.Errorf("%s.type: %q: must be Pods or Percent", at, p.Type))
		}
		if p.Value <= 0 {
			errs = append(errs, fmt.Errorf("%s.value: %d: must be greater than zero", at, p.Value))
		}
		if p.PeriodSeconds <= 0 || p.PeriodSeconds > maxPeriodSeconds {
			errs = append(errs, fmt.Errorf("%s.periodSeconds: %d: must be between 1 and %d", at, p.PeriodSeconds, maxPeriodSeconds))
		}
	}
	if r.Tolerance != nil && *r.Tolerance < 0 {
		errs = append(errs, fmt.Errorf("%s.tolerance: %g: must be non-negative", path, *r.Tolerance))
	}
	return errs
}
