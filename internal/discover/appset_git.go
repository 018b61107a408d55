package discover

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/argoproj/argo-cd/v3/applicationset/utils"
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/jeremywohl/flatten"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// gitParams follows applicationset/generators/git.go, reading the working
// tree of the checkout instead of the repository at g.Revision.
func (d *discoverer) gitParams(as *appSet, g *v1alpha1.GitGenerator, gpath string) ([]param, *genError) {
	loc := as.loc(gpath)
	dir, ok := "", false
	if d.opts.LocalDir != nil {
		dir, ok = d.opts.LocalDir(g.RepoURL)
	}
	if !ok {
		return nil, &genError{loc: loc, notAnalyzed: true,
			msg: fmt.Sprintf("the git generator reads %s, which is not this checkout; its Applications are not analyzed", g.RepoURL)}
	}
	repo := filepath.Join(d.root, filepath.FromSlash(path.Clean("/"+dir)))
	if !d.insideRoot(repo) {
		return nil, genErrorf(loc, "the git generator's repository maps to %q, outside the checkout", dir)
	}
	d.log.Debug("expanding git generator from the working tree", "repoURL", g.RepoURL, "revision", g.Revision, "dir", dir)
	goTmpl, opts := as.set.Spec.GoTemplate, as.set.Spec.GoTemplateOptions
	switch {
	case len(g.Directories) != 0:
		dirs, err := repoDirectories(repo)
		if err != nil {
			return nil, genErrorf(loc, "listing directories: %v", err)
		}
		var out []param
		for _, a := range filterDirectories(g.Directories, dirs) {
			p := directoryParams(a, g.PathParamPrefix, goTmpl)
			if err := appendValues(g.Values, p, goTmpl, opts); err != nil {
				return nil, genErrorf(loc, "values: %v", err)
			}
			out = append(out, param{values: p, loc: as.templateLoc})
		}
		return out, nil
	case len(g.Files) != 0:
		return d.gitFileParams(as, g, repo, loc)
	}
	return nil, genErrorf(loc, "the git generator has neither directories nor files")
}

// repoDirectories lists every directory of the repository, relative and
// slash-separated, skipping hidden ones, as reposerver's
// GetGitDirectories does by default.
func repoDirectories(repo string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(repo, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() || p == repo {
			return nil
		}
		if strings.HasPrefix(e.Name(), ".") {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(repo, p)
		if err != nil {
			return err
		}
		dirs = append(dirs, filepath.ToSlash(rel))
		return nil
	})
	return dirs, err
}

// filterDirectories keeps paths matched by an include item and by no
// exclude item (git.go, filterApps). Bad patterns match nothing.
func filterDirectories(items []v1alpha1.GitDirectoryGeneratorItem, all []string) []string {
	var out []string
	for _, p := range all {
		in, ex := false, false
		for _, it := range items {
			m, err := path.Match(it.Path, p)
			if err != nil || !m {
				continue
			}
			if it.Exclude {
				ex = true
			} else {
				in = true
			}
		}
		if in && !ex {
			out = append(out, p)
		}
	}
	return out
}

// directoryParams are the parameters of one directory (git.go,
// generateParamsFromApps).
func directoryParams(a, prefix string, goTmpl bool) map[string]any {
	params := map[string]any{}
	if goTmpl {
		pp := map[string]any{
			"path":               a,
			"basename":           path.Base(a),
			"basenameNormalized": utils.SanitizeName(path.Base(a)),
			"segments":           strings.Split(a, "/"),
		}
		if prefix != "" {
			params[prefix] = map[string]any{"path": pp}
		} else {
			params["path"] = pp
		}
		return params
	}
	name := "path"
	if prefix != "" {
		name = prefix + ".path"
	}
	params[name] = a
	params[name+".basename"] = path.Base(a)
	params[name+".basenameNormalized"] = utils.SanitizeName(path.Base(a))
	addSegments(params, name, a)
	return params
}

func addSegments(params map[string]any, name, p string) {
	for i, s := range strings.Split(p, "/") {
		if s != "" {
			params[name+"["+strconv.Itoa(i)+"]"] = s
		}
	}
}

// appendValues renders a generator's values with its parameters and adds
// them as values.KEY (generators/value_interpolation.go).
func appendValues(values map[string]string, params map[string]any, goTmpl bool, opts []string) error {
	tmp := map[string]any{}
	r := utils.Render{}
	for k, v := range values {
		s, err := r.Replace(v, params, goTmpl, opts)
		if err != nil {
			return fmt.Errorf("values.%s: %w", k, err)
		}
		if goTmpl {
			if tmp["values"] == nil {
				tmp["values"] = map[string]string{}
			}
			tmp["values"].(map[string]string)[k] = s
		} else {
			tmp["values."+k] = s
		}
	}
	maps.Copy(params, tmp)
	return nil
}

