package suppress

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = 1

// Baseline is a set of finding fingerprints (finding.Fingerprint, which
// leaves out line numbers) recorded when syncdoctor was adopted, so that
// existing debt does not fail the build while new findings do.
type Baseline struct {
	set map[string]bool
}

// baselineFile is the JSON form: a version and sorted fingerprints, each
// with the check ID so that a reviewer can tell what was accepted.
type baselineFile struct {
	Version  int             `json:"version"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Check       string `json:"check"`
	App         string `json:"app,omitempty"`
	Env         string `json:"env,omitempty"`
	File        string `json:"file,omitempty"`
}

// Has reports whether f is in the baseline; a nil Baseline holds nothing.
func (b *Baseline) Has(f *finding.Finding) bool {
	return b != nil && b.set[f.Fingerprint()]
}

// Len is the number of fingerprints in the baseline.
func (b *Baseline) Len() int {
	if b == nil {
		return 0
	}
	return len(b.set)
}

// ReadBaseline decodes a baseline file; name is used in errors.
func ReadBaseline(name string, r io.Reader) (*Baseline, error) {
	var bf baselineFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&bf); err != nil {
		return nil, fmt.Errorf("read baseline %s: %w", name, err)
	}
	if bf.Version != BaselineVersion {
		return nil, fmt.Errorf("read baseline %s: version %d, want %d", name, bf.Version, BaselineVersion)
	}
	b := &Baseline{set: map[string]bool{}}
	for _, e := range bf.Findings {
		b.set[e.Fingerprint] = true
	}
	return b, nil
}

// WriteBaseline encodes the fingerprints of findings as a baseline file,
// sorted and deduplicated so the file diffs well.
func WriteBaseline(w io.Writer, findings []finding.Finding) error {
	bf := baselineFile{Version: BaselineVersion, Findings: []baselineEntry{}}
	seen := map[string]bool{}
	for i := range findings {
		f := &findings[i]
		fp := f.Fingerprint()
		if seen[fp] {
			continue
		}
		seen[fp] = true
		bf.Findings = append(bf.Findings, baselineEntry{Fingerprint: fp, Check: f.Check, App: f.App, Env: f.Env, File: f.Location.File})
	}
	slices.SortFunc(bf.Findings, func(a, b baselineEntry) int {
		return cmp.Or(strings.Compare(a.File, b.File), strings.Compare(a.Check, b.Check), strings.Compare(a.Fingerprint, b.Fingerprint))
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(bf); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}
