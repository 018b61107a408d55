package diffsem

import (
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// ChartRelease is one Application source that installs a chart from a Helm
// repository, as far as the checkout shows it: the chart itself is not
// rendered (no network), so the catalog below stands in for its templates.
type ChartRelease struct {
	RepoURL     string
	Chart       string
	Version     string // the source's targetRevision
	ReleaseName string // helm.releaseName, else the Application name
	Namespace   string // the destination namespace
	// Values are the user-supplied values in ArgoCD's precedence (value
	// files, then values or valuesObject, then parameters).
	Values map[string]any
	// ValuesHidden, when set, says why some user values are not visible (a
	// value file inside the chart's repository, fileParameters). The
	// catalog then predicts nothing: a hidden value could switch any fact
	// off, and a doctor that guesses cries wolf.
	ValuesHidden string
}

// FactSource says where a catalogued drift comes from, and so which check
// reports it.
type FactSource string

const (
	// WrittenInCluster is a field the API server or a controller rewrites
	// after ArgoCD applied it (server-field-drift).
	WrittenInCluster FactSource = "cluster"
	// RenderedEachTime is a field the chart generates anew on every render
	// (genCA and friends; render-nondeterministic).
	RenderedEachTime FactSource = "render"
)

// ObjectPair is one modelled object: Desired as the chart at the fact's
// versions renders it, Live as the cluster holds it once the writer acted
// (for RenderedEachTime: the previous render, as applied).
type ObjectPair struct {
	Desired, Live map[string]any
}

// ChartFact is one catalog entry: what a well-known chart deploys that an
// in-cluster writer or the chart itself changes, with the evidence. Whether
// ArgoCD reports it is not stored here: callers replay the modelled pair
// through Compare with the Application's rules and diff mode, so the
// verdict stays ArgoCD's. Modes records what that replay gives, read from
// gitops-engine pkg/diff and tested (remotechart_test.go).
type ChartFact struct {
	// ID names the fact ("keda-apiservice-insecure-false").
	ID string
	// Charts and RepoURLs identify the chart (repository URLs compared
	// without a trailing slash, case-insensitively).
	Charts, RepoURLs []string
	// Versions is the semver constraint of chart versions the templates
	// cited below render this way.
	Versions string
	Source   FactSource
	// Object is "group/Kind name" of what drifts (names for the default
	// release and values).
	Object string
	// Paths are the drifting fields (RFC 6901 pointers or jq paths).
	Paths []string
	// Writer is who changes the field.
	Writer string
	// Switch names the values that turn the fact on or off.
	Switch string
	// Modes says under which ArgoCD diff modes it drifts and why.
	Modes string
	// Evidence cites the chart template at a tagged version and the
	// upstream issues where users hit it.
	Evidence []string
	// Silent marks a fact whose truth is "does not drift": it is
	// catalogued (and tested) so that nobody adds a rule for it later.
	Silent bool

	on    func(v map[string]any) bool
	model func(rel ChartRelease) []ObjectPair
}

// ChartPrediction is a fact that applies to a release, with its objects.
type ChartPrediction struct {
	Fact  *ChartFact
	Pairs []ObjectPair
}

// Matches reports whether the fact is about rel's chart and version.
// An unparsable version (a range, "*", a branch) matches nothing.
func (f *ChartFact) Matches(rel ChartRelease) bool {
	return containsFold(f.Charts, rel.Chart) && containsFold(f.RepoURLs, normalizeRepoURL(rel.RepoURL)) && versionIn(rel.Version, f.Versions)
}

// Model returns the fact's modelled objects for rel.
func (f *ChartFact) Model(rel ChartRelease) []ObjectPair { return f.model(rel) }

// PredictChart lists the non-silent facts of the catalog that hold for
// rel: chart, repository and version match and the values switch them on.
// It returns nothing when some of rel's values are hidden.
func PredictChart(rel ChartRelease) []ChartPrediction {
	if rel.ValuesHidden != "" {
		return nil
	}
	var out []ChartPrediction
	for _, f := range ChartFacts() {
		if f.Silent || !f.Matches(rel) || !f.on(rel.Values) {
			continue
		}
		out = append(out, ChartPrediction{Fact: f, Pairs: f.model(rel)})
	}
	return out
}

func normalizeRepoURL(u string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(u)), "/")
}

func containsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(strings.TrimSuffix(e, "/"), s) {
			return true
		}
	}
	return false
}

// value reads a dotted path of the user values, with the chart default
// when unset.
func value(v map[string]any, path string, def any) any {
	if got, ok := values.Lookup(v, strings.Split(path, ".")); ok && got != nil {
		return got
	}
	return def
}

// truthy is Helm's notion of a true condition for the values these charts
// test (`if .Values.x`): false, 0, "" and nil are false.
func truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case int:
		return t != 0
	case int64:
		return t != 0
	case float64:
		return t != 0
	}
	return true
}

// fullname is the usual `<chart>.fullname` helper of `helm create`:
// fullnameOverride, else the release name when it contains the chart
// name, else release-chart, cut to 63 characters.
func fullname(rel ChartRelease, chart string) string {
	if o, ok := value(rel.Values, "fullnameOverride", "").(string); ok && o != "" {
		return trunc63(o)
	}
	name := chart
	if o, ok := value(rel.Values, "nameOverride", "").(string); ok && o != "" {
		name = o
	}
	if strings.Contains(rel.ReleaseName, name) {
		return trunc63(rel.ReleaseName)
	}
	return trunc63(rel.ReleaseName + "-" + name)
}

func trunc63(s string) string {
	if len(s) > 63 {
		s = s[:63]
	}
	return strings.TrimSuffix(s, "-")
}

func obj(apiVersion, kind, name, namespace string, body map[string]any) map[string]any {
	md := map[string]any{"name": name}
	if namespace != "" {
		md["namespace"] = namespace
	}
	out := map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": md}
	for k, v := range body {
		out[k] = v
	}
	return out
}

func annotate(o map[string]any, key, val string) map[string]any {
	md := o["metadata"].(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
		md["annotations"] = ann
	}
	ann[key] = val
	return o
}

// FactsAbout returns the catalog's non-silent facts that describe a
// rendered object of chart at version drifting at path: a vendored copy of
// a catalogued chart renders the same objects, so its findings can cite
// the same evidence. The repository is not compared (a vendored chart has
// none); the chart name, version, object kind and path are.
func FactsAbout(chart, version string, obj map[string]any, path string) []*ChartFact {
	group, kind := groupKind(obj)
	var out []*ChartFact
	for _, f := range chartFacts {
		if f.Silent || !containsFold(f.Charts, chart) || !slices.Contains(f.Paths, path) ||
			!strings.Contains(f.Object, group+"/"+kind) || !versionIn(version, f.Versions) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// versionIn reports whether a chart version satisfies a semver constraint;
// an unparsable version (a range, a branch) satisfies none.
func versionIn(version, constraint string) bool {
	v, err := semver.StrictNewVersion(strings.TrimPrefix(version, "v"))
	if err != nil {
		return false
	}
	c, err := semver.NewConstraint(constraint)
	return err == nil && c.Check(v)
}
