// Package helmcli runs the real `helm` CLI for differential tests: the
// in-process render must equal `helm template` of the same Helm version.
// It is test support only; nothing in the product calls helm.
package helmcli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// Version is the Helm release the SDK in go.mod is, and the CLI must be.
const Version = "v3.22.0"

// Binary finds the helm CLI built by scripts/install-test-assets: from
// SYNCDOCTOR_HELM_BIN, else the default cache. Missing, it fails the test
// under CI and skips it elsewhere.
func Binary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("SYNCDOCTOR_HELM_BIN")
	if bin == "" {
		home, _ := os.UserHomeDir()
		bin = filepath.Join(home, ".cache", "syncdoctor", "tools", "helm-"+Version, "helm")
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("helm CLI not found at %s (set SYNCDOCTOR_HELM_BIN or run scripts/install-test-assets)", bin)
		}
		t.Skipf("helm CLI not found at %s; run scripts/install-test-assets", bin)
	}
	return bin
}

// Run runs helm with args in dir, with private cache, config and data
// directories so no user or machine state leaks in, and returns stdout.
func Run(t testing.TB, bin, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+home, "HELM_CONFIG_HOME="+home, "HELM_DATA_HOME="+home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("helm %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out), nil
}

var sourceLine = regexp.MustCompile(`(?m)^# Source: (.+)$`)

// Docs parses `helm template` output into documents keyed "source#n" (the
// n-th non-empty document of that `# Source:`), decoded as JSON values. It
// is written independently of internal/render so the comparison does not
// share the code under test.
func Docs(out string) (map[string]any, error) {
	docs := map[string]any{}
	count := map[string]int{}
	for _, chunk := range strings.Split("\n"+out, "\n---") {
		chunk = strings.TrimPrefix(chunk, "\n")
		if strings.TrimSpace(chunk) == "" {
			continue
		}
		m := sourceLine.FindStringSubmatch(chunk)
		if m == nil {
			return nil, fmt.Errorf("document without # Source: %q", firstLine(chunk))
		}
		var v any
		if err := yaml.Unmarshal([]byte(chunk), &v); err != nil {
			return nil, fmt.Errorf("%s: %w", m[1], err)
		}
		if v == nil {
			continue // a template that rendered only whitespace or comments
		}
		docs[fmt.Sprintf("%s#%d", m[1], count[m[1]])] = v
		count[m[1]]++
	}
	return docs, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// Normal round-trips v through JSON so both sides of a comparison use the
// same number types (our objects keep YAML's int64, the reference parser
// gives float64): two documents are equal exactly when their JSON is.
func Normal(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("unmarshalable: %v", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Sprintf("unmarshalable: %v", err)
	}
	return out
}
