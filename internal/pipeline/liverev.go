package pipeline

import (
	"context"
	"os"
	"regexp"

	"github.com/go-git/go-git/v5"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// commitSHA is what ArgoCD records in status.sync.revision for a Git source.
var commitSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// revisionMatchers renders the checkout once per distinct revision that
// cluster Applications are synced to, when that revision is a commit of the
// checkout's repository other than HEAD: ArgoCD compared the cluster with
// that revision, so the desired state of those apps is its render, not the
// work tree's. Revisions the repository does not have (a shallow clone, a
// push not yet fetched) keep the work tree's render. Keyed by revision.
func revisionMatchers(ctx context.Context, opts Options, root string, apps []*manifest.LiveApp) map[string]*matcher {
	head := headCommit(root)
	out := map[string]*matcher{}
	for _, la := range apps {
		rev := la.App.Status.Sync.Revision
		if !commitSHA.MatchString(rev) || rev == head || out[rev] != nil {
			continue
		}
		if m := renderRevision(ctx, opts, root, rev); m != nil {
			out[rev] = m
		}
	}
	return out
}

// renderRevision renders the checkout as it was at rev (problem checks
// only) and returns a matcher over that render; nil when rev cannot be read.
func renderRevision(ctx context.Context, opts Options, root, rev string) *matcher {
	dir, err := baseTree(ctx, root, rev)
	if err != nil {
		return nil
	}
	defer os.RemoveAll(dir)
	o := opts
	o.Root, o.Base, o.Progress, o.Checks, o.remotesOf = dir, "", nil, problemChecks, root
	run, err := Offline(ctx, o)
	if err != nil {
		return nil
	}
	return newMatcher(run.Input)
}

// headCommit is the commit the work tree's HEAD names, "" outside git.
func headCommit(root string) string {
	repo, err := git.PlainOpenWithOptions(root, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return ""
	}
	ref, err := repo.Head()
	if err != nil {
		return ""
	}
	return ref.Hash().String()
}
