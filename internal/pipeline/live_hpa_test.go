package pipeline_test

import (
	"strings"
	"testing"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// assertLiveHPA checks the live hpa-scale-down finding for the api HPA:
// the live object, the checkout's line, the status, the rescale Event
// (and not the other Event) and the simulation from the current count;
// worker, within budget, must have none.
func assertLiveHPA(t *testing.T, fs []finding.Finding, rescaled time.Time) {
	t.Helper()
	var api *finding.Finding
	for i, f := range fs {
		if f.Check != "hpa-scale-down" {
			continue
		}
		if f.Object.Name != "api" {
			t.Errorf("unexpected hpa-scale-down finding for %s: %s", f.Object, f.Message)
			continue
		}
		api = &fs[i]
	}
	if api == nil {
		t.Fatal("no hpa-scale-down finding for the live api HPA")
	}
	if api.Severity != finding.Warning || api.App != "api" {
		t.Errorf("severity %s, app %q; want warning, api", api.Severity, api.App)
	}
	// The checkout renders the HPA from a plain manifest: its kind: line.
	if api.Location.File != "manifests/api/hpa.yaml" || api.Location.Line != 4 {
		t.Errorf("location = %s, want manifests/api/hpa.yaml:4", api.Location)
	}
	ev := map[string]string{}
	var labels []string
	for _, e := range api.Evidence {
		ev[e.Label] = e.Value
		labels = append(labels, e.Label)
	}
	wantEv := map[string]string{
		"scale-down":          "20 → 2: 1h34m45s (budget 10m0s)",
		"replicas now":        "current 10, desired 10 (HPA status)",
		"scale-down from now": "10 → 2: 44m45s once the load drops",
		"rescaled " + rescaled.Format(time.RFC3339): rescaleMessage,
		// The API server filled the scale-up defaults and left the
		// scale-down window to the controller flag: the live spec shows it.
		"scaleUp.policies":                     "Pods 4/15s, Percent 100%/15s (live)",
		"scaleDown.stabilizationWindowSeconds": "600s (live)",
	}
	for label, want := range wantEv {
		if got := ev[label]; got != want {
			t.Errorf("evidence %q = %q, want %q (labels %v)", label, got, want, labels)
		}
	}
	if got := ev["scale-down timeline"]; !strings.HasPrefix(got, "10 → ") {
		t.Errorf("scale-down timeline starts from %q, want the current 10 replicas", got)
	}
	if len(labels) < 2 || labels[0] != "scale-down" {
		t.Errorf("first evidence = %v, want the budget verdict", labels)
	}
	for _, l := range labels {
		if strings.HasPrefix(l, "rescaled ") && ev[l] != rescaleMessage {
			t.Errorf("evidence %s = %q: only SuccessfulRescale Events belong here", l, ev[l])
		}
	}
}
