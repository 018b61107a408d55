package render

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

func testRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("testdata/repo")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func helmTarget(dir string, valueFiles []string, h *v1alpha1.ApplicationSourceHelm) *target.Target {
	return &target.Target{
		Kind: target.SourceHelm, Dir: dir, ValueFiles: valueFiles,
		ReleaseName: "rel", Namespace: "apps", Env: "test",
		Source: v1alpha1.ApplicationSource{Path: dir, Helm: h},
	}
}

func find(objs []*manifest.Object, kind, name string) *manifest.Object {
	for _, o := range objs {
		if o.Ref.Kind == kind && o.Ref.Name == name {
			return o
		}
	}
	return nil
}

func TestRenderChart(t *testing.T) {
	r := New(Options{Root: testRoot(t), Offline: true})
	res, err := r.Render(context.Background(), helmTarget("charts/web", nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.Chart == nil || res.Chart.Name() != "web" {
		t.Fatalf("Chart = %v", res.Chart)
	}
	tests := []struct {
		kind, name, source, file, ns string
		doc                          int
	}{
		{kind: "CustomResourceDefinition", name: "widgets.example.com", source: "web/crds/widgets.yaml", file: "charts/web/crds/widgets.yaml"},
		{kind: "Deployment", name: "rel-web", source: "web/templates/deployment.yaml", file: "charts/web/templates/deployment.yaml", ns: "apps"},
		// Doc counts in output order: helm sorts the Secret before the ConfigMap.
		{kind: "ConfigMap", name: "rel-config", source: "web/templates/configmap.yaml", file: "charts/web/templates/configmap.yaml", ns: "apps", doc: 1},
		{kind: "Secret", name: "rel-secret", source: "web/templates/configmap.yaml", file: "charts/web/templates/configmap.yaml", ns: "apps"},
		{kind: "Service", name: "rel-worker", source: "web/charts/worker/templates/service.yaml", file: "charts/web/charts/sub/templates/service.yaml", ns: "apps"},
		{kind: "Job", name: "rel-migrate", source: "web/templates/job.yaml", file: "charts/web/templates/job.yaml", ns: "apps"},
		{kind: "Pod", name: "rel-test", source: "web/templates/tests/test-connection.yaml", file: "charts/web/templates/tests/test-connection.yaml", ns: "apps"},
	}
	for _, tc := range tests {
		o := find(res.Objects, tc.kind, tc.name)
		if o == nil {
			t.Errorf("%s %s not rendered", tc.kind, tc.name)
			continue
		}
		if o.Source != tc.source || o.File != tc.file || o.Ref.Namespace != tc.ns || o.Doc != tc.doc {
			t.Errorf("%s %s: source %q file %q ns %q doc %d; want %q %q %q %d", tc.kind, tc.name, o.Source, o.File, o.Ref.Namespace, o.Doc, tc.source, tc.file, tc.ns, tc.doc)
		}
	}
	if find(res.Objects, "Service", "rel-cron") != nil {
		t.Error("disabled aliased subchart rendered")
	}
	if res.Objects[0].Ref.Kind != "CustomResourceDefinition" {
		t.Errorf("first object is a %s, want the CRD", res.Objects[0].Ref.Kind)
	}
	for i, o := range res.Objects[:len(res.Objects)-2] {
		if o.IsHook() {
			t.Errorf("hook %s at %d before the last two objects: helm prints hooks last", o.Ref.Name, i)
		}
	}
	cm := find(res.Objects, "ConfigMap", "rel-config")
	// `yes: on` in values.yaml is YAML 1.1 for true: true, as helm reads it.
	for k, want := range map[string]string{"greeting": "hello rel in apps", "kube": "v1.34.0", "existed": "no", "domain": "example.com", "true": "true"} {
		if got := manifest.GetString(cm.Content, "data", k); got != want {
			t.Errorf("configmap data.%s = %q, want %q", k, got, want)
		}
	}
	if _, ok := res.Values["replicas"]; ok {
		t.Error("Result.Values holds chart defaults")
	}
}

func TestAPIVersionsAndKubeVersion(t *testing.T) {
	r := New(Options{Root: testRoot(t), APIVersions: []string{"monitoring.coreos.com/v1"}, KubeVersion: "1.31.2"})
	res, err := r.Render(context.Background(), helmTarget("charts/web", nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	cm := find(res.Objects, "ConfigMap", "rel-config")
	if manifest.GetString(cm.Content, "data", "monitoring") != "yes" || manifest.GetString(cm.Content, "data", "kube") != "v1.31.2" {
		t.Errorf("capabilities not applied: %v", cm.Content["data"])
	}
	tg := helmTarget("charts/web", nil, nil)
	tg.KubeVersion = "1.20.0"
	if _, err := r.Render(context.Background(), tg); err == nil || !strings.Contains(err.Error(), "incompatible with Kubernetes") {
		t.Errorf("kubeVersion constraint: err = %v", err)
	}
}

func TestValuePrecedence(t *testing.T) {
	obj := func(s string) *runtime.RawExtension { return &runtime.RawExtension{Raw: []byte(s)} }
	tests := []struct {
		name       string
		valueFiles []string
		helm       *v1alpha1.ApplicationSourceHelm
		want       any
	}{
		{name: "chart default", want: int64(2)},
		{name: "value file", valueFiles: []string{"envs/prod.yaml"}, want: int64(5)},
		{name: "later value file wins", valueFiles: []string{"envs/prod.yaml", "envs/prod-extra.yaml"}, want: int64(6)},
		{name: "values over files", valueFiles: []string{"envs/prod-extra.yaml"}, helm: &v1alpha1.ApplicationSourceHelm{Values: "replicas: 7"}, want: int64(7)},
		{name: "valuesObject replaces values", helm: &v1alpha1.ApplicationSourceHelm{Values: "replicas: 7", ValuesObject: obj(`{"replicas": 8}`)}, want: int64(8)},
		{name: "parameter over valuesObject", helm: &v1alpha1.ApplicationSourceHelm{ValuesObject: obj(`{"replicas": 8}`), Parameters: []v1alpha1.HelmParameter{{Name: "replicas", Value: "9"}}}, want: int64(9)},
		{name: "forceString after set", helm: &v1alpha1.ApplicationSourceHelm{Parameters: []v1alpha1.HelmParameter{{Name: "replicas", Value: "10", ForceString: true}, {Name: "replicas", Value: "11"}}}, want: "10"},
	}
	r := New(Options{Root: testRoot(t)})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Render(context.Background(), helmTarget("charts/web", tc.valueFiles, tc.helm))
			if err != nil {
				t.Fatal(err)
			}
			d := find(res.Objects, "Deployment", "rel-web")
			if got := manifest.Get(d.Content, "spec", "replicas"); got != tc.want && !(tc.want == "10" && got == int64(10)) {
				t.Errorf("replicas = %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestUserValuesAndFileParameters(t *testing.T) {
	r := New(Options{Root: testRoot(t)})
	h := &v1alpha1.ApplicationSourceHelm{
		Values:         "settings:\n  level: debug\n",
		Parameters:     []v1alpha1.HelmParameter{{Name: "image.tag", Value: "a,b"}},
		FileParameters: []v1alpha1.HelmFileParameter{{Name: "token", Path: "../../envs/prod.yaml"}},
	}
	res, err := r.Render(context.Background(), helmTarget("charts/web", []string{"envs/prod.yaml"}, h))
	if err != nil {
		t.Fatal(err)
	}
	img := res.Values["image"].(map[string]any)
	if img["tag"] != "a,b" || res.Values["replicas"] != float64(5) {
		t.Errorf("Values = %v", res.Values)
	}
	if !strings.Contains(res.Values["token"].(string), "payments") {
		t.Errorf("set-file value = %q", res.Values["token"])
	}
	h.FileParameters = []v1alpha1.HelmFileParameter{{Name: "token", Path: "../../../../../../etc/hostname"}}
	r = New(Options{Root: testRoot(t)})
	if _, err := r.Render(context.Background(), helmTarget("charts/web", nil, h)); !errors.Is(err, errEscapesRoot) {
		t.Errorf("escaping file parameter: err = %v", err)
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name       string
		target     *target.Target
		opts       Options
		wantPrefix string
		wantIs     error
		wantText   string
	}{
		{name: "missing value file", target: helmTarget("charts/web", []string{"envs/nope.yaml"}, nil), wantPrefix: "envs/nope.yaml: "},
		{name: "value file outside root", target: helmTarget("charts/web", []string{"../../../../etc/passwd"}, nil), wantIs: errEscapesRoot},
		{name: "template error", target: helmTarget("charts/broken", nil, nil), wantPrefix: "charts/broken/templates/cm.yaml:4:", wantText: "nil pointer"},
		{name: "dependency cycle", target: helmTarget("charts/loop-a", nil, nil), wantText: "dependency cycle"},
		{name: "remote dependency offline", target: helmTarget("charts/remotedep", nil, nil), opts: Options{Offline: true}, wantPrefix: "charts/remotedep/Chart.yaml:8:5: ", wantIs: ErrOffline},
		{name: "output cap", target: helmTarget("charts/web", nil, nil), opts: Options{MaxOutputBytes: 200}, wantText: "over the limit"},
		{name: "timeout", target: helmTarget("charts/slow", nil, nil), opts: Options{Timeout: 200 * time.Millisecond}, wantIs: context.DeadlineExceeded},
		{name: "loop bomb refused", target: helmTarget("charts/bomb", nil, nil), wantPrefix: "charts/bomb/templates/cm.yaml:3:", wantText: "until asks for 100000000 iterations"},
		{name: "library chart", target: helmTarget("charts/lib", nil, nil), wantText: "library charts are not installable"},
		{name: "unsupported kind", target: &target.Target{Kind: target.SourceUnsupported, Dir: "x"}, wantIs: ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Root = testRoot(t)
			_, err := New(tc.opts).Render(context.Background(), tc.target)
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), tc.wantPrefix) || !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("err = %q, want prefix %q containing %q", err, tc.wantPrefix, tc.wantText)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("err = %v, want errors.Is %v", err, tc.wantIs)
			}
		})
	}
}

func TestSkipCrdsAndSkipTests(t *testing.T) {
	r := New(Options{Root: testRoot(t)})
	res, err := r.Render(context.Background(), helmTarget("charts/web", nil, &v1alpha1.ApplicationSourceHelm{SkipCrds: true, SkipTests: true}))
	if err != nil {
		t.Fatal(err)
	}
	if find(res.Objects, "CustomResourceDefinition", "widgets.example.com") != nil || find(res.Objects, "Pod", "rel-test") != nil {
		t.Error("skipCrds/skipTests ignored")
	}
	if find(res.Objects, "Job", "rel-migrate") == nil {
		t.Error("hook dropped")
	}
}

func TestPanicBecomesError(t *testing.T) {
	r := New(Options{Root: testRoot(t)})
	err := r.bounded(context.Background(), helmTarget("charts/web", nil, nil), func(context.Context) error { panic("boom") })
	var re *Error
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "chart charts/web panicked: boom") {
		t.Errorf("err = %v", err)
	}
}

func TestRenderValuesReusesChart(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(testRoot(t))); err != nil {
		t.Fatal(err)
	}
	r := New(Options{Root: root})
	tg := helmTarget("charts/web", []string{"envs/prod.yaml"}, nil)
	res, err := r.Render(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(root, "charts")); err != nil {
		t.Fatal(err)
	}
	vals := values.DeepCopy(res.Values)
	vals["replicas"] = 42
	vals["worker"] = map[string]any{"enabled": false}
	for i := 0; i < 3; i++ { // the cached chart must survive repeated dependency processing
		objs, err := r.RenderValues(context.Background(), tg, vals)
		if err != nil {
			t.Fatal(err)
		}
		if got := manifest.Get(find(objs, "Deployment", "rel-web").Content, "spec", "replicas"); got != int64(42) {
			t.Errorf("replicas = %v", got)
		}
		if find(objs, "Service", "rel-worker") != nil {
			t.Error("condition from RenderValues ignored")
		}
	}
	if vals["replicas"] != 42 {
		t.Error("RenderValues changed its input")
	}
	objs, err := r.RenderValues(context.Background(), tg, res.Values)
	if err != nil || find(objs, "Service", "rel-worker") == nil {
		t.Errorf("re-render with original values: err %v", err)
	}
}