// gitFileParams follows git.go's generateParamsForGitFiles: files matching
// an include pattern and no exclude pattern, in path order, each giving
// one parameter set per object it holds.
func (d *discoverer) gitFileParams(as *appSet, g *v1alpha1.GitGenerator, repo string, loc finding.Location) ([]param, *genError) {
	all, err := repoFiles(repo)
	if err != nil {
		return nil, genErrorf(loc, "listing files: %v", err)
	}
	match := d.fileMatcher()
	var files []string
	for _, f := range all {
		in, ex := false, false
		for _, it := range g.Files {
			if match(it.Path, f) {
				if it.Exclude {
					ex = true
				} else {
					in = true
				}
			}
		}
		if in && !ex {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	goTmpl, opts := as.set.Spec.GoTemplate, as.set.Spec.GoTemplateOptions
	var out []param
	for _, f := range files {
		abs := filepath.Join(repo, filepath.FromSlash(f))
		floc := finding.Location{File: d.rel(abs), Line: 1}
		if !d.insideRoot(abs) {
			continue // git.go ignores files whose symlinks leave the repository
		}
		data, err := readCapped(abs, d.opts.MaxFileSize)
		if err != nil {
			return nil, genErrorf(floc, "git files generator: %v", err)
		}
		objs, err := paramObjects(data)
		if err != nil {
			floc.Line = yamlErrorLine(err, data)
			return nil, genErrorf(floc, "git files generator: cannot parse %s: %v", f, err)
		}
		for _, obj := range objs {
			p, err := fileParams(obj, f, g.PathParamPrefix, goTmpl)
			if err == nil {
				err = appendValues(g.Values, p, goTmpl, opts)
			}
			if err != nil {
				return nil, genErrorf(floc, "git files generator: %v", err)
			}
			out = append(out, param{values: p, loc: as.templateLoc})
		}
	}
	return out, nil
}

// paramObjects parses a params file as one object or a list of objects.
func paramObjects(data []byte) ([]map[string]any, error) {
	single := map[string]any{}
	if err := yaml.Unmarshal(data, &single); err == nil {
		return []map[string]any{single}, nil
	}
	var list []map[string]any
	if err := yaml.Unmarshal(data, &list); err != nil {
		return nil, err
	}
	return list, nil
}

// fileParams are the parameters of one object of a params file (git.go,
// generateParamsFromGitFile).
func fileParams(obj map[string]any, file, prefix string, goTmpl bool) (map[string]any, error) {
	params := map[string]any{}
	dir := path.Dir(file)
	if goTmpl {
		maps.Copy(params, obj)
		pp := map[string]any{
			"path":               dir,
			"basename":           path.Base(dir),
			"filename":           path.Base(file),
			"basenameNormalized": utils.SanitizeName(path.Base(dir)),
			"filenameNormalized": utils.SanitizeName(path.Base(file)),
			"segments":           strings.Split(dir, "/"),
		}
		if prefix != "" {
			params[prefix] = map[string]any{"path": pp}
		} else {
			params["path"] = pp
		}
		return params, nil
	}
	flat, err := flatten.Flatten(obj, "", flatten.DotStyle)
	if err != nil {
		return nil, err
	}
	for k, v := range flat {
		params[k] = fmt.Sprintf("%v", v)
	}
	name := "path"
	if prefix != "" {
		name = prefix + ".path"
	}
	params[name] = dir
	params[name+".basename"] = path.Base(dir)
	params[name+".filename"] = path.Base(file)
	params[name+".basenameNormalized"] = utils.SanitizeName(path.Base(dir))
	params[name+".filenameNormalized"] = utils.SanitizeName(path.Base(file))
	addSegments(params, name, dir)
	return params, nil
}

// repoFiles lists the repository's files (what git ls-files would list of
// a clean checkout), relative and slash-separated.
func repoFiles(repo string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(repo, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if e.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(repo, p)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	return files, err
}

func readCapped(p string, limit int64) ([]byte, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", filepath.Base(p), limit)
	}
	return os.ReadFile(p)
}

var anyLineRE = regexp.MustCompile(`line (\d+)`)

// yamlErrorLine extracts the line a sigs.k8s.io/yaml error names (1 if
// none), clamped to the file.
func yamlErrorLine(err error, data []byte) int {
	line := 1
	if m := anyLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	return clampLine(line, data)
}
