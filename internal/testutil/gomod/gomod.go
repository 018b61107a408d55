// Package gomod fetches Go modules for tests that need files shipped in
// other projects' modules (real charts, real CRDs): the Go module proxy is
// the one registry those tests may use.
package gomod

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
)

// Download returns the module cache directory of modAtVersion
// ("path@version"), fetching it from the module proxy when needed. It runs
// `go mod download` in an empty directory with -mod=mod and GOWORK=off, so
// our go.mod, go.sum and a developer's go.work are never involved; a
// cached module costs one go command start. Any failure fails the test.
func Download(t testing.TB, modAtVersion string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", modAtVersion)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	// With -json, go reports a module's error in the JSON and exits
	// non-zero; read it from there when present.
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); jerr != nil && err == nil {
		err = jerr
	}
	if err != nil || info.Error != "" || info.Dir == "" {
		t.Fatalf("go mod download %s: %v %s %s", modAtVersion, err, info.Error, stderr.String())
	}
	return info.Dir
}
