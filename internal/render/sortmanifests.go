package render

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/releaseutil"
	"sigs.k8s.io/yaml"
)

// sortedDoc is one document of the engine's output, in install order.
type sortedDoc struct {
	path    string // the engine's key, the `# Source:` path
	content string // one releaseutil.SplitManifests entry
	head    *releaseutil.SimpleHead
	hook    *release.Hook // nil when the document is not a hook
	// obj is content decoded once, for both the head and the object,
	// when decoded is set (content is then exactly one document).
	obj     any
	decoded bool
}

// sortManifests does what releaseutil.SortManifests(files, nil,
// InstallOrder) does (helm pkg/releaseutil/manifest_sorter.go, v3.22.0):
// files in path order, documents split by SplitManifests, `_` files and
// blank files skipped, hooks told apart by the helm.sh/hook annotation,
// unknown hook events skipped, both lists stably sorted by kind in
// install order. It differs only in cost: each document is parsed once,
// and that parse serves both the head Helm reads and the object we keep;
// the head falls back to Helm's own decode (sigs.k8s.io/yaml into
// SimpleHead) whenever the parsed document is not plainly typed, so
// every head, error and order is Helm's (sortmanifests_test.go).
//
// Decoded documents come from memo when it has their text (nil: decode
// every document), and those decoded are added to it.
func sortManifests(files map[string]string, memo *docMemo) (manifests, hooks []*sortedDoc, err error) {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		content := files[p]
		if strings.HasPrefix(path.Base(p), "_") || strings.TrimSpace(content) == "" {
			continue
		}
		for _, entry := range splitManifests(content) {
			d := &sortedDoc{path: p, content: entry}
			if chunks := splitDocs(entry); len(chunks) == 1 && chunks[0].text == entry {
				d.obj, d.decoded = memo.decode(entry)
			}
			if d.decoded {
				d.head = headOf(d.obj)
			}
			if d.head == nil {
				d.head = &releaseutil.SimpleHead{}
				if err := yaml.Unmarshal([]byte(entry), d.head); err != nil {
					return manifests, hooks, fmt.Errorf("YAML parse error on %s: %w", p, err)
				}
			}
			switch h, hook := hookOf(d); {
			case !hook:
				manifests = append(manifests, d)
			case h != nil:
				d.hook = h
				hooks = append(hooks, d)
			}
		}
	}
	byKind := func(a, b *sortedDoc) int { return kindOrder(a.head.Kind, b.head.Kind) }
	slices.SortStableFunc(manifests, byKind)
	slices.SortStableFunc(hooks, byKind)
	return manifests, hooks, nil
}

// splitManifests returns releaseutil.SplitManifests' entries in order;
// a file without "---" is one entry, without the regexp.
func splitManifests(content string) []string {
	if !strings.Contains(content, "---") {
		return []string{strings.TrimSpace(content)}
	}
	m := releaseutil.SplitManifests(content)
	out := make([]string, len(m))
	for i := range out {
		out[i] = m["manifest-"+strconv.Itoa(i)]
	}
	return out
}

// hookOf reads a document's hook annotations as manifestFile.sort does:
// hook is false for a plain manifest; h is nil for a hook Helm skips
// (an unknown event).
func hookOf(d *sortedDoc) (h *release.Hook, hook bool) {
	md := d.head.Metadata
	if md == nil || len(md.Annotations) == 0 {
		return nil, false
	}
	events, ok := md.Annotations[release.HookAnnotation]
	if !ok {
		return nil, false
	}
	weight, err := strconv.Atoi(md.Annotations[release.HookWeightAnnotation])
	if err != nil {
		weight = 0
	}
	h = &release.Hook{
		Name: md.Name, Kind: d.head.Kind, Path: d.path, Manifest: d.content, Weight: weight,
		Events: []release.HookEvent{}, DeletePolicies: []release.HookDeletePolicy{},
		OutputLogPolicies: []release.HookOutputLogPolicy{},
	}
	for _, e := range strings.Split(events, ",") {
		ev, ok := hookEvents[strings.ToLower(strings.TrimSpace(e))]
		if !ok {
			return nil, true
		}
		h.Events = append(h.Events, ev)
	}
	for _, p := range annotationList(md.Annotations, release.HookDeleteAnnotation) {
		h.DeletePolicies = append(h.DeletePolicies, release.HookDeletePolicy(p))
	}
	for _, p := range annotationList(md.Annotations, release.HookOutputLogAnnotation) {
		h.OutputLogPolicies = append(h.OutputLogPolicies, release.HookOutputLogPolicy(p))
	}
	return h, true
}

