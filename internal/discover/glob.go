package discover

import (
	"regexp"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// fileMatcher returns how git files generator paths are matched: git
// pathspecs (ArgoCD's default, `git ls-files -- PATTERN` in
// util/git/client.go LsFiles) or doublestar globs with new globbing.
func (d *discoverer) fileMatcher() func(pattern, file string) bool {
	if d.opts.NewGitFileGlobbing {
		return func(pattern, file string) bool {
			ok, _ := doublestar.Match(pattern, file)
			return ok
		}
	}
	return pathspecMatch
}

// pathspecMatch matches a path against a git pathspec without magic: a
// pattern without wildcards names the path or a leading directory of it;
// otherwise it is an fnmatch pattern whose '*' and '?' also match '/'.
func pathspecMatch(pattern, file string) bool {
	pattern = strings.TrimPrefix(pattern, "./")
	if !strings.ContainsAny(pattern, "*?[\\") {
		dir := strings.TrimSuffix(pattern, "/")
		return file == pattern || strings.HasPrefix(file, dir+"/") || dir == "" || dir == "."
	}
	re, err := pathspecRegexp(pattern)
	if err != nil {
		return false
	}
	return re.MatchString(file)
}

// pathspecRegexp translates an fnmatch pattern (without FNM_PATHNAME)
// into an anchored regular expression.
func pathspecRegexp(pattern string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`^`)
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch c {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '\\':
			if i+1 < len(pattern) {
				i++
				b.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
			}
		case '[':
			end := strings.IndexByte(pattern[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := pattern[i+1 : i+1+end]
			if end == 0 { // "[]...]": a leading ']' is literal
				if e2 := strings.IndexByte(pattern[i+2:], ']'); e2 >= 0 {
					class = pattern[i+1 : i+2+e2]
					end = e2 + 1
				}
			}
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`$`)
	return regexp.Compile(b.String())
}
