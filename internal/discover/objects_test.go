package discover

import (
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

func TestFromObjects(t *testing.T) {
	objs := []*manifest.Object{
		{File: "charts/apps/templates/web.yaml", Doc: 0, Content: map[string]any{
			"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
			"metadata": map[string]any{"name": "web"},
			"spec":     map[string]any{"destination": map[string]any{"namespace": "web"}},
		}},
		{File: "charts/apps/templates/cm.yaml", Content: map[string]any{"apiVersion": "v1", "kind": "ConfigMap"}},
		{File: "charts/apps/templates/bad.yaml", Content: map[string]any{
			"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
			"metadata": map[string]any{"name": "bad"}, "spec": "nope",
		}},
		{File: "charts/apps/templates/set.yaml", Content: map[string]any{
			"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet", "metadata": map[string]any{"name": "s"},
		}},
	}
	apps, probs := FromObjects(objs, "root")
	if len(apps) != 1 {
		t.Fatalf("apps = %d", len(apps))
	}
	a := apps[0]
	if a.Name() != "web" || a.Origin != target.OriginAppOfApps || a.Parent != "root" ||
		a.Declared != (finding.Location{File: "charts/apps/templates/web.yaml"}) || a.App.Spec.Destination.Namespace != "web" {
		t.Errorf("app %+v", a)
	}
	if len(probs) != 2 || probs[0].Check != CheckDiscoveryError || probs[1].Check != CheckNotAnalyzed {
		t.Errorf("problems %+v", probs)
	}
}
