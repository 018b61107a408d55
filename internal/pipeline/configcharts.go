package pipeline

import (
	"context"
	"path"
	"slices"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// configTargets renders the charts .syncdoctor.yaml lists without an
// Application: one Target per environment, value files relative to the
// chart as in an Application's valueFiles.
func (s *state) configTargets(ctx context.Context) []*check.Rendered {
	var out []*check.Rendered
	for i, ch := range s.cfg.Charts {
		name := ch.ReleaseName
		if name == "" {
			name = path.Base(ch.Dir)
		}
		app := &target.Application{
			App: &v1alpha1.Application{
				ObjectMeta: metav1.ObjectMeta{Name: name},
				Spec: v1alpha1.ApplicationSpec{
					Source:      &v1alpha1.ApplicationSource{Path: ch.Dir},
					Destination: v1alpha1.ApplicationDestination{Namespace: ch.Namespace},
				},
			},
			Declared: finding.Location{File: s.cfg.File, Line: s.cfg.Lines["charts"]},
			Origin:   target.OriginConfig,
			DocIndex: i,
		}
		s.apps = append(s.apps, app)
		envs := make([]string, 0, len(ch.Environments))
		for env := range ch.Environments {
			envs = append(envs, env)
		}
		slices.Sort(envs)
		for _, env := range envs {
			t := &target.Target{
				App: app, Env: env, Source: *app.App.Spec.Source, Kind: target.SourceHelm,
				Dir: path.Clean(ch.Dir), ReleaseName: name, Namespace: ch.Namespace,
				KubeVersion: s.kube, APIVersions: s.apiVersions,
			}
			for _, vf := range ch.Environments[env] {
				t.ValueFiles = append(t.ValueFiles, path.Join(t.Dir, vf))
			}
			out = append(out, s.renderOne(ctx, t))
		}
	}
	return out
}
