package render

import (
	"fmt"
	"os"
	"path/filepath"

	"helm.sh/helm/v3/pkg/strvals"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// userValues merges the user-supplied values of t the way ArgoCD hands them
// to helm (argo-cd reposerver/repository/repository.go helmTemplate and
// util/helm/cmd.go template) and helm merges them (helm
// pkg/cli/values/options.go MergeValues):
//
//  1. every value file, in order (`--values`);
//  2. spec.source.helm.values, or valuesObject when set (ArgoCD's
//     ValuesYAML: valuesObject replaces values, it does not merge), as one
//     more `--values` file after the others;
//  3. parameters without forceString (`--set`), then those with it
//     (`--set-string`): helm applies all --set before all --set-string;
//  4. fileParameters (`--set-file`), read relative to the chart directory.
//
// The result is what the chart's defaults are later coalesced under.
// readValueFile reads a checkout-relative value file once per Renderer
// (one run over one checkout): every environment of every app layering a
// shared base.yaml names the same file. Errors are kept too.
func (r *Renderer) readValueFile(vf string) ([]byte, error) {
	type read struct {
		data []byte
		err  error
	}
	if v, ok := r.valueReads.Load(vf); ok {
		return v.(read).data, v.(read).err
	}
	data, err := r.readValueFileUncached(vf)
	r.valueReads.Store(vf, read{data, err})
	return data, err
}

func (r *Renderer) readValueFileUncached(vf string) ([]byte, error) {
	abs, err := r.inRoot(vf)
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: vf}, Err: fmt.Errorf("value file: %w", err)}
	}
	// A value file larger than the output limit is refused before it
	// is read: parsing 50 MB of YAML takes longer than the render
	// timeout and cannot be interrupted.
	if st, err := os.Stat(abs); err == nil && st.Size() > int64(r.opts.MaxOutputBytes) {
		return nil, &Error{Loc: finding.Location{File: vf}, Err: fmt.Errorf("value file %s is %d bytes, larger than the limit of %d", vf, st.Size(), r.opts.MaxOutputBytes)}
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: vf}, Err: fmt.Errorf("reading value file %s: %w", vf, err)}
	}
	return data, nil
}

func (r *Renderer) userValues(t *target.Target, ce *chartEntry) (map[string]any, error) {
	base := map[string]any{}
	for _, vf := range t.ValueFiles {
		data, err := r.readValueFile(vf)
		if err != nil {
			return nil, err
		}
		m, err := r.parsedValueFile(data)
		if err != nil {
			return nil, &Error{Loc: yamlErrorLoc(vf, err), Err: fmt.Errorf("failed to parse %s: %w", vf, err)}
		}
		base = values.MergeMaps(base, m)
	}
	h := t.Source.Helm
	if h == nil {
		return base, nil
	}
	if !h.ValuesIsEmpty() {
		m, err := parseValues(h.ValuesYAML())
		if err != nil {
			return nil, &Error{Loc: appField(t, "helm.values"), Err: fmt.Errorf("failed to parse helm values: %w", err)}
		}
		base = values.MergeMaps(base, m)
	}
	if err := values.SetParameters(base, h.Parameters); err != nil {
		return nil, &Error{Loc: appField(t, "helm.parameters"), Err: err}
	}
	for _, p := range h.FileParameters {
		reader := func(rs []rune) (any, error) {
			abs, err := r.chartRelative(t, ce, string(rs))
			if err != nil {
				return nil, err
			}
			data, err := os.ReadFile(abs)
			if err != nil {
				return nil, err
			}
			return string(data), nil
		}
		if err := strvals.ParseIntoFile(p.Name+"="+values.EscapeSetValue(p.Path), base, reader); err != nil {
			return nil, &Error{Loc: appField(t, "helm.fileParameters"), Err: fmt.Errorf("file parameter %s (%s): %w", p.Name, p.Path, err)}
		}
	}
	return base, nil
}

// parsedValueFile is parseValues of a value file's content, parsed once
// per content: the environments' shared files (base.yaml) are layered
// under every app. Each call gets its own copy.
func (r *Renderer) parsedValueFile(data []byte) (map[string]any, error) {
	r.valuesMu.Lock()
	pv, ok := r.valueFiles[string(data)]
	r.valuesMu.Unlock()
	if !ok {
		m, err := parseValues(data)
		pv = parsedValues{m, err}
		r.valuesMu.Lock()
		r.valueFiles[string(data)] = pv
		r.valuesMu.Unlock()
	}
	if pv.err != nil {
		return nil, pv.err
	}
	return values.DeepCopy(pv.m), nil
}

type parsedValues struct {
	m   map[string]any
	err error
}

// parseValues decodes a values document with the YAML library helm uses
// (sigs.k8s.io/yaml), so numbers and nulls come out as they do for helm.
func parseValues(data []byte) (map[string]any, error) {
	m := map[string]any{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// appField is the position of a field of the Target's source in the
// Application declaration, or the chart directory when unknown.
func appField(t *target.Target, field string) finding.Location {
	if t.App == nil {
		return finding.Location{File: t.Dir}
	}
	prefix := "spec.source."
	if len(t.App.App.Spec.Sources) > 0 {
		prefix = fmt.Sprintf("spec.sources[%d].", t.SourceIndex)
	}
	return t.App.FieldLocation(prefix + field)
}

// chartRelative resolves p as ArgoCD resolves a file parameter (argo-cd
// util/io/path/resolved.go resolveFileOrDirectory): relative paths against
// the chart directory, absolute ones against the checkout root; the
// result must stay inside the root.
func (r *Renderer) chartRelative(t *target.Target, ce *chartEntry, p string) (string, error) {
	if filepath.IsAbs(p) {
		return r.inRoot(p)
	}
	dir := t.Dir
	if ce != nil && ce.dir == "" {
		dir = "" // remote chart: nothing of it is in the checkout
	}
	return r.inRoot(filepath.Join(dir, p))
}
