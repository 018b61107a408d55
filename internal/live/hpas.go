package live

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

var (
	hpaGVR   = schema.GroupVersionResource{Group: "autoscaling", Version: "v2", Resource: "horizontalpodautoscalers"}
	eventGVR = schema.GroupVersionResource{Version: "v1", Resource: "events"}
)

// rescaleSelector selects the Events the HPA controller records when it
// changes a scale (kubernetes pkg/controller/podautoscaler/horizontal.go
// records reason "SuccessfulRescale" on the HPA). Both fields are
// selectable on core/v1 Events (pkg/registry/core/event/strategy.go), so
// the server filters and the read stays small.
var rescaleSelector = fields.AndSelectors(
	fields.OneTermEqualSelector("involvedObject.kind", "HorizontalPodAutoscaler"),
	fields.OneTermEqualSelector("reason", "SuccessfulRescale"),
).String()

// hpas lists the HPAs of ns as autoscaling/v2 (the version with
// spec.behavior, served since Kubernetes 1.23) and their rescale Events.
func (r *reader) hpas(ctx context.Context, ns string) {
	r.state.HPAs = append(r.state.HPAs, r.list(ctx, hpaGVR, "HorizontalPodAutoscaler", ns)...)
	l, err := r.dyn.Resource(eventGVR).Namespace(ns).List(ctx, metav1.ListOptions{FieldSelector: rescaleSelector})
	if err != nil {
		r.unread("list", eventGVR, ns, "", finding.ObjectRef{}, err)
		return
	}
	for _, it := range l.Items {
		it.SetKind("Event")
		it.SetAPIVersion("v1")
		r.state.RescaleEvents = append(r.state.RescaleEvents, &manifest.Object{Content: it.Object, Ref: manifest.RefOf(it.Object, "")})
	}
}
