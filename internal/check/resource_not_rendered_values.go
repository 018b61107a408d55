package check

import (
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// rnrOrigin says where the value at p (root-chart coordinates) comes
// from: user is true when the Application's own values set it (a value
// file, inline helm values or parameters); otherwise loc is the chart's
// values.yaml key, or zero when unset. The explicit switch-off rule of
// resource-not-rendered depends on user.
func rnrOrigin(in *Input, r *Rendered, p values.Path) (loc finding.Location, user bool) {
	layer, loc := valueOrigin(in, r, p)
	if layer != nil {
		return loc, true
	}
	if _, ok := values.Lookup(r.Values, p); ok {
		// Set by the user through a source no layer models
		// (fileParameters): the Application is where it is declared.
		return r.Target.App.Declared, true
	}
	return loc, false
}
