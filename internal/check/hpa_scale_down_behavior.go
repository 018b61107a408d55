package check

import (
	"fmt"
	"strconv"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/hpa"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// hpaSpecOf reads what the simulator needs from a rendered HPA. ok is false
// when maxReplicas is missing (the API server would reject the object).
func hpaSpecOf(o *manifest.Object) (hpa.Spec, bool) {
	maxR, ok := intField(o.Content, "spec", "maxReplicas")
	if !ok || maxR < 1 {
		return hpa.Spec{}, false
	}
	minR, ok := intField(o.Content, "spec", "minReplicas")
	if !ok {
		minR = 1 // pkg/apis/autoscaling/v2/defaults.go: minReplicas defaults to 1
	}
	return hpa.Spec{
		MinReplicas: int32(minR), MaxReplicas: int32(maxR),
		Behavior: parseBehavior(manifest.Get(o.Content, "spec", "behavior")),
	}, true
}

// parseBehavior reads spec.behavior; nil when absent or null. Fields of the
// wrong type count as unset, as the simulator cannot model them.
func parseBehavior(v any) *hpa.Behavior {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	return &hpa.Behavior{ScaleUp: parseRules(m["scaleUp"]), ScaleDown: parseRules(m["scaleDown"])}
}

func parseRules(v any) *hpa.Rules {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	r := &hpa.Rules{}
	if w, ok := intField(m, "stabilizationWindowSeconds"); ok {
		w32 := int32(w)
		r.StabilizationWindowSeconds = &w32
	}
	if s, ok := m["selectPolicy"].(string); ok {
		r.SelectPolicy = &s
	}
	if ps, ok := m["policies"].([]any); ok {
		r.Policies = []hpa.Policy{}
		for _, p := range ps {
			pm, _ := p.(map[string]any)
			val, _ := intField(pm, "value")
			per, _ := intField(pm, "periodSeconds")
			typ, _ := pm["type"].(string)
			r.Policies = append(r.Policies, hpa.Policy{Type: typ, Value: int32(val), PeriodSeconds: int32(per)})
		}
	}
	if t, ok := m["tolerance"]; ok {
		if q, err := resource.ParseQuantity(fmt.Sprint(t)); err == nil {
			f := q.AsApproximateFloat64()
			r.Tolerance = &f
		}
	}
	return r
}

// behaviorFields lists the six fields of spec.behavior the API defaults,
// each with its effective value and where it comes from: a values key
// (file:line), the template itself, or the API/controller default.
func behaviorFields(in *Input, r *Rendered, b *hpa.Behavior, path values.Path) []finding.Evidence {
	eff, def := hpa.Effective(b)
	if eff.Legacy {
		// No behavior: the API server leaves it unset and the controller
		// runs normalizeDesiredReplicas (pkg/controller/podautoscaler/horizontal.go).
		return []finding.Evidence{{Label: "behavior", Value: "none: scale-down waits for the kube-controller-manager " +
			"--horizontal-pod-autoscaler-downscale-stabilization window (default 300s) and is then not rate limited; " +
			"scale-up is capped at max(2×current, 4) per sync"}}
	}
	var out []finding.Evidence
	for _, d := range []struct {
		name  string
		rules hpa.EffectiveRules
		def   hpa.RulesDefaulted
	}{{"scaleUp", eff.ScaleUp, def.ScaleUp}, {"scaleDown", eff.ScaleDown, def.ScaleDown}} {
		fields := []struct {
			key       string
			value     string
			defaulted bool
		}{
			{"stabilizationWindowSeconds", strconv.Itoa(int(d.rules.StabilizationWindowSeconds)) + "s", d.def.StabilizationWindowSeconds},
			{"selectPolicy", d.rules.SelectPolicy, d.def.SelectPolicy},
			{"policies", policiesString(d.rules.Policies), d.def.Policies},
		}
		for _, f := range fields {
			ev := finding.Evidence{Label: d.name + "." + f.key, Value: f.value}
			switch {
			case f.defaulted && d.def.WindowFromController && f.key == "stabilizationWindowSeconds":
				ev.Value += " (kube-controller-manager default)"
			case f.defaulted:
				ev.Value += " (API default)"
			case path != nil:
				p := path.Child(d.name, f.key)
				layer, loc := valueOrigin(in, r, p)
				if loc.IsZero() {
					ev.Value += " (set in the template)"
				} else {
					ev.Value += " (" + originLabel(layer) + " " + p.String() + ")"
					ev.At = loc
				}
			default:
				ev.Value += " (set in the manifest)"
			}
			out = append(out, ev)
		}
	}
	return out
}

func policiesString(ps []hpa.Policy) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += ", "
		}
		s += p.String()
	}
	if s == "" {
		return "none"
	}
	return s
}

// dur prints a duration the way people read it: "9m45s", "3h42m0s".
func dur(d time.Duration) string { return d.Round(time.Second).String() }
