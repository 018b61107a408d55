package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/syncdoctor/syncdoctor/"

type pkg struct {
	ImportPath string
	Imports    []string
}

// listPackages runs `go list -json ./...` from the module root.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "../../...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// forbidden lists, per package, the direct imports it must not have.
var forbidden = map[string][]string{
	// Checks are pure: no filesystem, processes, network, clock-driven
	// output, and none of the layers above them.
	"internal/check": {"os", "os/exec", "net", "net/http", "internal/cli", "internal/report", "internal/live", "internal/fix", "internal/pipeline", "internal/render", "internal/discover"},
	// Reporters see one Result and nothing of the checks.
	"internal/report": {"internal/check", "internal/pipeline", "internal/render", "internal/cli", "os"},
	// The core vocabulary depends on nothing of ours.
	"internal/finding": {"internal/"},
	"internal/hpa":     {"internal/", "os"},
}

func TestImports(t *testing.T) {
	for _, p := range listPackages(t) {
		rel := strings.TrimPrefix(p.ImportPath, module)
		bans, ok := forbidden[rel]
		if !ok {
			continue
		}
		for _, imp := range p.Imports {
			local := strings.TrimPrefix(imp, module)
			for _, ban := range bans {
				isOurs := strings.HasPrefix(imp, module)
				switch {
				case strings.HasPrefix(ban, "internal/") && isOurs && (local == ban || strings.HasPrefix(local, ban) && strings.HasSuffix(ban, "/")):
					t.Errorf("%s imports %s", rel, local)
				case !strings.HasPrefix(ban, "internal/") && imp == ban:
					t.Errorf("%s imports %s", rel, imp)
				}
			}
		}
	}
}

// TestOnlyMainExits keeps os.Exit in cmd/syncdoctor.
func TestOnlyMainExits(t *testing.T) {
	out, err := exec.Command("grep", "-rln", "--include=*.go", "os.Exit(", "../../internal").Output()
	if err != nil && len(out) == 0 {
		return // grep exits 1 when nothing matches
	}
	for _, f := range strings.Fields(string(out)) {
		if !strings.HasSuffix(f, "_test.go") {
			t.Errorf("%s calls os.Exit; only cmd/syncdoctor may", f)
		}
	}
}
