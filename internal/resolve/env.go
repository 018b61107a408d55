package resolve

import (
	"path"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/syncdoctor/syncdoctor/internal/config"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// wellKnownEnvs are directory or file names that name an environment by
// themselves, used when a chart has a single Application and nothing
// differs between siblings.
var wellKnownEnvs = map[string]bool{
	"dev": true, "develop": true, "development": true, "test": true, "testing": true,
	"qa": true, "int": true, "integration": true, "stage": true, "staging": true,
	"uat": true, "preprod": true, "pre-prod": true, "prod": true, "production": true,
	"sandbox": true, "demo": true, "perf": true, "live": true,
}

// NameEnvironments sets Target.Env for every Target, in this order:
//  1. the first .syncdoctor.yaml environment whose globs match the
//     Application's file or one of the Target's value files;
//  2. among Targets of the same source directory, the path segment of the
//     Application file, or the value file name, that differs between them
//     (apps/prod/x.yaml → prod, environments/prod.yaml → prod);
//  3. a well-known environment name in the Application's path or value files;
//  4. the destination namespace, and failing that "default".
func NameEnvironments(ts []*target.Target, cfg *config.Config) {
	groups := map[string][]*target.Target{}
	for _, t := range ts {
		if t.Env = fromConfig(t, cfg); t.Env == "" {
			key := t.Dir + "\x00" + t.Source.RepoURL + "\x00" + t.Source.Chart
			groups[key] = append(groups[key], t)
		}
	}
	for _, g := range groups {
		if len(g) > 1 {
			nameByDifference(g)
		}
		for _, t := range g {
			if t.Env == "" {
				t.Env = wellKnown(t)
			}
			if t.Env == "" {
				t.Env = t.App.App.Spec.Destination.Namespace
			}
			if t.Env == "" {
				t.Env = "default"
			}
		}
	}
}

func fromConfig(t *target.Target, cfg *config.Config) string {
	if cfg == nil {
		return ""
	}
	candidates := append([]string{t.App.Declared.File}, t.ValueFiles...)
	for _, e := range cfg.Environments {
		for _, glob := range e.Match {
			for _, c := range candidates {
				if ok, _ := doublestar.Match(glob, c); ok && c != "" {
					return e.Name
				}
			}
		}
	}
	return ""
}

// nameByDifference names each Target of a group by what sets it apart
// from its siblings: first the Application file path, then value files.
func nameByDifference(g []*target.Target) {
	files := make([]string, len(g))
	for i, t := range g {
		files[i] = t.App.Declared.File
	}
	if names := differingSegment(files); names != nil {
		for i, t := range g {
			t.Env = names[i]
		}
		return
	}
	for i, t := range g {
		if name := uniqueValueFile(t, g); name != "" {
			g[i].Env = name
		}
	}
}

// differingSegment returns, for paths of the same depth, the stem of the
// first segment that differs and is distinct for every path; nil if none.
func differingSegment(paths []string) []string {
	split := make([][]string, len(paths))
	for i, p := range paths {
		if p == "" {
			return nil
		}
		split[i] = strings.Split(p, "/")
		if len(split[i]) != len(split[0]) {
			return nil
		}
	}
	for seg := range split[0] {
		names := make([]string, len(paths))
		seen := map[string]bool{}
		for i := range split {
			names[i] = envToken(stem(split[i][seg]))
			seen[names[i]] = true
		}
		if len(seen) == len(paths) {
			return names
		}
	}
	return nil
}

// uniqueValueFile names t by the one value file no sibling loads, using
// its stem or, for files all called values.yaml, its directory.
func uniqueValueFile(t *target.Target, g []*target.Target) string {
	for _, vf := range slices.Backward(t.ValueFiles) {
		shared := false
		for _, o := range g {
			if o != t && slices.Contains(o.ValueFiles, vf) {
				shared = true
			}
		}
		if shared {
			continue
		}
		if s := stem(path.Base(vf)); s != "values" {
			return strings.TrimPrefix(s, "values-")
		}
		return path.Base(path.Dir(vf))
	}
	return ""
}

func wellKnown(t *target.Target) string {
	candidates := append([]string{t.App.Declared.File}, t.ValueFiles...)
	for _, c := range candidates {
		for _, seg := range strings.Split(c, "/") {
			s := strings.TrimPrefix(stem(seg), "values-")
			if wellKnownEnvs[s] {
				return s
			}
		}
	}
	return ""
}

// envToken returns the well-known environment name inside a file or
// directory stem ("auth-prod" → "prod"), or the stem itself.
func envToken(s string) string {
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		if wellKnownEnvs[tok] {
			return tok
		}
	}
	return s
}

func stem(name string) string {
	if i := strings.LastIndex(name, "."); i > 0 {
		return name[:i]
	}
	return name
}
