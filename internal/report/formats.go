package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// formats maps a --format name to its reporter. Adding a format is one file,
// one entry here and one golden test.
var formats = map[string]func(Options) Reporter{
	"html":     func(Options) Reporter { return htmlReporter{} },
	"json":     func(Options) Reporter { return jsonReporter{} },
	"markdown": func(Options) Reporter { return markdownReporter{limit: MarkdownLimit} },
	"sarif":    func(Options) Reporter { return sarifReporter{} },
	"text":     func(o Options) Reporter { return textReporter{opts: o} },
}

// Names returns the format names in sorted order, for flag help and
// validation.
func Names() []string {
	return slices.Sorted(maps.Keys(formats))
}

// New returns the reporter for the named format.
func New(name string, opts Options) (Reporter, error) {
	mk, ok := formats[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want one of %s)", name, strings.Join(Names(), ", "))
	}
	return mk(opts), nil
}
