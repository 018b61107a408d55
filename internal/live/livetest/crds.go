package livetest

import (
	"bytes"
	"encoding/json"
	"github.com/syncdoctor/syncdoctor/internal/testutil/gomod"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const (
	// argoCDModule is the ArgoCD module our go.mod requires; its CRDs
	// are installed at that same version, so the server validates
	// Applications exactly as the types we compile against describe them.
	argoCDModule = "github.com/argoproj/argo-cd/v3"

	// externalSecretsModule is the External Secrets Operator release whose
	// CRDs are installed. ESO is not one of our dependencies, so the
	// version is fixed here: v1.3.2's module zip carries its generated
	// CRDs under config/crds/bases (external-secrets.io/v1 as storage).
	externalSecretsModule = "github.com/external-secrets/external-secrets@v1.3.2"
)

// argoCDCRDs are ArgoCD's own CRD manifests, as shipped in
// manifests/crds/ of the argo-cd repository.
var argoCDCRDs = []string{"application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"}

// crdPaths returns the CRD files Start installs.
func crdPaths(t *testing.T, opts Options) []string {
	t.Helper()
	argo := argoCDDir(t)
	var paths []string
	for _, name := range argoCDCRDs {
		paths = append(paths, filepath.Join(argo, "manifests", "crds", name))
	}
	if !opts.SkipExternalSecrets {
		eso := downloadModule(t, externalSecretsModule)
		found, err := filepath.Glob(filepath.Join(eso, "config", "crds", "bases", "external-secrets.io_*.yaml"))
		if err != nil || len(found) == 0 {
			t.Fatalf("livetest: no external-secrets.io CRDs under %s/config/crds/bases (glob error: %v)", eso, err)
		}
		paths = append(paths, found...)
	}
	return append(paths, opts.CRDPaths...)
}

// argoCDDir returns the module cache directory of the argo-cd version our
// go.mod selects, downloading it when the cache lacks it (a fresh clone).
func argoCDDir(t *testing.T) string {
	t.Helper()
	// Run inside our module (the test's working directory) so the
	// version is the one go.mod selects.
	// -mod=readonly: asking must never rewrite go.mod or go.sum.
	out := runGo(t, "", "-mod=readonly", "list", "-m", "-json", argoCDModule)
	var mod struct {
		Version string
		Dir     string
		Error   *struct{ Err string }
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		t.Fatalf("livetest: decoding go list -m -json %s: %v", argoCDModule, err)
	}
	if mod.Error != nil {
		t.Fatalf("livetest: go list -m %s: %s", argoCDModule, mod.Error.Err)
	}
	if mod.Dir != "" {
		return mod.Dir
	}
	return downloadModule(t, argoCDModule+"@"+mod.Version)
}

// downloadModule returns the module cache directory of modAtVersion
// ("path@version"), fetching it from the module proxy if needed. It runs
// `go mod download` from an empty directory so our go.mod and go.sum are
// never touched; when the module is already in the cache it costs only a
// go command start.
func downloadModule(t *testing.T, modAtVersion string) string {
	t.Helper()
	return gomod.Download(t, modAtVersion)
}

// runGo runs the go command in dir ("" for the current directory) with
// GOFLAGS set to goflags and returns its standard output, failing the test
// with its standard error.
func runGo(t *testing.T, dir, goflags string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	// Our GOFLAGS replace the caller's (a -mod=vendor there would hide
	// the module cache); GOWORK=off keeps a developer's go.work out of
	// the answer.
	cmd.Env = append(os.Environ(), "GOFLAGS="+goflags, "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && len(out) == 0 {
		t.Fatalf("livetest: go %v: %v\n%s", args, err, stderr.String())
	}
	// With -json, go reports per-module errors in the JSON and exits
	// non-zero: the callers read them from there.
	return out
}
