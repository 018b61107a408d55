package livetest

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// installHint is the command that provides the binaries Start needs.
const installHint = "scripts/install-test-assets (or scripts/test, which runs it)"

// assetsDir returns the directory holding kube-apiserver and etcd:
// $KUBEBUILDER_ASSETS when set, else the newest envtest/<version> directory
// in the cache scripts/install-test-assets fills
// (${SYNCDOCTOR_CACHE:-$HOME/.cache/syncdoctor}). When neither has both
// binaries the test is skipped, or failed under CI.
func assetsDir(t *testing.T) string {
	t.Helper()
	var candidates []string
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		candidates = []string{dir}
	} else {
		candidates = cachedAssetDirs()
	}
	for _, dir := range candidates {
		if hasBinaries(dir) {
			return dir
		}
	}
	msg := "livetest: no kube-apiserver and etcd found (KUBEBUILDER_ASSETS or the syncdoctor cache); run " + installHint
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// cachedAssetDirs lists the cache's envtest directories, preferred first:
// $SYNCDOCTOR_K8S_VERSION's when set, then the others newest first.
func cachedAssetDirs() []string {
	root := os.Getenv("SYNCDOCTOR_CACHE")
	if root == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil
		}
		root = filepath.Join(home, ".cache", "syncdoctor")
	}
	var dirs []string
	if v := os.Getenv("SYNCDOCTOR_K8S_VERSION"); v != "" {
		dirs = append(dirs, filepath.Join(root, "envtest", v))
	}
	found, _ := filepath.Glob(filepath.Join(root, "envtest", "v*"))
	// Lexical order is good enough to prefer newer releases: the
	// directories are all v1.NN.x.
	sort.Sort(sort.Reverse(sort.StringSlice(found)))
	return append(dirs, found...)
}

// hasBinaries reports whether dir holds executable kube-apiserver and etcd.
func hasBinaries(dir string) bool {
	for _, name := range []string{"kube-apiserver", "etcd"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}
