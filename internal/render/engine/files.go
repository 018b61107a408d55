package engine

import (
	"encoding/base64"
	"path"
	"strings"

	"github.com/gobwas/glob"
	"helm.sh/helm/v3/pkg/chart"
)

// files is a chart's non-template files as templates see them under
// `.Files` (helm pkg/engine files.go): a map from chart-relative name to
// content, so `index .Files "x"` works, with the methods below.
type files map[string][]byte

func newFiles(from []*chart.File) files {
	out := make(files, len(from))
	for _, f := range from {
		out[f.Name] = f.Data
	}
	return out
}

// GetBytes returns a file's content, empty when there is no such file.
func (f files) GetBytes(name string) []byte {
	if b, ok := f[name]; ok {
		return b
	}
	return []byte{}
}

// Get returns a file's content as a string.
func (f files) Get(name string) string { return string(f.GetBytes(name)) }

// Glob returns the files whose name matches pattern ('/' separates path
// segments); a pattern that does not compile matches everything.
func (f files) Glob(pattern string) files {
	g, err := glob.Compile(pattern, '/')
	if err != nil {
		g, _ = glob.Compile("**")
	}
	out := newFiles(nil)
	for name, b := range f {
		if g.Match(name) {
			out[name] = b
		}
	}
	return out
}

// AsConfig renders the files as a YAML map from base name to content, for
// a ConfigMap's data.
func (f files) AsConfig() string {
	if f == nil {
		return ""
	}
	m := make(map[string]string, len(f))
	for name, b := range f {
		m[path.Base(name)] = string(b)
	}
	return toYAML(m)
}

// AsSecrets renders the files as a YAML map from base name to base64
// content, for a Secret's data.
func (f files) AsSecrets() string {
	if f == nil {
		return ""
	}
	m := make(map[string]string, len(f))
	for name, b := range f {
		m[path.Base(name)] = base64.StdEncoding.EncodeToString(b)
	}
	return toYAML(m)
}

// Lines splits a file into lines, without a final empty line.
func (f files) Lines(name string) []string {
	if f == nil || len(f[name]) == 0 {
		return []string{}
	}
	s := strings.TrimSuffix(string(f[name]), "\n")
	return strings.Split(s, "\n")
}
