package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

// buildResult assembles what reporters see.
func buildResult(ctx context.Context, opts Options, root string, rendered []*check.Rendered, findings []finding.Finding) *report.Result {
	res := &report.Result{
		SchemaVersion: report.SchemaVersion,
		Tool:          opts.Tool,
		Root:          root,
		GeneratedAt:   opts.GeneratedAt,
		Checks:        CheckInfos(),
		Findings:      findings,
	}
	for _, r := range rendered {
		t := r.Target
		ts := report.TargetSummary{
			App: t.App.Name(), Env: t.Env, Chart: t.Dir, ValueFiles: t.ValueFiles, Objects: len(r.Objects),
		}
		if ts.Chart == "" {
			ts.Chart = strings.TrimSuffix(t.Source.RepoURL+"/"+t.Source.Chart, "/")
		}
		if r.Err != nil {
			ts.Error = strings.ReplaceAll(r.Err.Error(), root+string(filepath.Separator), "")
		}
		ts.Series = hpaSeries(ctx, r)
		res.Targets = append(res.Targets, ts)
	}
	return res
}

// CheckInfos copies the registry into report form, so report never
// imports check.
func CheckInfos() []report.CheckInfo {
	var out []report.CheckInfo
	for _, c := range check.All() {
		out = append(out, report.CheckInfo{
			ID: c.ID, Summary: c.Summary, Doc: c.Doc, Severity: c.Severity,
			HelpURI: "https://github.com/syncdoctor/syncdoctor/blob/main/docs/checks.md#" + c.ID,
		})
	}
	return out
}

// fileCache serves checkout files to checks, reading each once and never
// outside the root.
type fileCache struct {
	root string
	mu   sync.Mutex
	data map[string][]byte
}

func newFileCache(root string) *fileCache {
	return &fileCache{root: root, data: map[string][]byte{}}
}

// ReadFile returns the bytes of a checkout-relative file.
func (c *fileCache) ReadFile(rel string) ([]byte, error) {
	c.mu.Lock()
	b, ok := c.data[rel]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	p := filepath.Join(c.root, filepath.FromSlash(rel))
	if r, err := filepath.Rel(c.root, p); err != nil || strings.HasPrefix(r, "..") {
		return nil, os.ErrNotExist
	}
	// Read without the lock: checks on other cores read other files.
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.data[rel] = b
	c.mu.Unlock()
	return b, nil
}

// seed adds files already read (the chart files the renderer loaded).
func (c *fileCache) seed(rel string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.data[rel]; !ok {
		c.data[rel] = data
	}
}