func annotationList(a map[string]string, key string) []string {
	v, ok := a[key]
	if !ok {
		return nil
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		out = append(out, strings.ToLower(strings.TrimSpace(p)))
	}
	return out
}

// hookEvents are the event names Helm accepts (manifest_sorter.go events).
var hookEvents = map[string]release.HookEvent{
	"pre-install": release.HookPreInstall, "post-install": release.HookPostInstall,
	"pre-delete": release.HookPreDelete, "post-delete": release.HookPostDelete,
	"pre-upgrade": release.HookPreUpgrade, "post-upgrade": release.HookPostUpgrade,
	"pre-rollback": release.HookPreRollback, "post-rollback": release.HookPostRollback,
	"test": release.HookTest, "test-success": release.HookTest,
}

// installRank is the position of each kind in releaseutil.InstallOrder.
var installRank = func() map[string]int {
	m := make(map[string]int, len(releaseutil.InstallOrder))
	for i, k := range releaseutil.InstallOrder {
		m[k] = i
	}
	return m
}()

// kindOrder compares kinds as kind_sorter.go lessByKind does: known kinds
// by install order, before unknown kinds, which sort by name.
func kindOrder(a, b string) int {
	ra, aok := installRank[a]
	rb, bok := installRank[b]
	switch {
	case aok && bok:
		return ra - rb
	case aok:
		return -1
	case bok:
		return 1
	}
	return strings.Compare(a, b)
}

// headOf is the SimpleHead encoding/json would decode from obj, or nil
// when obj is not plainly typed: a key that matches a field only
// case-insensitively (json folds case), a null, or a non-string where a
// string is expected (sigs.k8s.io/yaml would coerce a number to a string
// there). nil sends the caller to Helm's own decode.
func headOf(obj any) *releaseutil.SimpleHead {
	m, ok := obj.(map[string]any)
	if !ok {
		return nil
	}
	h := &releaseutil.SimpleHead{}
	for k, v := range m {
		switch {
		case k == "apiVersion" || k == "kind":
			s, ok := v.(string)
			if !ok {
				return nil
			}
			if k == "kind" {
				h.Kind = s
			} else {
				h.Version = s
			}
		case k == "metadata":
			md, ok := v.(map[string]any)
			if !ok || !headMetadata(h, md) {
				return nil
			}
		case strings.EqualFold(k, "apiVersion"), strings.EqualFold(k, "kind"), strings.EqualFold(k, "metadata"):
			return nil
		}
	}
	return h
}

func headMetadata(h *releaseutil.SimpleHead, md map[string]any) bool {
	h.Metadata = &struct {
		Name        string            `json:"name"`
		Annotations map[string]string `json:"annotations"`
	}{}
	for k, v := range md {
		switch {
		case k == "name":
			s, ok := v.(string)
			if !ok {
				return false
			}
			h.Metadata.Name = s
		case k == "annotations":
			a, ok := v.(map[string]any)
			if !ok {
				return false
			}
			h.Metadata.Annotations = make(map[string]string, len(a))
			for ak, av := range a {
				s, ok := av.(string)
				if !ok {
					return false
				}
				h.Metadata.Annotations[ak] = s
			}
		case strings.EqualFold(k, "name"), strings.EqualFold(k, "annotations"):
			return false
		}
	}
	return true
}

// addSorted adds a sorted document, reusing its parse when there is one;
// otherwise (and for every error, so messages stay addDocs') it is
// addDocs on the content.
func (b *objBuilder) addSorted(d *sortedDoc, file string) error {
	m, ok := d.obj.(map[string]any)
	if !d.decoded || !ok {
		return b.addDocs(d.path, file, d.content)
	}
	b.add(d.path, file, 0, m)
	b.docs[d.path]++
	return nil
}
