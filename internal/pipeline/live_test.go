package pipeline_test

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/live/livetest"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
)

// liveRepo is the desired state of the objects the test creates.
var liveRepo = filepath.Join("..", "live", "testdata", "cluster-repo")

// revision is the Git revision the Applications are Synced at.
const revision = "4f2c9a1e7b3d5c6a8e9f0a1b2c3d4e5f6a7b8c9d"

// TestLive runs live mode against a real kube-apiserver: one control
// plane for every subtest (a start costs seconds).
func TestLive(t *testing.T) {
	env := livetest.Start(t, livetest.Options{})
	began := time.Now()
	seedCluster(t, env)
	rescaled := seedHPAs(t, env)
	t.Logf("seeded the cluster in %s", time.Since(began).Round(time.Millisecond))

	t.Run("findings", func(t *testing.T) {
		run := runLive(t, env.Config)
		got := summarize(run.Result.Findings)
		want := []string{
			"hook-not-run web batch/Job/shop/db-migrate: PreSync hook Job db-migrate has not run",
			"hpa-scale-down api autoscaling/HorizontalPodAutoscaler/shop/api: HPA api takes 1h34m45s to scale down from 20 to 2 replicas, over the 10m0s budget",
			"out-of-sync metrics-server apiregistration.k8s.io/APIService/v1beta1.metrics.k8s.io: APIService v1beta1.metrics.k8s.io stays OutOfSync: kube-apiserver (status) rewrite(s)",
			"out-of-sync shop-secrets external-secrets.io/ExternalSecret/shop/db-credentials: ExternalSecret db-credentials stays OutOfSync: CRD defaults rewrite(s)",
			"out-of-sync webhooks admissionregistration.k8s.io/MutatingWebhookConfiguration/policy-defaults: MutatingWebhookConfiguration policy-defaults stays OutOfSync: cert-manager-cainjector rewrite(s)",
			"stale-pod-config web apps/Deployment/shop/web: Deployment web runs 1 pod(s) started before ConfigMap web-config last changed",
		}
		assertPrefixes(t, got, want)
		if v := run.Input.Live.ArgoCDVersion; v != "2.14.11" {
			t.Errorf("ArgoCD version = %q, want 2.14.11 from the argocd-server image", v)
		}
		assertLiveHPA(t, run.Result.Findings, rescaled)
		for _, f := range run.Result.Findings {
			if f.Check != "out-of-sync" {
				continue
			}
			// A controller-owned field also gets the managedFieldsManagers form.
			fixes := map[string]int{"webhooks": 2}[f.App]
			if fixes == 0 {
				fixes = 1
			}
			if len(f.Fixes) != fixes {
				t.Errorf("%s: want %d validated ignoreDifferences fixes, got %+v", f.App, fixes, f.Fixes)
				continue
			}
			for _, fix := range f.Fixes {
				if fix.File != "apps/"+f.App+".yaml" || len(fix.Edits) != 1 {
					t.Errorf("%s: fix %q is not an edit of apps/%s.yaml", f.App, fix.Title, f.App)
				}
			}
			wantIn := map[string][]string{
				"metrics-server": {".status.conditions[].status"},
				"shop-secrets":   {".spec.data[].remoteRef.conversionStrategy"},
				"webhooks":       {".webhooks[].clientConfig.caBundle", "managedFieldsManagers:\n    - cert-manager-cainjector"},
			}[f.App]
			for i, w := range wantIn {
				if !strings.Contains(f.Fixes[i].Patch, w) {
					t.Errorf("%s: fix %d lacks %q:\n%s", f.App, i, w, f.Fixes[i].Patch)
				}
			}
		}
	})

	t.Run("read-only service account", func(t *testing.T) {
		cfg, verbs := impersonate(env.Config, "system:serviceaccount:argocd:syncdoctor-reader")
		run := runLive(t, cfg)
		if n := len(run.Input.Live.Unread); n != 0 {
			t.Errorf("get/list/watch must be enough; %d reads failed: %+v", n, run.Input.Live.Unread)
		}
		if got := summarize(run.Result.Findings); len(got) != 6 {
			t.Errorf("findings as the reader = %d, want 6:\n%s", len(got), strings.Join(got, "\n"))
		}
		for _, v := range verbs() {
			if v != http.MethodGet {
				t.Errorf("live mode sent a %s request; only GET is allowed", v)
			}
		}
		if len(verbs()) == 0 {
			t.Error("no request recorded")
		}
	})

	t.Run("RBAC denied on pods and secrets", func(t *testing.T) {
		cfg, _ := impersonate(env.Config, "system:serviceaccount:argocd:syncdoctor-nopods")
		run := runLive(t, cfg)
		var denied []string
		for _, u := range run.Input.Live.Unread {
			denied = append(denied, u.Verb+" "+u.Resource+" "+u.Namespace)
		}
		slices.Sort(denied)
		if want := []string{"list pods kube-system", "list pods shop", "list secrets kube-system", "list secrets shop"}; !slices.Equal(denied, want) {
			t.Errorf("unread = %v, want %v", denied, want)
		}
		got := summarize(run.Result.Findings)
		want := []string{
			"hook-not-run web",
			"hpa-scale-down api",
			"not-analyzed  : could not list pods in namespace kube-system",
			"not-analyzed  : could not list pods in namespace shop",
			"not-analyzed  : could not list secrets in namespace kube-system",
			"not-analyzed  : could not list secrets in namespace shop",
			"out-of-sync metrics-server",
			"out-of-sync shop-secrets",
			"out-of-sync webhooks",
		}
		assertPrefixes(t, got, want)
	})

	t.Run("cli", func(t *testing.T) { testLiveCLI(t, env) })

	t.Run("RBAC denied on Applications stops the run", func(t *testing.T) {
		cfg, _ := impersonate(env.Config, "system:serviceaccount:argocd:nobody")
		_, err := pipeline.Live(context.Background(), pipeline.LiveOptions{
			Options: pipeline.Options{Root: liveRepo}, RESTConfig: cfg,
		})
		if err == nil || !strings.Contains(err.Error(), "RBAC denied") || !strings.Contains(err.Error(), "applications") {
			t.Errorf("err = %v, want an RBAC error naming applications", err)
		}
	})
}

