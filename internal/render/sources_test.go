package render

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/repo"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

func TestDirectory(t *testing.T) {
	tests := []struct {
		name  string
		dir   *v1alpha1.ApplicationSourceDirectory
		want  []string // names, in order
		lines map[string]int
	}{
		{name: "top level", want: []string{"one", "two", "reader", "three", "svc"}, lines: map[string]int{"one": 2, "two": 7, "three": 20, "svc": 1}},
		{name: "recurse", dir: &v1alpha1.ApplicationSourceDirectory{Recurse: true}, want: []string{"one", "two", "reader", "three", "svc", "deep", "other"}},
		{name: "include", dir: &v1alpha1.ApplicationSourceDirectory{Recurse: true, Include: "{sub/*.yml,obj.json}"}, want: []string{"svc", "other"}},
		{name: "exclude", dir: &v1alpha1.ApplicationSourceDirectory{Recurse: true, Exclude: "*.yaml"}, want: []string{"svc", "other"}},
	}
	r := New(Options{Root: testRoot(t)})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Render(context.Background(), &target.Target{Kind: target.SourceDirectory, Dir: "manifests", Namespace: "apps", Source: v1alpha1.ApplicationSource{Directory: tc.dir}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range res.Objects {
				got = append(got, o.Ref.Name)
				if l, ok := tc.lines[o.Ref.Name]; ok && o.Line != l {
					t.Errorf("%s: line %d, want %d", o.Ref.Name, o.Line, l)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("objects %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("objects %v, want %v", got, tc.want)
				}
			}
			if o := find(res.Objects, "ClusterRole", "reader"); o != nil && (o.Ref.Namespace != "" || o.File != "manifests/app.yaml" || o.Doc != 1) {
				t.Errorf("ClusterRole ref %+v file %s doc %d", o.Ref, o.File, o.Doc)
			}
			if o := find(res.Objects, "Deployment", "three"); o != nil && o.Ref.Namespace != "other" {
				t.Errorf("explicit namespace lost: %+v", o.Ref)
			}
		})
	}
}

func TestDirectoryJsonnet(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "j/main.jsonnet"), "{}")
	_, err := New(Options{Root: root}).Render(context.Background(), &target.Target{Kind: target.SourceDirectory, Dir: "j"})
	if !errors.Is(err, ErrJsonnet) {
		t.Errorf("err = %v, want ErrJsonnet", err)
	}
}

func TestSymlinkOutsideRoot(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
	writeFile(t, filepath.Join(root, "m/ok.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n")
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(root, "m/link.yaml")); err != nil {
		t.Fatal(err)
	}
	copyDir(t, filepath.Join(testRoot(t), "charts/broken"), filepath.Join(root, "c"))
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(root, "c/templates/link.yaml")); err != nil {
		t.Fatal(err)
	}
	r := New(Options{Root: root})
	for _, tg := range []*target.Target{
		{Kind: target.SourceDirectory, Dir: "m"},
		{Kind: target.SourceHelm, Dir: "c", ReleaseName: "x"},
		{Kind: target.SourceHelm, Dir: "c", ReleaseName: "x", ValueFiles: []string{"m/link.yaml"}},
	} {
		if _, err := r.Render(context.Background(), tg); !errors.Is(err, errEscapesRoot) {
			t.Errorf("%s %s: err = %v, want a path escape", tg.Kind, tg.Dir, err)
		}
	}
}

func TestKustomize(t *testing.T) {
	r := New(Options{Root: testRoot(t)})
	tests := []struct {
		name      string
		kustomize *v1alpha1.ApplicationSourceKustomize
		wantName  string
		wantNS    string
		wantImage string
		wantLabel string
	}{
		{name: "overlay", wantName: "prod-api", wantNS: "apps", wantImage: "example/api:1.0"},
		{name: "argocd overrides", kustomize: &v1alpha1.ApplicationSourceKustomize{
			NameSuffix: "-v2", Namespace: "team", Images: v1alpha1.KustomizeImages{"example/api=registry.local/api:2.0"},
			CommonLabels: map[string]string{"team": "core"},
		}, wantName: "prod-api-v2", wantNS: "team", wantImage: "registry.local/api:2.0", wantLabel: "core"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Render(context.Background(), &target.Target{Kind: target.SourceKustomize, Dir: "kustomize/overlay", Namespace: "apps", Source: v1alpha1.ApplicationSource{Kustomize: tc.kustomize}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Objects) != 1 {
				t.Fatalf("%d objects", len(res.Objects))
			}
			o := res.Objects[0]
			c := manifest.Get(o.Content, "spec", "template", "spec", "containers").([]any)[0].(map[string]any)
			if o.Ref.Name != tc.wantName || o.Ref.Namespace != tc.wantNS || c["image"] != tc.wantImage || o.Labels()["team"] != tc.wantLabel || o.File != "kustomize/overlay" {
				t.Errorf("got %+v image %v labels %v file %s", o.Ref, c["image"], o.Labels(), o.File)
			}
		})
	}
}

// TestRemoteChart serves a real Helm repository (index.yaml + packaged
// chart, made with helm's own packaging API) on loopback.
func TestRemoteChart(t *testing.T) {
	pkgDir := t.TempDir()
	for _, v := range []string{"1.0.0", "1.1.0", "2.0.0"} {
		c := &chart.Chart{
			Metadata:  &chart.Metadata{APIVersion: "v2", Name: "hello", Version: v},
			Values:    map[string]any{"msg": "hi"},
			Templates: []*chart.File{{Name: "templates/cm.yaml", Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\ndata:\n  v: {{ .Chart.Version }}\n  msg: {{ .Values.msg }}\n")}},
		}
		if _, err := chartutil.Save(c, pkgDir); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(pkgDir)))
	defer srv.Close()
	idx, err := repo.IndexDirectory(pkgDir, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.WriteFile(filepath.Join(pkgDir, "index.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	tg := &target.Target{Kind: target.SourceRemoteHelm, ReleaseName: "r", Namespace: "apps",
		Source: v1alpha1.ApplicationSource{RepoURL: srv.URL, Chart: "hello", TargetRevision: "~1.0 || 1.1.x", Helm: &v1alpha1.ApplicationSourceHelm{Values: "msg: yo"}}}
	cache := t.TempDir()
	res, err := New(Options{Root: t.TempDir(), CacheDir: cache}).Render(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	o := find(res.Objects, "ConfigMap", "hello")
	if o == nil || manifest.GetString(o.Content, "data", "v") != "1.1.0" || manifest.GetString(o.Content, "data", "msg") != "yo" || o.Source != "hello/templates/cm.yaml" {
		t.Fatalf("objects %+v", res.Objects)
	}

	offline := New(Options{Root: t.TempDir(), CacheDir: cache, Offline: true})
	tg.Source.TargetRevision = "1.1.0" // exact and cached: no pull needed
	if _, err := offline.Render(context.Background(), tg); err != nil {
		t.Errorf("cached exact version offline: %v", err)
	}
	tg.Source.TargetRevision = "2.0.0"
	if _, err := offline.Render(context.Background(), tg); !errors.Is(err, ErrOffline) {
		t.Errorf("uncached offline: err = %v, want ErrOffline", err)
	}
}
