package discover

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"gopkg.in/yaml.v3"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// omitted marks a manifest leaf that could not be evaluated.
type omittedT struct{}

var omitted = omittedT{}

// manifestEval evaluates one resource's manifest attribute by attribute.
type manifestEval struct {
	m       *tfModule
	address string
	fields  map[string]finding.Location
	// yamlFile is the checkout-relative file read by yamldecode(file()).
	yamlFile string
}

// resources turns every kubernetes_manifest whose manifest is an ArgoCD
// Application into a target.Application.
func (m *tfModule) resources() {
	for _, b := range m.blocks("resource") {
		if len(b.Labels) != 2 || b.Labels[0] != "kubernetes_manifest" || m.broken[b.DefRange().Filename] {
			continue
		}
		attr, ok := b.Body.Attributes["manifest"]
		if !ok {
			continue
		}
		addr := "kubernetes_manifest." + b.Labels[1]
		e := &manifestEval{m: m, address: addr, fields: map[string]finding.Location{}}
		data := e.value(attr.Expr, "")
		obj, ok := data.(map[string]any)
		if !ok || obj["apiVersion"] != argoAPIVersion || obj["kind"] != kindApplication {
			continue
		}
		decl := rangeStart(b.DefRange())
		var app v1alpha1.Application
		if err := decodeJSON(obj, &app); err != nil {
			name, _ := nested(obj, "metadata", "name").(string)
			m.d.decodeProblem(kindApplication, name, err, decl.File, decl, e.fields)
			continue
		}
		m.d.apps = append(m.d.apps, &target.Application{
			App:              &app,
			Declared:         decl,
			Origin:           target.OriginTerraform,
			Fields:           e.fields,
			TerraformAddress: addr,
		})
		if e.yamlFile != "" {
			m.d.tfConsumed[e.yamlFile] = true
		}
	}
}

func nested(v any, keys ...string) any {
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// value evaluates expr at key path p: object and tuple constructors item by
// item (recording their positions), anything else as a whole. It returns
// omitted when the expression cannot be evaluated offline, after reporting
// it.
func (e *manifestEval) value(expr hcl.Expression, p string) any {
	switch x := expr.(type) {
	case *hclsyntax.ParenthesesExpr:
		return e.value(x.Expression, p)
	case *hclsyntax.ObjectConsExpr:
		out := map[string]any{}
		for _, item := range x.Items {
			k, ok := e.leaf(item.KeyExpr)
			if !ok {
				continue
			}
			key, isStr := k.(string)
			if !isStr {
				key = fmt.Sprint(k)
			}
			kp := joinPath(p, key)
			e.fields[kp] = rangeStart(item.KeyExpr.Range())
			if v := e.value(item.ValueExpr, kp); v != omitted {
				out[key] = v
			}
		}
		return out
	case *hclsyntax.TupleConsExpr:
		out := []any{}
		for i, el := range x.Exprs {
			ip := p + "[" + strconv.Itoa(i) + "]"
			e.fields[ip] = rangeStart(el.Range())
			if v := e.value(el, ip); v != omitted {
				out = append(out, v)
			}
		}
		return out
	case *hclsyntax.FunctionCallExpr:
		if x.Name == "yamldecode" && len(x.Args) == 1 {
			e.embeddedYAMLFields(x.Args[0], p)
		}
	}
	v, ok := e.leaf(expr)
	if !ok {
		return omitted
	}
	return v
}

// leaf evaluates a whole expression into JSON data, reporting it as not
// analyzed when it depends on something unknown offline.
func (e *manifestEval) leaf(expr hcl.Expression) (any, bool) {
	m := e.m
	val, diags := m.eval(expr)
	if diags.HasErrors() {
		loc := rangeStart(expr.Range())
		if diags[0].Subject != nil {
			loc = rangeStart(*diags[0].Subject)
		}
		m.d.skipped(loc, "%s: cannot evaluate this expression offline (%s); it is left out of the Application", e.address, diagText(diags[0]))
		return nil, false
	}
	if !val.IsWhollyKnown() {
		rng, why, ok := m.why(expr)
		if !ok {
			why = "a value known only after terraform apply"
		}
		m.d.skipped(rangeStart(rng), "%s: this value depends on %s; it is left out of the Application", e.address, why)
		return nil, false
	}
	data, err := ctyToJSON(val)
	if err != nil {
		m.d.skipped(rangeStart(expr.Range()), "%s: %v", e.address, err)
		return nil, false
	}
	return data, true
}

// ctyToJSON converts a known cty value into JSON data.
func ctyToJSON(v cty.Value) (any, error) {
	b, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// embeddedYAMLFields records field positions for yamldecode(file(...)) (in
// the YAML file) and yamldecode(<<EOT ... EOT) (in the heredoc).
func (e *manifestEval) embeddedYAMLFields(arg hcl.Expression, p string) {
	m := e.m
	switch a := arg.(type) {
	case *hclsyntax.FunctionCallExpr:
		if a.Name != "file" || len(a.Args) != 1 {
			return
		}
		pv, diags := m.eval(a.Args[0])
		if diags.HasErrors() || !pv.IsWhollyKnown() || !pv.Type().Equals(cty.String) {
			return
		}
		abs, err := m.d.moduleFile(m.abs, pv.AsString())
		if err != nil {
			return
		}
		data, err := readCapped(abs, m.d.opts.MaxFileSize)
		if err != nil {
			return
		}
		e.yamlFile = m.d.rel(abs)
		e.yamlFields(data, e.yamlFile, 0, true, p)
	case *hclsyntax.TemplateExpr:
		src := m.text(a.SrcRange)
		v, diags := m.eval(a)
		if diags.HasErrors() || !v.IsWhollyKnown() || !v.Type().Equals(cty.String) {
			return
		}
		// The range starts at the "<<EOT" marker; the body's lines map one
		// to one onto the YAML unless an interpolation spans lines. "<<-"
		// strips indentation, shifting columns, so they are dropped then.
		if !strings.HasPrefix(src, "<<") || strings.Count(src, "\n")-1 != strings.Count(v.AsString(), "\n") {
			return
		}
		exact := !strings.HasPrefix(src, "<<-")
		e.yamlFields([]byte(v.AsString()), a.SrcRange.Filename, a.SrcRange.Start.Line, exact, p)
	}
}

func (e *manifestEval) yamlFields(data []byte, file string, lineOffset int, columns bool, p string) {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil || n.Kind != yaml.DocumentNode || len(n.Content) == 0 {
		return
	}
	tmp := map[string]finding.Location{}
	fieldPositions(n.Content[0], file, lineOffset, p, tmp)
	for k, l := range tmp {
		if !columns {
			l.Column = 0
		}
		if _, ok := e.fields[k]; !ok {
			e.fields[k] = l
		}
	}
}
