package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/testutil/files"
)

// TestRevisionMatchers: an app synced to an older commit gets that
// commit's render as its desired state; an app at HEAD, or at a revision
// the repository lacks, keeps the work tree's.
func TestRevisionMatchers(t *testing.T) {
	root := t.TempDir()
	repo, err := git.PlainInit(root, false)
	if err != nil {
		t.Fatal(err)
	}
	tree := map[string]string{
		".syncdoctor.yaml": "repos:\n  - url: https://github.com/acme/web.git\n    dir: .\n",
		"apps/web.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\n" +
			"spec:\n  source:\n    repoURL: https://github.com/acme/web.git\n    path: manifests\n  destination:\n    namespace: web\n",
		"manifests/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  color: blue\n",
	}
	old := commit(t, repo, root, tree)
	tree["manifests/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  color: green\n"
	head := commit(t, repo, root, tree)

	app := func(rev string) *manifest.LiveApp {
		return &manifest.LiveApp{App: &v1alpha1.Application{
			ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "argocd"},
			Status:     v1alpha1.ApplicationStatus{Sync: v1alpha1.SyncStatus{Revision: rev}},
		}}
	}
	missing := "0123456789abcdef0123456789abcdef01234567"
	ms := revisionMatchers(context.Background(), Options{Offline: true}, root, []*manifest.LiveApp{app(old), app(head), app(missing)})
	if len(ms) != 1 || ms[old] == nil {
		t.Fatalf("want a render for the old commit only, got %d", len(ms))
	}
	idx, _, desired := ms[old].match(app(old).App)
	if idx < 0 || len(desired) != 1 || manifest.GetString(desired[0].Content, "data", "color") != "blue" {
		t.Fatalf("desired at the old commit: idx %d, %v", idx, desired)
	}
}

func commit(t *testing.T, repo *git.Repository, root string, tree map[string]string) string {
	t.Helper()
	files.Write(t, root, tree)
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for name := range tree {
		if _, err := wt.Add(name); err != nil {
			t.Fatal(err)
		}
	}
	h, err := wt.Commit("c", &git.CommitOptions{Author: &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(1700000000, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}
