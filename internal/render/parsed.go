package render

import (
	"strings"
	"sync"
	"text/template/parse"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/syncdoctor/syncdoctor/internal/render/engine"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// chartCache holds what a chart entry computes once and every render of
// the chart reuses: the parsed templates (per template set, as dependency
// conditions can drop subcharts) and, when no dependency has a condition
// or tags, the chart with its dependencies processed.
type chartCache struct {
	mu     sync.Mutex
	parsed map[string]*parsedOnce

	procOnce  sync.Once
	processed *chart.Chart // nil when processing depends on the values
	procErr   error
	// processedParsed is the parsed set of processed, found without
	// computing engine.Key (a formatted walk of every template) per render.
	processedParsed *parsedOnce

	docs docMemo // decoded documents of partial renders
}

type parsedOnce struct {
	once sync.Once
	p    *engine.Parsed
}

// get parses c, the chart this entry stands for, the first time.
func (po *parsedOnce) get(c *chart.Chart) *engine.Parsed {
	po.once.Do(func() { po.p = engine.Parse(c) })
	return po.p
}

// parse returns the parsed templates of c, a processed copy of ce.chart,
// parsing them the first time this template set is seen.
func (ce *chartEntry) parse(c *chart.Chart) *engine.Parsed {
	ce.cache.mu.Lock()
	po := ce.cache.processedParsed
	shared := c == ce.cache.processed
	ce.cache.mu.Unlock()
	if shared && po != nil {
		return po.get(c)
	}
	key := engine.Key(c)
	ce.cache.mu.Lock()
	if ce.cache.parsed == nil {
		ce.cache.parsed = map[string]*parsedOnce{}
	}
	po = ce.cache.parsed[key]
	if po == nil {
		po = &parsedOnce{}
		ce.cache.parsed[key] = po
	}
	if shared {
		ce.cache.processedParsed = po
	}
	ce.cache.mu.Unlock()
	return po.get(c)
}

// processedChart returns ce's chart with its dependencies processed for
// vals (helm chartutil.ProcessDependenciesWithMerge, as `helm template`
// runs it). Processing reads the values only through dependency
// conditions and tags; a chart tree without either is processed once and
// the result shared, read-only: nothing after processing writes to a
// chart (value coalescing copies the chart's values first, helm
// pkg/chartutil coalesce.go).
func (ce *chartEntry) processedChart(vals map[string]any) (*chart.Chart, error) {
	if !valueDependent(ce.chart) {
		ce.cache.procOnce.Do(func() {
			c := copyChart(ce.chart)
			if err := chartutil.ProcessDependenciesWithMerge(c, map[string]any{}); err != nil {
				ce.cache.procErr = err
				return
			}
			ce.cache.processed = c
		})
		return ce.cache.processed, ce.cache.procErr
	}
	c := copyChart(ce.chart)
	if err := chartutil.ProcessDependenciesWithMerge(c, vals); err != nil {
		return nil, err
	}
	return c, nil
}

// valueDependent reports whether some dependency in c's tree is enabled
// by a condition or tags, the only inputs of dependency processing that
// come from the values (helm pkg/chartutil dependencies.go
// processDependencyEnabled; import-values read the charts' own values).
func valueDependent(c *chart.Chart) bool {
	if c.Metadata == nil {
		return true
	}
	for _, d := range c.Metadata.Dependencies {
		if d != nil && (strings.TrimSpace(d.Condition) != "" || len(d.Tags) > 0) {
			return true
		}
	}
	for _, d := range c.Dependencies() {
		if valueDependent(d) {
			return true
		}
	}
	return false
}

// maxMemoDocs bounds a docMemo; past it, documents are decoded without
// being kept.
const maxMemoDocs = 1024

// docMemo keeps decoded documents by text for the renders of one chart
// that execute only some templates (RenderSources): a perturbation
// changes one or two documents and leaves the workload's text as it was,
// so most documents are decoded once. The decoded values are shared
// between the Objects of those renders, whose readers never write to
// them.
type docMemo struct {
	mu   sync.Mutex
	docs map[string]any
}

// decode is decodeFast through the memo; a nil memo just decodes.
func (m *docMemo) decode(text string) (any, bool) {
	if m == nil {
		return decodeFast(text)
	}
	m.mu.Lock()
	v, ok := m.docs[text]
	m.mu.Unlock()
	if ok {
		return v, true
	}
	v, ok = decodeFast(text)
	if ok {
		m.mu.Lock()
		if m.docs == nil {
			m.docs = map[string]any{}
		}
		if len(m.docs) < maxMemoDocs {
			m.docs[text] = v
		}
		m.mu.Unlock()
	}
	return v, ok
}

// ParsedTemplates returns the parse trees and template texts of the
// chart a Helm Target renders (engine.Parsed.Trees), when a render has
// loaded it and its processed chart does not depend on the values; ok is
// false otherwise. Analyses that walk templates use them instead of
// parsing every template again.
func (r *Renderer) ParsedTemplates(t *target.Target) (trees map[string]*parse.Tree, texts map[string]string, ok bool) {
	if t.Kind != target.SourceHelm && t.Kind != target.SourceRemoteHelm {
		return nil, nil, false
	}
	r.mu.Lock()
	ce := r.charts[chartKey(t)]
	r.mu.Unlock()
	if ce == nil {
		return nil, nil, false
	}
	ce.cache.mu.Lock()
	po := ce.cache.processedParsed
	ce.cache.mu.Unlock()
	if po == nil {
		return nil, nil, false
	}
	return po.get(ce.cache.processed).Trees()
}