func runLive(t *testing.T, cfg *rest.Config) *pipeline.Run {
	t.Helper()
	run, err := pipeline.Live(context.Background(), pipeline.LiveOptions{
		Options: pipeline.Options{Root: liveRepo, Offline: true}, RESTConfig: cfg,
	})
	if err != nil {
		t.Fatalf("pipeline.Live: %v", err)
	}
	return run
}

// summarize renders findings as "check app object: message".
func summarize(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Check+" "+f.App+" "+f.Object.String()+": "+f.Message)
	}
	slices.Sort(out)
	return out
}

// assertPrefixes checks that got has one entry per want, each starting
// with it.
func assertPrefixes(t *testing.T, got, want []string) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("findings:\n%s\nwant prefixes:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// impersonate returns cfg acting as user, and the HTTP methods it sent.
func impersonate(cfg *rest.Config, user string) (*rest.Config, func() []string) {
	c := rest.CopyConfig(cfg)
	c.Impersonate = rest.ImpersonationConfig{UserName: user}
	var mu sync.Mutex
	var methods []string
	c.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			methods = append(methods, r.Method)
			mu.Unlock()
			return rt.RoundTrip(r)
		})
	})
	return c, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(methods)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// apply server-side applies one manifest as manager and returns the stored
// object.
func apply(t *testing.T, env *livetest.Env, manager, manifest string) *unstructured.Unstructured {
	t.Helper()
	obj := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(manifest), &obj.Object); err != nil {
		t.Fatalf("decoding manifest: %v\n%s", err, manifest)
	}
	data, err := obj.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	client := env.Resource(t, obj.GetAPIVersion(), obj.GetKind(), obj.GetNamespace())
	force := true
	got, err := client.Patch(context.Background(), obj.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{FieldManager: manager, Force: &force})
	if err != nil {
		t.Fatalf("applying %s %s: %v", obj.GetKind(), obj.GetName(), err)
	}
	return got
}

// waitFor polls until cond holds for the object.
func waitFor(t *testing.T, env *livetest.Env, apiVersion, kind, ns, name string, cond func(*unstructured.Unstructured) bool) {
	t.Helper()
	client := env.Resource(t, apiVersion, kind, ns)
	err := wait.PollUntilContextTimeout(context.Background(), 100*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		u, err := client.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		return cond(u), nil
	})
	if err != nil {
		t.Fatalf("waiting for %s %s: %v", kind, name, err)
	}
}
