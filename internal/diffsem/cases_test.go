package diffsem

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// caseConfig is the optional <case>-config.yaml beside a want file.
type caseConfig struct {
	// Pair names the <pair>-desired.yaml/<pair>-live.yaml to use; default the case.
	Pair              string                               `json:"pair"`
	ArgoCDVersion     string                               `json:"argocdVersion"`
	IgnoreDifferences []v1alpha1.ResourceIgnoreDifferences `json:"ignoreDifferences"`
	ArgoCDCM          map[string]any                       `json:"argocdCM"`
	JQTimeout         string                               `json:"jqTimeout"`
	ServerSideApply   bool                                 `json:"serverSideApply"`
	ServerSideDiff    bool                                 `json:"serverSideDiff"`
}

func readYAML(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// TestCases runs every testdata/<case>-want.txt: the first line is
// "modified", "in-sync" or "error: <substring>", the rest the differing paths.
func TestCases(t *testing.T) {
	wants, err := filepath.Glob("testdata/*-want.txt")
	if err != nil || len(wants) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, wantFile := range wants {
		name := strings.TrimSuffix(filepath.Base(wantFile), "-want.txt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			desired, live, cfg, opts := loadCase(t, name)
			b, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			got := Compare(desired, live, cfg.IgnoreDifferences, opts)
			if e, ok := strings.CutPrefix(lines[0], "error: "); ok {
				if got.Err == nil || !strings.Contains(got.Err.Error(), e) {
					t.Fatalf("Err = %v, want containing %q", got.Err, e)
				}
				return
			}
			if got.Err != nil {
				t.Fatalf("Err = %v", got.Err)
			}
			if want := lines[0] == "modified"; got.Modified != want {
				t.Errorf("Modified = %v, want %v (paths %v)", got.Modified, want, got.Paths)
			}
			if diff := cmp.Diff(lines[1:], got.Paths, cmpEmpty); diff != "" {
				t.Errorf("Paths (-want +got):\n%s", diff)
			}
		})
	}
}

// loadCase reads testdata case name: its config (optional), the desired
// and live objects of its pair, and the Options the config asks for.
func loadCase(t *testing.T, name string) (desired, live map[string]any, cfg caseConfig, opts Options) {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join("testdata", name+"-config.yaml")); err == nil {
		if err := yaml.UnmarshalStrict(b, &cfg); err != nil {
			t.Fatalf("config: %v", err)
		}
	}
	pair := cfg.Pair
	if pair == "" {
		pair = name
	}
	desired = readYAML(t, filepath.Join("testdata", pair+"-desired.yaml"))
	live = readYAML(t, filepath.Join("testdata", pair+"-live.yaml"))
	opts = Options{ArgoCDVersion: cfg.ArgoCDVersion, ServerSideApply: cfg.ServerSideApply, ServerSideDiff: cfg.ServerSideDiff}
	if cfg.JQTimeout != "" {
		d, err := time.ParseDuration(cfg.JQTimeout)
		if err != nil {
			t.Fatal(err)
		}
		opts.JQTimeout = d
	}
	if cfg.ArgoCDCM != nil {
		sr, err := ParseArgoCDConfigMap(cfg.ArgoCDCM)
		if err != nil {
			t.Fatalf("ParseArgoCDConfigMap: %v", err)
		}
		opts.SystemRules = sr
	}
	return desired, live, cfg, opts
}

var cmpEmpty = cmp.Transformer("nilEmpty", func(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
})
