package cli

import (
	"bytes"
	"fmt"
	"os"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/pipeline"
	"github.com/syncdoctor/syncdoctor/internal/suppress"
)

// readBaseline loads --baseline; "" means none.
func readBaseline(path string) (*suppress.Baseline, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	defer f.Close()
	return suppress.ReadBaseline(path, f)
}

// writeBaseline writes --write-baseline: every finding still open plus
// those the current baseline suppressed, so rewriting a baseline never
// forgets accepted debt. Findings suppressed by comments, annotations or
// ignorePaths stay out: they are suppressed already.
func writeBaseline(path string, run *pipeline.Run) error {
	if path == "" {
		return nil
	}
	fs := append([]finding.Finding(nil), run.Result.Findings...)
	for _, s := range run.Suppressed {
		if s.By == suppress.ByBaseline {
			fs = append(fs, s.Finding)
		}
	}
	var buf bytes.Buffer
	if err := suppress.WriteBaseline(&buf, fs); err != nil {
		return err
	}
	return writeFileAtomic(path, buf.Bytes())
}
