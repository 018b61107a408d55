// Package check holds every diagnosis syncdoctor makes. Each check is a
// *Check value declared in its own file and registered there; checks are
// pure functions of an *Input: they never print, exit, read the clock or
// touch the filesystem.
package check

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Mode says where a check runs.
type Mode int

// The modes, as a bit set.
const (
	Offline Mode = 1 << iota
	Live
)

// Check describes one diagnosis syncdoctor can make.
type Check struct {
	ID       string           // kebab-case noun phrase naming the defect
	Summary  string           // ≤ 60 chars, starts lower case (proper names keep their case), no period
	Doc      string           // Markdown: what, why, how to fix, upstream refs
	Severity finding.Severity // default; .syncdoctor.yaml may override
	Modes    Mode
	Run      func(ctx context.Context, in *Input) []finding.Finding
}

var registry = map[string]*Check{}

// register records a check; Validate reports problems instead of init
// panicking.
func register(c *Check) {
	if _, dup := registry[c.ID]; dup {
		registry[c.ID+" (duplicate)"] = c
		return
	}
	registry[c.ID] = c
}

// All returns every registered check sorted by ID.
func All() []*Check {
	out := make([]*Check, 0, len(registry))
	for _, c := range registry {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Check) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Lookup returns the check with the given ID.
func Lookup(id string) (*Check, bool) {
	c, ok := registry[id]
	return c, ok
}

var (
	idPattern      = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	summaryPattern = regexp.MustCompile(`^[a-z0-9][^\n]*[^.\n]$`)
)

// Validate checks the registry: well-formed unique IDs, summaries and docs,
// a Run function and a severity for each check.
func Validate() error {
	var errs []error
	for key, c := range registry {
		switch {
		case key != c.ID:
			errs = append(errs, fmt.Errorf("check %q registered twice", c.ID))
		case !idPattern.MatchString(c.ID):
			errs = append(errs, fmt.Errorf("check %q: ID must be kebab-case", c.ID))
		}
		if len(c.Summary) > 60 || !summaryPattern.MatchString(c.Summary) {
			errs = append(errs, fmt.Errorf("check %q: summary must be ≤ 60 chars, start lower case and end without a period", c.ID))
		}
		if strings.TrimSpace(c.Doc) == "" {
			errs = append(errs, fmt.Errorf("check %q: empty doc", c.ID))
		}
		if c.Run == nil {
			errs = append(errs, fmt.Errorf("check %q: nil Run", c.ID))
		}
		if c.Severity < finding.Info || c.Severity > finding.Error {
			errs = append(errs, fmt.Errorf("check %q: severity unset", c.ID))
		}
		if c.Modes == 0 {
			errs = append(errs, fmt.Errorf("check %q: no mode", c.ID))
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}
