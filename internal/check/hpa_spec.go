package check

import (
	"github.com/syncdoctor/syncdoctor/internal/hpa"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// HPASpec reads the simulator's input (min and max replicas, behavior)
// from a rendered HorizontalPodAutoscaler, as the hpa-scale-down check
// does, so the pipeline can plot the same curves. ok is false for other
// objects and for an HPA without maxReplicas.
func HPASpec(o *manifest.Object) (hpa.Spec, bool) {
	if !isHPA(o) {
		return hpa.Spec{}, false
	}
	return hpaSpecOf(o)
}
