package discover

import (
	"fmt"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// FromObjects turns the rendered output of an app-of-apps parent into its
// child Applications (origin app-of-apps, Parent = parent, Declared = the
// object's provenance). Objects of other kinds are ignored; an
// Application that does not decode is a discovery-error and a rendered
// ApplicationSet is reported as not analyzed, since its generators are not
// expanded here.
func FromObjects(objs []*manifest.Object, parent string) ([]*target.Application, []finding.Finding) {
	var apps []*target.Application
	var probs []finding.Finding
	for _, o := range objs {
		if o == nil || manifest.GetString(o.Content, "apiVersion") != argoAPIVersion {
			continue
		}
		name := manifest.GetString(o.Content, "metadata", "name")
		switch manifest.GetString(o.Content, "kind") {
		case kindApplication:
		case kindApplicationSet:
			f := problem(CheckNotAnalyzed, finding.Info, o.Location(),
				"ApplicationSet %q rendered by %q is not expanded; its Applications are not analyzed", name, parent)
			f.App = parent
			probs = append(probs, f)
			continue
		default:
			continue
		}
		var app v1alpha1.Application
		if err := decodeJSON(o.Content, &app); err != nil {
			f := problem(CheckDiscoveryError, finding.Error, o.Location(),
				"Application %q rendered by %q cannot be decoded: %s", name, parent, fmt.Sprint(err))
			f.App = name
			probs = append(probs, f)
			continue
		}
		apps = append(apps, &target.Application{
			App:      &app,
			Declared: o.Location(),
			Origin:   target.OriginAppOfApps,
			Parent:   parent,
			DocIndex: o.Doc,
		})
	}
	return apps, finding.SortAndDedupe(probs)
}
