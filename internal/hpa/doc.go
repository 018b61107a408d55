// Package hpa simulates the replica decisions of the Kubernetes
// HorizontalPodAutoscaler controller (autoscaling/v2) over time: data in,
// series out, no clock and no I/O.
//
// The model follows kubernetes v1.36.1:
//
//   - pkg/apis/autoscaling/v2/defaults.go: how the API server fills a partly
//     specified spec.behavior (Effective);
//   - pkg/apis/autoscaling/validation/validation.go: what it rejects (Validate);
//   - pkg/controller/podautoscaler/horizontal.go: reconcileAutoscaler,
//     normalizeDesiredReplicas (no behavior), normalizeDesiredReplicasWithBehaviors,
//     stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate,
//     calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors,
//     getReplicasChangePerPeriod, storeScaleEvent, markScaleEventsOutdated;
//   - pkg/controller/podautoscaler/replica_calculator.go: the tolerance band
//     (Tolerances.isWithin) and desired = ceil(usageRatio × pods);
//   - pkg/controller/podautoscaler/config/v1alpha1/defaults.go: the
//     kube-controller-manager defaults (sync period 15 s, downscale
//     stabilization 5 m, tolerance 0.1).
//
// Conventions of the model, each chosen to match the real controller:
//
//   - The controller syncs every SyncPeriod, at t = 0, 15 s, 30 s, …, and
//     stamps the recommendation and any scale event of a sync with that time.
//   - An entry whose age equals a window or period exactly counts as outside
//     it. The controller tests timestamp.After(now − window), and because it
//     re-queues an HPA SyncPeriod after the previous reconcile finished
//     (processNextWorkItem → AddRateLimited), the real age of the entry from k
//     syncs ago is k × SyncPeriod plus processing time: just outside. Informer
//     resyncs add jitter, so a real cluster can act one sync later than the
//     model at such a boundary.
//   - The load is expressed in pods: Load(t) is the replica count that would put
//     the metric exactly on target (usage ÷ per-pod target). The controller sees
//     usageRatio = Load/current, keeps the current count while the ratio is in
//     the tolerance band, and otherwise asks for ceil(Load).
package hpa
