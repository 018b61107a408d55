// Package discover finds every ArgoCD Application declared in a checkout, as
// ArgoCD itself would understand it, and remembers where each was declared:
// plain YAML and JSON manifests, ApplicationSets whose list and git
// generators can be expanded offline, and Terraform kubernetes_manifest
// resources. Trouble with the user's files becomes a Problem (a finding),
// never an error: Discover fails only when the checkout cannot be read.
package discover

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// The checks of the problems discovery reports.
const (
	// CheckDiscoveryError marks a declaration that ArgoCD (or Terraform)
	// would reject or that cannot be read: a YAML or HCL syntax error, an
	// Application with fields of the wrong type.
	CheckDiscoveryError = "discovery-error"
	// CheckNotAnalyzed marks something syncdoctor saw but could not follow
	// offline: a cluster generator, an unknown Terraform variable.
	CheckNotAnalyzed = "not-analyzed"
)

// DefaultMaxFileSize is the largest manifest file Discover reads when
// Options.MaxFileSize is zero.
const DefaultMaxFileSize = 10 << 20

// Options say what to scan.
type Options struct {
	// Root is the checkout root (absolute); all Locations are relative to
	// it, slash-separated.
	Root string
	// Exclude lists doublestar globs of checkout-relative paths to skip
	// ("vendor/**", "**/testdata/**").
	Exclude []string
	// LocalDir maps an ApplicationSet git generator's repoURL to a
	// checkout-relative directory ("" for the root), or reports false when
	// the repository is not this checkout. Nil means no repository is.
	LocalDir func(repoURL string) (dir string, ok bool)
	// NewGitFileGlobbing matches git files generator paths with doublestar
	// globs, as ArgoCD does when the applicationset controller runs with
	// --enable-new-git-file-globbing; by default ArgoCD uses git pathspecs,
	// where '*' also matches '/'.
	NewGitFileGlobbing bool
	// MaxFileSize caps the size of a file read (DefaultMaxFileSize if 0).
	MaxFileSize int64
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// Result is what Discover found.
type Result struct {
	// Apps are sorted by declaring file, line and column; Applications
	// generated at the same place keep the generator's order.
	Apps []*target.Application
	// Problems are discovery-error (Error) and not-analyzed (Info) findings,
	// each at a file:line, sorted and deduplicated.
	Problems []finding.Finding
}

// Discover walks opts.Root and returns every Application found. The error is
// non-nil only when Root cannot be read or ctx is cancelled.
func Discover(ctx context.Context, opts Options) (*Result, error) {
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, fmt.Errorf("discover: checkout root %q: %w", opts.Root, err)
	}
	d := &discoverer{opts: opts, root: root, log: opts.Logger, tfConsumed: map[string]bool{}}
	if d.log == nil {
		d.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.opts.MaxFileSize <= 0 {
		d.opts.MaxFileSize = DefaultMaxFileSize
	}
	if err := d.walk(ctx); err != nil {
		return nil, err
	}
	d.terraform()
	// An Application file that Terraform applies is declared by the
	// resource, not a second time by the file.
	d.apps = slices.DeleteFunc(d.apps, func(a *target.Application) bool {
		return a.Origin == target.OriginYAML && d.tfConsumed[a.Declared.File]
	})
	sortApps(d.apps)
	return &Result{Apps: d.apps, Problems: finding.SortAndDedupe(d.problems)}, nil
}

// discoverer carries one Discover run's state.
type discoverer struct {
	opts     Options
	root     string
	log      *slog.Logger
	apps     []*target.Application
	problems []finding.Finding
	// tfDirs are the checkout-relative directories holding *.tf files, in
	// walk order; each is one Terraform module.
	tfDirs []string
	// tfConsumed are manifest files a kubernetes_manifest reads through
	// yamldecode(file()): the Terraform resource is their declaration.
	tfConsumed map[string]bool
}

func (d *discoverer) errorf(loc finding.Location, format string, args ...any) {
	d.problems = append(d.problems, problem(CheckDiscoveryError, finding.Error, loc, format, args...))
}

func (d *discoverer) skipped(loc finding.Location, format string, args ...any) {
	d.problems = append(d.problems, problem(CheckNotAnalyzed, finding.Info, loc, format, args...))
}

func problem(check string, sev finding.Severity, loc finding.Location, format string, args ...any) finding.Finding {
	return finding.Finding{Check: check, Severity: sev, Location: loc, Message: fmt.Sprintf(format, args...)}
}

func sortApps(apps []*target.Application) {
	slices.SortStableFunc(apps, func(a, b *target.Application) int {
		return cmp.Or(
			cmp.Compare(a.Declared.File, b.Declared.File),
			cmp.Compare(a.Declared.Line, b.Declared.Line),
			cmp.Compare(a.Declared.Column, b.Declared.Column),
		)
	})
}
