package discover

import (
	"encoding/json"
	"fmt"
	"strings"

	"dario.cat/mergo"
	"github.com/argoproj/argo-cd/v3/applicationset/utils"
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"k8s.io/apimachinery/pkg/util/strategicpatch"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// appSet is one ApplicationSet being expanded.
type appSet struct {
	set    *v1alpha1.ApplicationSet
	rel    string
	doc    yamlDoc
	fields map[string]finding.Location
	// templateLoc is spec.template's key: where generated Applications
	// point when no generator element is more precise.
	templateLoc finding.Location
}

// applicationSet expands an ApplicationSet document into the Applications
// ArgoCD's applicationset controller would generate, following
// applicationset/controllers/template/template.go (GenerateApplications).
func (d *discoverer) applicationSet(rel string, doc yamlDoc) {
	decl := docLocation(rel, doc.Root)
	fields := map[string]finding.Location{}
	fieldPositions(doc.Root, rel, 0, "", fields)
	var set v1alpha1.ApplicationSet
	if err := decodeNode(doc.Root, &set); err != nil {
		d.decodeProblem(kindApplicationSet, docName(doc.Root), err, rel, decl, fields)
		return
	}
	as := &appSet{set: &set, rel: rel, doc: doc, fields: fields, templateLoc: decl}
	if l, ok := fields["spec.template"]; ok {
		as.templateLoc = l
	}
	for i := range set.Spec.Generators {
		gpath := fmt.Sprintf("spec.generators[%d]", i)
		gen := set.Spec.Generators[i]
		params, gerr := d.generate(as, gen, gpath, nil)
		if gerr != nil {
			d.report(as, gerr)
			continue
		}
		tmpl, tmplPath, err := mergedTemplate(gen, gpath, set.Spec.Template)
		if err != nil {
			d.errorf(as.loc(gpath), "ApplicationSet %q: merging the generator's template: %v", set.Name, err)
			continue
		}
		appFields := templateFields(fields, tmplPath)
		for _, p := range params {
			d.renderApp(as, tmpl, p, appFields)
		}
	}
}

// loc returns the position of a key path of the set, or its declaration.
func (as *appSet) loc(path string) finding.Location {
	if l, ok := as.fields[path]; ok {
		return l
	}
	return docLocation(as.rel, as.doc.Root)
}

// report turns a generation failure into a problem.
func (d *discoverer) report(as *appSet, g *genError) {
	f := problem(CheckDiscoveryError, finding.Error, g.loc, "ApplicationSet %q: %s", as.set.Name, g.msg)
	if g.notAnalyzed {
		f.Check, f.Severity = CheckNotAnalyzed, finding.Info
	}
	d.problems = append(d.problems, f)
}

// mergedTemplate is the generator's own template with the set's template
// filling its empty fields (generator_spec_processor.go,
// mergeGeneratorTemplate). tmplPath is where the generator's template is
// declared, for field positions.
func mergedTemplate(gen v1alpha1.ApplicationSetGenerator, gpath string, base v1alpha1.ApplicationSetTemplate) (v1alpha1.ApplicationSetTemplate, string, error) {
	var own *v1alpha1.ApplicationSetTemplate
	var name string
	switch {
	case gen.List != nil:
		own, name = &gen.List.Template, "list"
	case gen.Git != nil:
		own, name = &gen.Git.Template, "git"
	case gen.Matrix != nil:
		own, name = &gen.Matrix.Template, "matrix"
	default:
		return base, "", nil
	}
	dest := own.DeepCopy()
	if err := mergo.Merge(dest, base); err != nil {
		return base, "", err
	}
	return *dest, gpath + "." + name + ".template", nil
}

// templateFields maps the positions of spec.template (and of a generator's
// template, which wins) onto the generated Application's key paths.
func templateFields(fields map[string]finding.Location, genTemplate string) map[string]finding.Location {
	out := map[string]finding.Location{}
	for _, prefix := range []string{"spec.template.", genTemplate + "."} {
		if prefix == "." {
			continue
		}
		for k, l := range fields {
			if rest, ok := strings.CutPrefix(k, prefix); ok {
				out[rest] = l
			}
		}
	}
	return out
}

// renderApp renders one parameter set into an Application, as
// GenerateApplications does: template rendering, templatePatch, namespace.
func (d *discoverer) renderApp(as *appSet, tmpl v1alpha1.ApplicationSetTemplate, p param, fields map[string]finding.Location) {
	set := as.set
	render := utils.Render{}
	tmplApp := &v1alpha1.Application{}
	tmplApp.Annotations = tmpl.Annotations
	tmplApp.Labels = tmpl.Labels
	tmplApp.Namespace = tmpl.Namespace
	tmplApp.Name = tmpl.Name
	tmplApp.Spec = tmpl.Spec
	tmplApp.Finalizers = tmpl.Finalizers
	app, err := render.RenderTemplateParams(tmplApp, set.Spec.SyncPolicy, p.values, set.Spec.GoTemplate, set.Spec.GoTemplateOptions)
	if err != nil {
		d.errorf(p.loc, "ApplicationSet %q: rendering the template: %v", set.Name, err)
		return
	}
	app = app.DeepCopy()
	if set.Spec.TemplatePatch != nil {
		patch, err := render.Replace(*set.Spec.TemplatePatch, p.values, set.Spec.GoTemplate, set.Spec.GoTemplateOptions)
		if err == nil {
			app, err = applyTemplatePatch(app, patch)
		}
		if err != nil {
			d.errorf(as.loc("spec.templatePatch"), "ApplicationSet %q: templatePatch: %v", set.Name, err)
			return
		}
	}
	// Generated Applications live in the set's namespace
	// (template.go: the appsets-in-any-namespace boundary).
	app.Namespace = set.Namespace
	app.APIVersion, app.Kind = argoAPIVersion, kindApplication
	d.apps = append(d.apps, &target.Application{
		App:      app,
		Declared: p.loc,
		Origin:   target.OriginApplicationSet,
		Parent:   set.Name,
		Fields:   fields,
		DocIndex: as.doc.Index,
	})
}

// applyTemplatePatch applies a rendered templatePatch as a strategic merge
// patch, keeping spec.project, as applicationset/controllers/template/patch.go
// does.
func applyTemplatePatch(app *v1alpha1.Application, patch string) (*v1alpha1.Application, error) {
	orig, err := json.Marshal(app)
	if err != nil {
		return nil, err
	}
	pj, err := utils.ConvertYAMLToJSON(patch)
	if err != nil {
		return nil, fmt.Errorf("converting to JSON: %w", err)
	}
	if err := json.Unmarshal([]byte(pj), &v1alpha1.Application{}); err != nil {
		return nil, fmt.Errorf("invalid patch: %w", err)
	}
	out, err := strategicpatch.StrategicMergePatch(orig, []byte(pj), v1alpha1.Application{})
	if err != nil {
		return nil, err
	}
	var res v1alpha1.Application
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, err
	}
	res.Spec.Project = app.Spec.Project
	return &res, nil
}
