package kubei18n_test

import (
	"testing"

	"github.com/chai2010/gettext-go"

	_ "github.com/syncdoctor/syncdoctor/internal/kubei18n"

	// A kubectl command package whose variables call i18n.T at start-up,
	// as those ArgoCD's diff packages import do. An external test package:
	// kubei18n itself must not depend on it, as in the binary.
	_ "k8s.io/kubectl/pkg/cmd/apiresources"
)

// TestTranslationsNotLoaded proves kubei18n's init ran before the
// kubectl package's i18n.T calls: kubectl's catalogue, had it been loaded,
// would have made "k8s" the gettext domain.
func TestTranslationsNotLoaded(t *testing.T) {
	if d := gettext.SetDomain(""); d == "k8s" {
		t.Fatalf("kubectl's translations were loaded (gettext domain %q)", d)
	}
}
