// Package resolve maps discovered Applications to Targets: which directory
// of the checkout each source is, which value files it loads (resolved the
// way ArgoCD's repo-server resolves them), and which environment it is.
package resolve

import (
	"bufio"
	"bytes"
	"os"
	"path"
	"path/filepath"
	"strings"

	argogit "github.com/argoproj/argo-cd/v3/util/git"

	"github.com/syncdoctor/syncdoctor/internal/config"
)

// RepoMap answers whether a repoURL is (a directory of) this checkout.
type RepoMap struct {
	entries []repoEntry
}

type repoEntry struct {
	url string // as written
	dir string // checkout-relative, "." for the root
}

// NewRepoMap builds the map from .syncdoctor.yaml `repos:` (first) and the
// git remotes of the checkout, which map to its root.
func NewRepoMap(cfg *config.Config, remotes []string) *RepoMap {
	m := &RepoMap{}
	for _, r := range cfg.Repos {
		dir := r.Dir
		if dir == "" {
			dir = "."
		}
		m.entries = append(m.entries, repoEntry{url: r.URL, dir: path.Clean(filepath.ToSlash(dir))})
	}
	for _, u := range remotes {
		m.entries = append(m.entries, repoEntry{url: u, dir: "."})
	}
	return m
}

// LocalDir returns the checkout-relative directory a repoURL maps to.
// URLs are normalised with ArgoCD's own util/git.NormalizeGitURL (case,
// scp-style SSH, ".git" suffix) and then reduced to host and path, so the
// HTTPS and SSH spellings of one repository (both common in the same repo)
// and a trailing slash all match.
func (m *RepoMap) LocalDir(repoURL string) (string, bool) {
	want := canonicalRepo(repoURL)
	for _, e := range m.entries {
		if want != "" && canonicalRepo(e.url) == want {
			return e.dir, true
		}
	}
	return "", false
}

func canonicalRepo(u string) string {
	n := argogit.NormalizeGitURL(strings.TrimSuffix(strings.TrimSpace(u), "/"))
	for _, scheme := range []string{"https://", "http://", "ssh://", "git://"} {
		n = strings.TrimPrefix(n, scheme)
	}
	if at := strings.Index(n, "@"); at >= 0 && at < strings.Index(n+"/", "/") {
		n = n[at+1:]
	}
	return strings.TrimSuffix(n, "/")
}

// GitRemotes returns the remote URLs of the git work tree at root (read
// from .git/config as a file: syncdoctor runs no git binary). A checkout
// that is a sub-directory of a repository has no remotes of its own: its
// Applications' paths are relative to a root syncdoctor was not given, so
// it must map its repoURLs in .syncdoctor.yaml.
func GitRemotes(root string) []string {
	data, err := os.ReadFile(filepath.Join(root, ".git", "config"))
	if err != nil {
		return nil
	}
	return parseRemotes(data)
}

// parseRemotes extracts `url =` entries of [remote "..."] sections.
func parseRemotes(data []byte) []string {
	var out []string
	inRemote := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			inRemote = strings.HasPrefix(line, "[remote ")
			continue
		}
		if k, v, ok := strings.Cut(line, "="); inRemote && ok && strings.TrimSpace(k) == "url" {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}
