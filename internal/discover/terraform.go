package discover

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// tfModule is one directory of Terraform files.
type tfModule struct {
	d       *discoverer
	dir     string // checkout-relative
	abs     string
	src     map[string][]byte // checkout-relative file → content
	files   []*hcl.File
	vars    *tfVars
	locals  map[string]*tfValue
	unknown map[string]string // "var.x" / "local.y" → why it has no value
	broken  map[string]bool   // files with syntax errors: their resources are not read
	meter   *tfMeter
	fns     map[string]function.Function
	sizes   map[string]int64 // "var.x" / "local.y" → valueSize, charged per reference
}

// terraform reads every module directory that declares kubernetes_manifest
// resources. Directories without one are never reported on.
func (d *discoverer) terraform() {
	total := int64(tfTotalBudget)
	for _, dir := range d.tfDirs {
		d.tfModule(dir, &total)
	}
}

func (d *discoverer) tfModule(dir string, budget *int64) {
	abs := filepath.Join(d.root, filepath.FromSlash(dir))
	entries, err := os.ReadDir(abs)
	if err != nil {
		return
	}
	var tf, tfvars []string
	for _, e := range entries {
		n := e.Name()
		switch {
		case e.IsDir():
		case strings.HasSuffix(n, ".tf"):
			tf = append(tf, n)
		case strings.HasSuffix(n, ".tfvars"), strings.HasSuffix(n, ".tfvars.json"):
			tfvars = append(tfvars, n)
		}
	}
	m := &tfModule{d: d, dir: dir, abs: abs, src: map[string][]byte{}, unknown: map[string]string{}, broken: map[string]bool{},
		meter: &tfMeter{left: tfBudget, shared: budget}, sizes: map[string]int64{}}
	relevant := false
	var parsed []*hcl.File
	var diags hcl.Diagnostics
	for _, n := range tf {
		rel := path.Join(dir, n)
		if d.excluded(rel) {
			continue
		}
		p := filepath.Join(abs, n)
		if !d.insideRoot(p) {
			continue
		}
		data, err := readCapped(p, d.opts.MaxFileSize)
		if err != nil {
			continue
		}
		m.src[rel] = data
		relevant = relevant || bytes.Contains(data, []byte("kubernetes_manifest"))
		if loc, err := hclDepthOK(data, rel); err != nil {
			m.broken[rel] = true
			diags = append(diags, depthDiag(loc, err))
			continue
		}
		f, fd := hclsyntax.ParseConfig(data, rel, hcl.InitialPos)
		diags = append(diags, fd...)
		if f != nil {
			parsed = append(parsed, f)
		}
	}
	if !relevant {
		return
	}
	m.files = parsed
	for _, f := range parsed {
		if body, ok := f.Body.(*hclsyntax.Body); ok {
			meterForExprs(body, m.meter)
		}
	}
	m.fns = map[string]function.Function{}
	for name, fn := range d.tfFunctions(abs) {
		m.fns[name] = meteredFunc(name, fn, m.meter)
	}
	for _, diag := range diags {
		if diag.Severity == hcl.DiagError {
			loc := diagLocation(diag)
			m.broken[loc.File] = true
			d.errorf(loc, "invalid Terraform: %s", diagText(diag))
		}
	}
	m.vars = m.loadVars(tfvars)
	m.evalLocals()
	m.resources()
}

// readVarFile parses a .tfvars or .tfvars.json file.
func (m *tfModule) readVarFile(name string) *hcl.File {
	rel := path.Join(m.dir, name)
	p := filepath.Join(m.abs, name)
	if !m.d.insideRoot(p) {
		return nil
	}
	data, err := readCapped(p, m.d.opts.MaxFileSize)
	if err != nil {
		return nil
	}
	m.src[rel] = data
	var f *hcl.File
	var diags hcl.Diagnostics
	if loc, err := hclDepthOK(data, rel); err != nil {
		diags = hcl.Diagnostics{depthDiag(loc, err)}
	} else if strings.HasSuffix(name, ".json") {
		f, diags = hcljson.Parse(data, rel)
	} else {
		f, diags = hclsyntax.ParseConfig(data, rel, hcl.InitialPos)
		if f == nil {
			return nil
		}
		if body, ok := f.Body.(*hclsyntax.Body); ok {
			meterForExprs(body, m.meter)
		}
	}
	for _, diag := range diags {
		if diag.Severity == hcl.DiagError {
			m.d.errorf(diagLocation(diag), "invalid Terraform variables file: %s", diagText(diag))
		}
	}
	return f
}

// autoVarFiles orders the variable files Terraform loads by itself:
// terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in
// lexical order (Terraform's backend/local loading of -var-file defaults).
// The others are loaded only with -var-file.
func autoVarFiles(names []string) (auto, other []string) {
	sort.Strings(names)
	var autos []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		for _, x := range names {
			if x == n {
				auto = append(auto, n)
			}
		}
	}
	for _, n := range names {
		switch {
		case n == "terraform.tfvars" || n == "terraform.tfvars.json":
		case strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json"):
			autos = append(autos, n)
		default:
			other = append(other, n)
		}
	}
	return append(auto, autos...), other
}

// depthDiag reports a file refused by hclDepthOK as a syntax error.
func depthDiag(loc finding.Location, err error) *hcl.Diagnostic {
	pos := hcl.Pos{Line: loc.Line, Column: loc.Column}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Nesting too deep", Detail: err.Error(),
		Subject: &hcl.Range{Filename: loc.File, Start: pos, End: pos}}
}

func diagLocation(diag *hcl.Diagnostic) finding.Location {
	if diag.Subject == nil {
		return finding.Location{}
	}
	return rangeStart(*diag.Subject)
}

func rangeStart(r hcl.Range) finding.Location {
	return finding.Location{File: r.Filename, Line: r.Start.Line, Column: r.Start.Column}
}

func diagText(diag *hcl.Diagnostic) string {
	if diag.Detail == "" {
		return diag.Summary
	}
	return diag.Summary + ": " + strings.TrimSuffix(diag.Detail, ".")
}
