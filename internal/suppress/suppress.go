package suppress

import (
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// FileSource returns the bytes of a checkout-relative file.
type FileSource interface {
	ReadFile(rel string) ([]byte, error)
}

// AppIgnore is the syncdoctor.io/ignore annotation of one Application: its
// checks are suppressed for every finding of that app.
type AppIgnore struct {
	App    string
	Checks []string
	Reason string
}

// Options are the suppressions of one run. The zero value suppresses
// nothing.
type Options struct {
	// Files reads the files findings point at, for inline directives; nil
	// disables inline suppression.
	Files FileSource
	// IgnorePaths are .syncdoctor.yaml's ignorePaths globs (doublestar,
	// relative to the checkout root, as discovery matches them).
	IgnorePaths []string
	// Apps are the annotation suppressions, by Application name.
	Apps []AppIgnore
	// Baseline, when set, suppresses findings whose fingerprint it holds.
	Baseline *Baseline
}

// Reason says why a finding was suppressed.
type Reason string

// The kinds of suppression, in the order they are tried.
const (
	ByPath       Reason = "ignorePaths"
	ByComment    Reason = "comment"
	ByAnnotation Reason = "annotation"
	ByBaseline   Reason = "baseline"
)

// Suppressed is a finding that a suppression removed.
type Suppressed struct {
	Finding finding.Finding
	By      Reason
}

// Apply splits findings into those kept and those suppressed, keeping the
// order of each. A finding of no file is never path- or comment-suppressed.
func Apply(findings []finding.Finding, opts Options) (kept []finding.Finding, suppressed []Suppressed) {
	directives := map[string][]Directive{}
	for _, f := range findings {
		by, ok := opts.match(&f, directives)
		if ok {
			suppressed = append(suppressed, Suppressed{Finding: f, By: by})
			continue
		}
		kept = append(kept, f)
	}
	return kept, suppressed
}

func (o Options) match(f *finding.Finding, directives map[string][]Directive) (Reason, bool) {
	if file := f.Location.File; file != "" {
		if PathIgnored(o.IgnorePaths, file) {
			return ByPath, true
		}
		if o.Files != nil && f.Location.Line > 0 {
			ds, ok := directives[file]
			if !ok {
				if data, err := o.Files.ReadFile(file); err == nil {
					ds = Parse(data)
				}
				directives[file] = ds
			}
			for _, d := range ds {
				if d.Covers(f.Check, f.Location.Line) {
					return ByComment, true
				}
			}
		}
	}
	for _, a := range o.Apps {
		if a.App == f.App && f.App != "" {
			for _, c := range a.Checks {
				if c == f.Check {
					return ByAnnotation, true
				}
			}
		}
	}
	if o.Baseline.Has(f) {
		return ByBaseline, true
	}
	return "", false
}

// PathIgnored reports whether a checkout-relative file matches one of the
// ignorePaths globs, the way discovery skips them (a glob naming a
// directory covers everything below it).
func PathIgnored(globs []string, file string) bool {
	for _, g := range globs {
		g = strings.TrimPrefix(g, "./")
		if ok, _ := doublestar.Match(g, file); ok {
			return true
		}
		// "vendor" or "vendor/" names a directory and everything below.
		if dir := strings.TrimSuffix(g, "/"); dir != "" && !strings.ContainsAny(dir, "*?[{") && strings.HasPrefix(file, dir+"/") {
			return true
		}
		// "charts/*" names directories too: match every leading directory.
		for i := strings.IndexByte(file, '/'); i > 0; i = next(file, i) {
			if ok, _ := doublestar.Match(g, file[:i]); ok {
				return true
			}
		}
	}
	return false
}

func next(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '/')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}
