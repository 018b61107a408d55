package check

import (
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

func workload(meta, pod map[string]any) *manifest.Object {
	return &manifest.Object{Content: map[string]any{
		"metadata": map[string]any{"annotations": meta},
		"spec":     map[string]any{"template": map[string]any{"metadata": map[string]any{"annotations": pod}}},
	}}
}

func TestReloaderCovers(t *testing.T) {
	cm := crSource{Kind: "ConfigMap", Name: "web-config"}
	sec := crSource{Kind: "Secret", Name: "web-db"}
	cases := []struct {
		name   string
		meta   map[string]any
		pod    map[string]any
		src    crSource
		srcAnn map[string]string
		want   bool
	}{
		{name: "none", src: cm},
		{name: "auto", meta: map[string]any{"reloader.stakater.com/auto": "true"}, src: cm, want: true},
		{name: "auto false", meta: map[string]any{"reloader.stakater.com/auto": "false"}, src: cm},
		{name: "typed auto other kind", meta: map[string]any{"secret.reloader.stakater.com/auto": "true"}, src: cm},
		{name: "typed auto", meta: map[string]any{"configmap.reloader.stakater.com/auto": "true"}, src: cm, want: true},
		{name: "named list", meta: map[string]any{"configmap.reloader.stakater.com/reload": "other, web-config"}, src: cm, want: true},
		{name: "named regexp anchored", meta: map[string]any{"configmap.reloader.stakater.com/reload": "web"}, src: cm},
		{name: "named regexp", meta: map[string]any{"configmap.reloader.stakater.com/reload": "web-.*"}, src: cm, want: true},
		{name: "pod template when workload has none", pod: map[string]any{"reloader.stakater.com/auto": "true"}, src: cm, want: true},
		{name: "pod template ignored when workload has one", meta: map[string]any{"configmap.reloader.stakater.com/reload": "other"}, pod: map[string]any{"reloader.stakater.com/auto": "true"}, src: cm},
		{name: "another kind's key does not hide the pod template", meta: map[string]any{"secret.reloader.stakater.com/reload": "web-db"}, pod: map[string]any{"reloader.stakater.com/auto": "true"}, src: cm, want: true},
		{name: "named secret", meta: map[string]any{"secret.reloader.stakater.com/reload": "web-db"}, src: sec, want: true},
		{name: "search needs match", meta: map[string]any{"reloader.stakater.com/search": "true"}, src: cm, srcAnn: map[string]string{}},
		{name: "search with match", meta: map[string]any{"reloader.stakater.com/search": "true"}, src: cm, srcAnn: map[string]string{"reloader.stakater.com/match": "true"}, want: true},
		{name: "ignored source", meta: map[string]any{"reloader.stakater.com/auto": "true"}, src: cm, srcAnn: map[string]string{"reloader.stakater.com/ignore": "true"}},
		{name: "excluded", meta: map[string]any{"reloader.stakater.com/auto": "true", "configmaps.exclude.reloader.stakater.com/reload": "web-config"}, src: cm},
	}
	for _, c := range cases {
		got, _ := reloaderCovers(workload(c.meta, c.pod), c.src, c.srcAnn)
		if got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestTagValuesAndMarkers(t *testing.T) {
	vals := map[string]any{
		"config": map[string]any{"A": "x", "N": int64(3)},
		"routes": []any{map[string]any{"prefix": "/a"}},
		"pod":    map[string]any{},
	}
	tagged, tags := tagValues(vals, true)
	text := strings.ToUpper(manifest.GetString(tagged, "config", "A")) // `upper` must not hide markers
	got := markersIn(text, tags)
	if len(got) != 1 || tags[got[0]].Path.String() != "config.A" {
		t.Errorf("config.A marker: %v", got)
	}
	r := tagged["routes"].([]any)[0].(map[string]any)["prefix"].(string)
	if got := markersIn(r, tags); len(got) != 1 || tags[got[0]].Path.String() != "routes" {
		t.Errorf("list strings carry the list path: %v", got)
	}
	if m := tagged["pod"].(map[string]any); len(m) != 1 {
		t.Errorf("empty map not filled: %v", m)
	}
	if tagged["config"].(map[string]any)["N"] != int64(3) {
		t.Error("numbers stay")
	}
}

func TestCoverPaths(t *testing.T) {
	eff := map[string]any{
		"config": map[string]any{"A": "1", "B": "2"},
		"shared": map[string]any{"config": map[string]any{"C": "3"}, "other": "x"},
		"top":    "t",
	}
	keys := []values.Path{{"config", "A"}, {"config", "B"}, {"shared", "config", "C"}, {"top"}}
	var got []string
	for _, p := range coverPaths(eff, keys) {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != "config shared.config top" {
		t.Errorf("got %v", got)
	}
	if e := hashExpr([]values.Path{{"a-b", "c"}}); e != `(index .Values "a-b" "c") | toJson | sha256sum` {
		t.Errorf("hashExpr: %s", e)
	}
}

func TestUnifiedDiff(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10"
	b := "1\n2\n3\n4\nnew\n5\n6\n7\n8\n9\nten"
	got := unifiedDiff("f", a, b)
	want := "--- a/f\n+++ b/f\n@@ -2,9 +2,10 @@\n 2\n 3\n 4\n+new\n 5\n 6\n 7\n 8\n 9\n-10\n+ten\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestSameCluster(t *testing.T) {
	at := func(server, name string) *Rendered {
		app := &v1alpha1.Application{Spec: v1alpha1.ApplicationSpec{Destination: v1alpha1.ApplicationDestination{Server: server, Name: name}}}
		return &Rendered{Target: &target.Target{App: &target.Application{App: app}}}
	}
	tests := []struct {
		name string
		a, b *Rendered
		want bool
	}{
		{"same server", at("https://a", ""), at("https://a", ""), true},
		{"other server", at("https://a", ""), at("https://b", ""), false},
		{"same name", at("", "prod-eu1"), at("", "prod-eu1"), true},
		{"other name", at("", "prod-eu1"), at("", "prod-us1"), false},
		{"server and name cannot be related offline", at("https://a", ""), at("", "prod-eu1"), true},
	}
	for _, tc := range tests {
		if got := sameCluster(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: sameCluster = %v, want %v", tc.name, got, tc.want)
		}
	}
}
