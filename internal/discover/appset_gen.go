package discover

import (
	"encoding/json"
	"fmt"

	"dario.cat/mergo"
	"github.com/argoproj/argo-cd/v3/applicationset/utils"
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/jeremywohl/flatten"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// param is one parameter set a generator produced, with the position the
// user edits to change it.
type param struct {
	values map[string]any
	loc    finding.Location
	// precise is true when loc is the parameter's own element (a list
	// element) rather than the set's template.
	precise bool
}

// genError is a generator that could not be expanded.
type genError struct {
	loc         finding.Location
	msg         string
	notAnalyzed bool // Info: needs a cluster or service, not a user error
}

func genErrorf(loc finding.Location, format string, args ...any) *genError {
	return &genError{loc: loc, msg: fmt.Sprintf(format, args...)}
}

// generate produces the parameters of one generator (top-level or nested)
// at gpath, interpolated with the parameters of a matrix's first child
// when interp is non-empty (generator_spec_processor.go, Transform).
func (d *discoverer) generate(as *appSet, gen v1alpha1.ApplicationSetGenerator, gpath string, interp map[string]any) ([]param, *genError) {
	set := as.set
	if len(interp) != 0 {
		r, err := (&utils.Render{}).RenderGeneratorParams(&gen, interp, set.Spec.GoTemplate, set.Spec.GoTemplateOptions)
		if err != nil {
			return nil, genErrorf(as.loc(gpath), "interpolating the generator: %v", err)
		}
		gen = *r
	}
	var params []param
	var gerr *genError
	switch {
	case gen.List != nil:
		params, gerr = listParams(as, gen.List, gpath+".list")
	case gen.Git != nil:
		params, gerr = d.gitParams(as, gen.Git, gpath+".git")
	case gen.Matrix != nil:
		params, gerr = d.matrixParams(as, gen.Matrix, gpath+".matrix")
	default:
		name, key := generatorName(gen)
		return nil, &genError{loc: as.loc(gpath + "." + key), notAnalyzed: true,
			msg: fmt.Sprintf("the %s generator needs a cluster or an external service; its Applications are not analyzed", name)}
	}
	if gerr != nil {
		return nil, gerr
	}
	if len(params) > MaxGeneratedApps {
		return nil, tooManyParams(as, gpath, len(params))
	}
	return filterBySelector(as, gen.Selector, gpath, params)
}

// MaxGeneratedApps bounds the parameter sets one generator may produce.
// ArgoCD itself has no such bound, but an ApplicationSet from a pull
// request (a matrix of two long lists, a git directory glob over
// thousands of directories) would otherwise make syncdoctor render
// hundreds of thousands of Applications; past the bound the generator is
// reported and its Applications are not analysed.
const MaxGeneratedApps = 1000

func tooManyParams(as *appSet, gpath string, n int) *genError {
	return genErrorf(as.loc(gpath), "the generator produces %d parameter sets or more, over syncdoctor's limit of %d; its Applications are not analyzed", n, MaxGeneratedApps)
}

// generatorName names the generator set in gen, for messages, and its key.
func generatorName(gen v1alpha1.ApplicationSetGenerator) (name, key string) {
	switch {
	case gen.Clusters != nil:
		return "clusters", "clusters"
	case gen.SCMProvider != nil:
		return "scmProvider", "scmProvider"
	case gen.PullRequest != nil:
		return "pullRequest", "pullRequest"
	case gen.Plugin != nil:
		return "plugin", "plugin"
	case gen.ClusterDecisionResource != nil:
		return "clusterDecisionResource", "clusterDecisionResource"
	case gen.Merge != nil:
		return "merge", "merge"
	}
	return "unknown", ""
}

// filterBySelector applies a generator's post-selector to its flattened
// parameters (generator_spec_processor.go, Transform); parameters that
// cannot be flattened are dropped, as upstream does.
func filterBySelector(as *appSet, sel *metav1.LabelSelector, gpath string, params []param) ([]param, *genError) {
	if sel == nil {
		return params, nil
	}
	s, err := utils.LabelSelectorAsSelector(sel)
	if err != nil {
		return nil, genErrorf(as.loc(gpath+".selector"), "selector: %v", err)
	}
	var out []param
	for _, p := range params {
		flat, err := flattenParams(p.values)
		if err == nil && s.Matches(labels.Set(flat)) {
			out = append(out, p)
		}
	}
	return out, nil
}

// listParams follows applicationset/generators/list.go.
func listParams(as *appSet, g *v1alpha1.ListGenerator, lpath string) ([]param, *genError) {
	goTmpl := as.set.Spec.GoTemplate
	var out []param
	for i, el := range g.Elements {
		loc := as.loc(fmt.Sprintf("%s.elements[%d]", lpath, i))
		var element map[string]any
		if err := json.Unmarshal(el.Raw, &element); err != nil {
			return nil, genErrorf(loc, "list element is not an object: %v", err)
		}
		if goTmpl {
			out = append(out, param{values: element, loc: loc, precise: true})
			continue
		}
		// fasttemplate mode: every value must be a string, "values" is a
		// map of strings flattened to "values.KEY".
		p := map[string]any{}
		for k, v := range element {
			if k == "values" {
				vm, ok := v.(map[string]any)
				if !ok {
					return nil, genErrorf(loc, "list element: values must be a map of strings")
				}
				for vk, vv := range vm {
					s, ok := vv.(string)
					if !ok {
						return nil, genErrorf(loc, "list element: values.%s must be a string when goTemplate is off", vk)
					}
					p["values."+vk] = s
				}
				continue
			}
			s, ok := v.(string)
			if !ok {
				return nil, genErrorf(loc, "list element: %s must be a string when goTemplate is off", k)
			}
			p[k] = s
		}
		out = append(out, param{values: p, loc: loc, precise: true})
	}
	if g.ElementsYaml != "" {
		loc := as.loc(lpath + ".elementsYaml")
		var elems []map[string]any
		if err := yaml.Unmarshal([]byte(g.ElementsYaml), &elems); err != nil {
			return nil, genErrorf(loc, "elementsYaml: %v", err)
		}
		for _, e := range elems {
			out = append(out, param{values: e, loc: loc, precise: true})
		}
	}
	return out, nil
}

// matrixParams follows applicationset/generators/matrix.go: the cartesian
// product of two children, the second interpolated with each parameter set
// of the first.
func (d *discoverer) matrixParams(as *appSet, m *v1alpha1.MatrixGenerator, mpath string) ([]param, *genError) {
	if len(m.Generators) != 2 {
		return nil, genErrorf(as.loc(mpath), "a matrix generator needs exactly two child generators, has %d", len(m.Generators))
	}
	children := make([]v1alpha1.ApplicationSetGenerator, 2)
	for i, c := range m.Generators {
		g, err := nestedGenerator(c)
		if err != nil {
			return nil, genErrorf(as.loc(fmt.Sprintf("%s.generators[%d]", mpath, i)), "%v", err)
		}
		children[i] = g
	}
	first, gerr := d.generate(as, children[0], mpath+".generators[0]", nil)
	if gerr != nil {
		return nil, gerr
	}
	var out []param
	for _, a := range first {
		second, gerr := d.generate(as, children[1], mpath+".generators[1]", a.values)
		if gerr != nil {
			return nil, gerr
		}
		for _, b := range second {
			v, err := combine(a.values, b.values, as.set.Spec.GoTemplate)
			if err != nil {
				return nil, genErrorf(as.loc(mpath), "combining parameters: %v", err)
			}
			p := param{values: v, loc: b.loc, precise: b.precise}
			if a.precise || !b.precise {
				p.loc, p.precise = a.loc, a.precise
			}
			out = append(out, p)
		}
		// Stop the product as soon as it passes the bound, before it
		// is built in full.
		if len(out) > MaxGeneratedApps {
			return nil, tooManyParams(as, mpath, len(out))
		}
	}
	return out, nil
}

// combine merges a matrix's two parameter sets: the first wins with Go
// templates (mergo with override), duplicates with different values are an
// error otherwise (utils.CombineStringMaps).
func combine(a, b map[string]any, goTmpl bool) (map[string]any, error) {
	if !goTmpl {
		return utils.CombineStringMaps(a, b)
	}
	tmp := map[string]any{}
	if err := mergo.Merge(&tmp, b, mergo.WithOverride); err != nil {
		return nil, err
	}
	if err := mergo.Merge(&tmp, a, mergo.WithOverride); err != nil {
		return nil, err
	}
	return tmp, nil
}

// nestedGenerator widens a matrix child into a top-level generator.
func nestedGenerator(c v1alpha1.ApplicationSetNestedGenerator) (v1alpha1.ApplicationSetGenerator, error) {
	g := v1alpha1.ApplicationSetGenerator{
		List: c.List, Clusters: c.Clusters, Git: c.Git, SCMProvider: c.SCMProvider,
		ClusterDecisionResource: c.ClusterDecisionResource, PullRequest: c.PullRequest,
		Plugin: c.Plugin, Selector: c.Selector,
	}
	if c.Matrix != nil {
		nm, err := v1alpha1.ToNestedMatrixGenerator(c.Matrix)
		if err != nil {
			return g, fmt.Errorf("nested matrix: %w", err)
		}
		g.Matrix = nm.ToMatrixGenerator()
	}
	if c.Merge != nil {
		g.Merge = &v1alpha1.MergeGenerator{}
	}
	return g, nil
}

// flattenParams flattens parameters to strings for selector matching
// (generator_spec_processor.go, flattenParameters).
func flattenParams(in map[string]any) (map[string]string, error) {
	flat, err := flatten.Flatten(normalizeForFlatten(in), "", flatten.DotStyle)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(flat))
	for k, v := range flat {
		out[k] = fmt.Sprintf("%v", v)
	}
	return out, nil
}

func normalizeForFlatten(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		switch x := v.(type) {
		case map[string]string:
			m := make(map[string]any, len(x))
			for ik, iv := range x {
				m[ik] = iv
			}
			out[k] = m
		case map[string]any:
			out[k] = normalizeForFlatten(x)
		default:
			out[k] = v
		}
	}
	return out
}
