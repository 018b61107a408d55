// Package config reads .syncdoctor.yaml: how repoURLs map to the checkout,
// how environments are named, charts rendered without an Application, and
// per-check policy. Decoding is strict so a typo is an error with file:line,
// not a silently ignored setting.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// FileName is the configuration file looked up at the checkout root.
const FileName = ".syncdoctor.yaml"

// Config is the parsed .syncdoctor.yaml. The zero value is the default
// configuration.
type Config struct {
	// Repos maps repository URLs (as Applications spell them) to
	// checkout-relative directories.
	Repos []Repo `yaml:"repos"`
	// Environments name Targets by the path of their Application file or
	// of their value files; the first matching entry wins.
	Environments []Environment `yaml:"environments"`
	// Charts are rendered per environment without an Application.
	Charts []Chart `yaml:"charts"`
	// KubeVersion and APIVersions are the cluster capabilities charts see.
	KubeVersion string   `yaml:"kubeVersion"`
	APIVersions []string `yaml:"apiVersions"`
	// ArgoCDVersion selects the diff semantics ("3.1", "2.14").
	ArgoCDVersion string `yaml:"argocdVersion"`
	// ArgoCDCM is a YAML file (checkout-relative or absolute) holding the
	// argocd-cm ConfigMap whose system-level diff customizations the
	// offline checks apply; `check --argocd-cm` replaces it. A file in the
	// checkout that no Application renders is read only when named here:
	// guessing would pick up examples, backups or another cluster's copy.
	ArgoCDCM string `yaml:"argocdCM"`
	// Checks holds per-check policy, keyed by check ID.
	Checks map[string]CheckConfig `yaml:"checks"`
	// IgnorePaths are globs of checkout paths never walked.
	IgnorePaths []string `yaml:"ignorePaths"`

	// File is where the configuration was read from ("" for defaults).
	File string `yaml:"-"`
	// Lines maps top-level and check keys to their line, for findings
	// about the configuration itself.
	Lines map[string]int `yaml:"-"`
}

// Repo maps one repository URL to a directory of the checkout.
type Repo struct {
	URL string `yaml:"url"`
	Dir string `yaml:"dir"`
}

// Environment names the Targets whose Application file or value files
// match one of the globs.
type Environment struct {
	Name  string   `yaml:"name"`
	Match []string `yaml:"match"`
}

// Chart is a chart rendered without an Application: one Target per
// environment with the listed value files (relative to the chart).
type Chart struct {
	Dir          string              `yaml:"dir"`
	ReleaseName  string              `yaml:"releaseName"`
	Namespace    string              `yaml:"namespace"`
	Environments map[string][]string `yaml:"environments"`
}

// CheckConfig is the policy for one check.
type CheckConfig struct {
	Disabled bool              `yaml:"disabled"`
	Severity *finding.Severity `yaml:"severity"`
	Options  map[string]string `yaml:"options"`
}

// Load reads FileName from root. A missing file is the default
// configuration; a broken one is an error naming file:line.
func Load(root string) (*Config, error) {
	p := filepath.Join(root, FileName)
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return &Config{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", FileName, err)
	}
	return Parse(FileName, data)
}

// Parse decodes configuration bytes; name is used in error messages.
func Parse(name string, data []byte) (*Config, error) {
	c := &Config{File: name, Lines: map[string]int{}}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", yamlErrorPrefix(name, err), err)
	}
	c.File, c.Lines = name, topLevelLines(data)
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

func (c *Config) validate() error {
	var errs []error
	for i, r := range c.Repos {
		if r.URL == "" {
			errs = append(errs, fmt.Errorf("repos[%d]: url is required", i))
		}
	}
	for i, e := range c.Environments {
		if e.Name == "" || len(e.Match) == 0 {
			errs = append(errs, fmt.Errorf("environments[%d]: name and match are required", i))
		}
	}
	for i, ch := range c.Charts {
		if ch.Dir == "" || len(ch.Environments) == 0 {
			errs = append(errs, fmt.Errorf("charts[%d]: dir and environments are required", i))
		}
	}
	return errors.Join(errs...)
}

// Check returns the policy of one check (the zero value when unset).
func (c *Config) Check(id string) CheckConfig { return c.Checks[id] }

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlErrorPrefix turns yaml.v3's "yaml: line N: ..." into "file:N" so
// editors can jump to it; yaml.v3 reports lines only inside the message
// (gopkg.in/yaml.v3 decode.go/yaml.go: "line %d: ...").
func yamlErrorPrefix(name string, err error) string {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			return fmt.Sprintf("%s:%d", name, n)
		}
	}
	return name
}

func topLevelLines(data []byte) map[string]int {
	out := map[string]int{}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return out
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		out[m.Content[i].Value] = m.Content[i].Line
		if m.Content[i].Value == "checks" && m.Content[i+1].Kind == yaml.MappingNode {
			cm := m.Content[i+1]
			for j := 0; j+1 < len(cm.Content); j += 2 {
				out["checks."+cm.Content[j].Value] = cm.Content[j].Line
			}
		}
	}
	return out
}
