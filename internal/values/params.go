package values

import (
	"fmt"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"helm.sh/helm/v3/pkg/strvals"
)

// SetParameters applies an Application's helm.parameters to base as the
// `helm template` ArgoCD runs does: every --set (helm applies them first),
// then every --set-string (forceString), each value escaped as ArgoCD
// escapes it (EscapeSetValue). The error of a parameter that does not
// parse names it.
func SetParameters(base map[string]any, params []v1alpha1.HelmParameter) error {
	for _, forceString := range []bool{false, true} {
		for _, p := range params {
			if p.ForceString != forceString {
				continue
			}
			set := strvals.ParseInto
			if forceString {
				set = strvals.ParseIntoString
			}
			if err := set(p.Name+"="+EscapeSetValue(p.Value), base); err != nil {
				return fmt.Errorf("parameter %s: %w", p.Name, err)
			}
		}
	}
	return nil
}

// EscapeSetValue mirrors argo-cd util/helm/cmd.go cleanSetParameters:
// commas not already escaped are escaped so a value is one value, except
// for `{a,b}` list syntax.
func EscapeSetValue(v string) string {
	if strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}") {
		return v
	}
	var b strings.Builder
	var prev rune
	for _, c := range v {
		if c == ',' && prev != '\\' {
			b.WriteString(`\,`)
		} else {
			b.WriteRune(c)
		}
		prev = c
	}
	return b.String()
}
