package render

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/getter"
	"helm.sh/helm/v3/pkg/repo"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// ErrOffline marks a remote chart that would have to be pulled while the
// Renderer is offline.
var ErrOffline = errors.New("remote chart not available offline")

// pullChart fetches chart name at version (an exact version or a semver
// constraint; empty = latest) from a Helm HTTP(S) repository, the way
// `helm pull` locates it (helm pkg/repo/chartrepo.go
// FindChartInAuthAndTLSAndPassRepoURL: index.yaml, IndexFile.Get with the
// constraint, the first URL resolved against the repository), keeping the
// archive in CacheDir. Offline, only an exact version already in the cache
// is used.
func (r *Renderer) pullChart(ctx context.Context, repoURL, name, version string, loc finding.Location) (*chart.Chart, error) {
	sum := sha256.Sum256([]byte(repoURL))
	dir := filepath.Join(r.opts.CacheDir, "charts", hex.EncodeToString(sum[:8]))
	if _, err := semver.StrictNewVersion(version); err == nil && r.opts.CacheDir != "" {
		if c, err := loader.LoadFile(filepath.Join(dir, name+"-"+version+".tgz")); err == nil {
			return c, nil
		}
	}
	if r.opts.Offline {
		return nil, &Error{Loc: loc, Err: fmt.Errorf("%w: chart %s %s from %s (run without --offline to pull it)", ErrOffline, name, version, repoURL)}
	}
	if r.opts.CacheDir == "" {
		return nil, &Error{Loc: loc, Err: fmt.Errorf("chart %s from %s: no cache directory to pull into", name, repoURL)}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &Error{Loc: loc, Err: err}
	}
	timeout := getter.WithTimeout(r.opts.Timeout)
	providers := getter.Providers{{Schemes: []string{"http", "https"}, New: getter.NewHTTPGetter}}
	cr, err := repo.NewChartRepository(&repo.Entry{Name: hex.EncodeToString(sum[:8]), URL: repoURL}, providers)
	if err != nil {
		return nil, &Error{Loc: loc, Err: fmt.Errorf("chart repository %s: %w", repoURL, err)}
	}
	cr.CachePath = dir
	idxPath, err := cr.DownloadIndexFile()
	if err != nil {
		return nil, &Error{Loc: loc, Err: fmt.Errorf("%q is not a valid chart repository or cannot be reached: %w", repoURL, err)}
	}
	idx, err := repo.LoadIndexFile(idxPath)
	if err != nil {
		return nil, &Error{Loc: loc, Err: fmt.Errorf("index of %s: %w", repoURL, err)}
	}
	cv, err := idx.Get(name, version)
	if err != nil {
		return nil, &Error{Loc: loc, Err: fmt.Errorf("chart %q version %q not found in %s repository", name, version, repoURL)}
	}
	if len(cv.URLs) == 0 {
		return nil, &Error{Loc: loc, Err: fmt.Errorf("chart %q version %q has no downloadable URLs", name, cv.Version)}
	}
	u, err := repo.ResolveReferenceURL(repoURL, cv.URLs[0])
	if err != nil {
		return nil, &Error{Loc: loc, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	g, err := providers.ByScheme(schemeOf(u))
	if err != nil {
		return nil, &Error{Loc: loc, Err: err}
	}
	buf, err := g.Get(u, timeout)
	if err != nil {
		return nil, &Error{Loc: loc, Err: fmt.Errorf("could not download %s: %w", u, err)}
	}
	data := buf.Bytes()
	c, err := loader.LoadArchive(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{Loc: loc, Err: fmt.Errorf("chart archive %s: %w", u, err)}
	}
	tmp := filepath.Join(dir, fmt.Sprintf(".%s-%s.tgz.tmp", name, cv.Version))
	if err := os.WriteFile(tmp, data, 0o644); err == nil {
		_ = os.Rename(tmp, filepath.Join(dir, name+"-"+cv.Version+".tgz"))
	}
	return c, nil
}

func schemeOf(u string) string {
	for i := 0; i < len(u); i++ {
		if u[i] == ':' {
			return u[:i]
		}
	}
	return ""
}
