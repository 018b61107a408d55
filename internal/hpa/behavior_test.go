package hpa

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEffective checks the defaulting of pkg/apis/autoscaling/v2/defaults.go,
// including the cases of defaults_test.go (TestGenerateScaleDownRules,
// TestGenerateScaleUpRules, TestSetBehaviorDefaults).
func TestEffective(t *testing.T) {
	up := scaleUpDefaults()
	down := scaleDownDefaults()
	allDefaulted := RulesDefaulted{Rules: true, StabilizationWindowSeconds: true, SelectPolicy: true, Policies: true}
	downDefaulted := allDefaulted
	downDefaulted.WindowFromController = true
	tests := []struct {
		name     string
		in       *Behavior
		want     EffectiveBehavior
		wantDflt Defaulted
	}{
		{
			name:     "no behavior: left unset, legacy controller path",
			in:       nil,
			want:     EffectiveBehavior{Legacy: true, ScaleUp: up, ScaleDown: down},
			wantDflt: Defaulted{Behavior: true, ScaleUp: allDefaulted, ScaleDown: downDefaulted},
		},
		{
			name:     "empty behavior: both directions defaulted",
			in:       &Behavior{},
			want:     EffectiveBehavior{ScaleUp: up, ScaleDown: down},
			wantDflt: Defaulted{ScaleUp: allDefaulted, ScaleDown: downDefaulted},
		},
		{
			name: "only a scale-down policy: window and selectPolicy defaulted, scale-up untouched defaults",
			in:   &Behavior{ScaleDown: &Rules{Policies: []Policy{{Type: PodsPolicy, Value: 3, PeriodSeconds: 4}}}},
			want: EffectiveBehavior{ScaleUp: up, ScaleDown: EffectiveRules{StabilizationWindowSeconds: 300, SelectPolicy: SelectMax,
				Policies: []Policy{{Type: PodsPolicy, Value: 3, PeriodSeconds: 4}}}},
			wantDflt: Defaulted{ScaleUp: allDefaulted, ScaleDown: RulesDefaulted{StabilizationWindowSeconds: true, SelectPolicy: true, WindowFromController: true}},
		},
		{
			name:     "only a scale-up window: policies and selectPolicy defaulted",
			in:       &Behavior{ScaleUp: &Rules{StabilizationWindowSeconds: i32(120)}},
			want:     EffectiveBehavior{ScaleUp: EffectiveRules{StabilizationWindowSeconds: 120, SelectPolicy: SelectMax, Policies: up.Policies}, ScaleDown: down},
			wantDflt: Defaulted{ScaleUp: RulesDefaulted{SelectPolicy: true, Policies: true}, ScaleDown: downDefaulted},
		},
		{
			name: "all scale-down fields set: nothing defaulted there",
			in: &Behavior{ScaleDown: &Rules{StabilizationWindowSeconds: i32(25), SelectPolicy: str(SelectMin), Tolerance: f64(0.05),
				Policies: []Policy{{Type: PodsPolicy, Value: 1, PeriodSeconds: 2}, {Type: PercentPolicy, Value: 3, PeriodSeconds: 4}}}},
			want: EffectiveBehavior{ScaleUp: up, ScaleDown: EffectiveRules{StabilizationWindowSeconds: 25, SelectPolicy: SelectMin, Tolerance: f64(0.05),
				Policies: []Policy{{Type: PodsPolicy, Value: 1, PeriodSeconds: 2}, {Type: PercentPolicy, Value: 3, PeriodSeconds: 4}}}},
			wantDflt: Defaulted{ScaleUp: allDefaulted},
		},
		{
			name:     "explicitly empty policies are kept (validation then rejects them)",
			in:       &Behavior{ScaleUp: &Rules{Policies: []Policy{}}},
			want:     EffectiveBehavior{ScaleUp: EffectiveRules{SelectPolicy: SelectMax, Policies: []Policy{}}, ScaleDown: down},
			wantDflt: Defaulted{ScaleUp: RulesDefaulted{StabilizationWindowSeconds: true, SelectPolicy: true}, ScaleDown: downDefaulted},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, d := Effective(tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("effective (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantDflt, d); diff != "" {
				t.Errorf("defaulted (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEffectiveDoesNotAlias guards the caller's spec against later edits of
// the effective policies.
func TestEffectiveDoesNotAlias(t *testing.T) {
	in := &Behavior{ScaleDown: &Rules{Policies: []Policy{{Type: PodsPolicy, Value: 1, PeriodSeconds: 60}}}}
	eb, _ := Effective(in)
	eb.ScaleDown.Policies[0].Value = 99
	if in.ScaleDown.Policies[0].Value != 1 {
		t.Error("Effective returned the caller's policies slice")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		spec    Spec
		wantErr []string // substrings, in order; nil: valid
	}{
		{name: "defaults are valid", spec: Spec{MinReplicas: 1, MaxReplicas: 10, Behavior: &Behavior{}}},
		{name: "no behavior is valid", spec: Spec{MaxReplicas: 3}},
		{name: "max below min", spec: Spec{MinReplicas: 4, MaxReplicas: 3}, wantErr: []string{"maxReplicas: 3: must be greater than or equal to minReplicas (4)"}},
		{name: "empty policies", spec: Spec{MaxReplicas: 3, Behavior: &Behavior{ScaleUp: &Rules{Policies: []Policy{}}}},
			wantErr: []string{"behavior.scaleUp.policies: must specify at least one Policy"}},
		{name: "bad policy fields", spec: Spec{MaxReplicas: 3, Behavior: &Behavior{ScaleDown: &Rules{
			StabilizationWindowSeconds: i32(3601), SelectPolicy: str("Fastest"),
			Policies: []Policy{{Type: "Nodes", Value: 0, PeriodSeconds: 1801}}}}},
			wantErr: []string{
				"behavior.scaleDown.stabilizationWindowSeconds: 3601",
				`behavior.scaleDown.selectPolicy: "Fastest"`,
				`behavior.scaleDown.policies[0].type: "Nodes"`,
				"behavior.scaleDown.policies[0].value: 0",
				"behavior.scaleDown.policies[0].periodSeconds: 1801",
			}},
		{name: "negative tolerance", spec: Spec{MaxReplicas: 3, Behavior: &Behavior{ScaleUp: &Rules{Tolerance: f64(-0.1)}}},
			wantErr: []string{"behavior.scaleUp.tolerance: -0.1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.spec)
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tc.wantErr {
				i := strings.Index(msg, w)
				if i < 0 {
					t.Fatalf("error %q lacks %q", msg, w)
				}
				msg = msg[i+len(w):]
			}
		})
	}
}

func TestPolicyString(t *testing.T) {
	tests := []struct {
		p    Policy
		want string
	}{
		{p: Policy{Type: PodsPolicy, Value: 4, PeriodSeconds: 15}, want: "Pods 4/15s"},
		{p: Policy{Type: PercentPolicy, Value: 100, PeriodSeconds: 15}, want: "Percent 100%/15s"},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.p, got, tc.want)
		}
	}
}
