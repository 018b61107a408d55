package diffsem

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	argodiff "github.com/argoproj/argo-cd/v3/util/argo/diff"
	"github.com/argoproj/argo-cd/v3/util/argo/normalizers"
	"github.com/go-logr/logr"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// appLabelKey is ArgoCD's default application.instanceLabelKey.
const appLabelKey = "app.kubernetes.io/instance"

// ssaManager is common.ArgoCDSSAManager, the field manager the controller
// diffs and applies as.
const ssaManager = "argocd-controller"

// Result is ArgoCD's verdict on one desired/live pair.
type Result struct {
	// Modified is what ArgoCD would report as OutOfSync for this resource.
	Modified bool
	// Paths are RFC 6901 pointers of the differing leaves between the
	// normalized predicted live and normalized live objects, sorted. A
	// pointer to a whole subtree means one side lacks it; "" means one side
	// is absent (the resource would be created or pruned).
	Paths []string
	// Predicted and Live are the normalized objects ArgoCD compared
	// (PredictedLive and NormalizedLive of gitops-engine's DiffResult).
	Predicted, Live map[string]any
	// Err is set when ArgoCD itself would fail the comparison, e.g. a
	// jqPathExpression that does not compile, or when an input is not a
	// JSON object. Modified and Paths are then meaningless.
	Err error
}

// Compare reports whether live differs from desired under ArgoCD's rules for
// one Application: its ignoreDifferences, the system customizations in
// opts.SystemRules and ArgoCD's built-in normalizations. desired nil models a
// resource ArgoCD would prune, live nil one it would create.
//
// It runs argo-cd util/argo/diff.StateDiffs (the controller's own entry
// point, controller/state.go CompareAppState) with a DiffConfig built the way
// the controller builds it, without cache.
func Compare(desired, live map[string]any, rules []v1alpha1.ResourceIgnoreDifferences, opts Options) Result {
	return compareWith(desired, live, rules, opts.overrides(), opts)
}

// compareWith is Compare with the system overrides given explicitly, so
// Explain can replay one system rule at a time.
func compareWith(desired, live map[string]any, rules []v1alpha1.ResourceIgnoreDifferences, overrides map[string]v1alpha1.ResourceOverride, opts Options) (res Result) {
	defer func() {
		// gitops-engine's remarshal panics on unmarshalable input; a
		// comparison must never take the process down.
		if r := recover(); r != nil {
			res = Result{Err: fmt.Errorf("argocd diff panicked: %v", r)}
		}
	}()
	if desired == nil && live == nil {
		return Result{}
	}
	config, err := toUnstructured(desired)
	if err != nil {
		return Result{Err: fmt.Errorf("desired: %w", err)}
	}
	liveUn, err := toUnstructured(live)
	if err != nil {
		return Result{Err: fmt.Errorf("live: %w", err)}
	}
	b := argodiff.NewDiffConfigBuilder().
		WithDiffSettings(sanitizeRules(rules), overrides,
			opts.IgnoreAggregatedRoles || opts.SystemRules.IgnoreAggregatedRoles,
			normalizers.IgnoreNormalizerOpts{JQExecutionTimeout: opts.JQTimeout}).
		WithTracking(appLabelKey, opts.trackingMethod()).
		WithNoCache().
		WithManager(ssaManager).
		WithStructuredMergeDiff(opts.ServerSideApply).
		WithLogger(logr.Discard())
	if opts.GVKParser != nil {
		b = b.WithGVKParser(opts.GVKParser)
	}
	if opts.ServerSideDiff {
		b = b.WithServerSideDiff(true).
			WithServerSideDryRunner(ssdRunner{live: live}).
			// Our dry run writes no managedFields, which webhook-mutation
			// removal needs; there are no webhooks offline anyway.
			WithIgnoreMutationWebhook(false)
	}
	dc, err := b.Build()
	if err != nil {
		return Result{Err: fmt.Errorf("build diff config: %w", err)}
	}
	list, err := argodiff.StateDiffs([]*unstructured.Unstructured{liveUn}, []*unstructured.Unstructured{config}, dc)
	if err != nil {
		return Result{Err: err}
	}
	if len(list.Diffs) != 1 {
		return Result{Err: fmt.Errorf("argocd diff returned %d results for one resource", len(list.Diffs))}
	}
	dr := list.Diffs[0]
	res.Modified = dr.Modified
	if err := json.Unmarshal(dr.PredictedLive, &res.Predicted); err != nil {
		return Result{Err: fmt.Errorf("decode predicted live: %w", err)}
	}
	if err := json.Unmarshal(dr.NormalizedLive, &res.Live); err != nil {
		return Result{Err: fmt.Errorf("decode normalized live: %w", err)}
	}
	if res.Modified {
		res.Paths = diffPaths(res.Predicted, res.Live)
	}
	return res
}

// toUnstructured deep-copies obj through JSON so that YAML decoder types
// (int, uint64, ...) become the JSON types unstructured code expects.
func toUnstructured(obj map[string]any) (*unstructured.Unstructured, error) {
	if obj == nil {
		return nil, nil
	}
	m, err := jsonCopy(obj)
	if err != nil {
		return nil, err
	}
	return &unstructured.Unstructured{Object: m}, nil
}

// ssdRunner stands in for the API server's server-side-apply dry run: the
// result is live with desired merged over it (maps merged key by key, lists
// of equal length merged item by item, anything else replaced). A real dry
// run replaces an atomic list but then re-applies CRD defaults to its items
// and the controller reverts other managers' changes
// (removeWebhookMutation), which the item-wise merge approximates.
type ssdRunner struct{ live map[string]any }

// Run implements gitops-engine diff.ServerSideDryRunner.
func (r ssdRunner) Run(_ context.Context, obj *unstructured.Unstructured, _ string) (string, error) {
	base, err := jsonCopy(r.live)
	if err != nil {
		return "", err
	}
	merged := serverForm(mergeOver(base, obj.Object))
	b, err := json.Marshal(merged)
	return string(b), err
}

func mergeOver(base, over map[string]any) map[string]any {
	if base == nil {
		base = map[string]any{}
	}
	for k, v := range over {
		base[k] = mergeValue(base[k], v)
	}
	return base
}

func mergeValue(base, over any) any {
	switch o := over.(type) {
	case map[string]any:
		if b, ok := base.(map[string]any); ok {
			return mergeOver(b, o)
		}
	case []any:
		if b, ok := base.([]any); ok && len(b) == len(o) {
			out := make([]any, len(o))
			for i := range o {
				out[i] = mergeValue(b[i], o[i])
			}
			return out
		}
	}
	return over
}
