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
	ctx     *hcl.EvalContext
	unknown map[string]string // "var.x" / "local.y" → why it has no value
	broken  map[string]bool   // files with syntax errors: their resources are not read
}

// terraform reads every module directory that declares kubernetes_manifest
// resources. Directories without one are never reported on.
func (d *discoverer) terraform() {
	for _, dir := range d.tfDirs {
		d.tfModule(dir)
	}
}

func (d *discoverer) tfModule(dir string) {
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
	m := &tfModule{d: d, dir: dir, abs: abs, src: map[string][]byte{}, unknown: map[string]string{}, broken: map[string]bool{}}
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
	if strings.HasSuffix(name, ".json") {
		f, diags = hcljson.Parse(data, rel)
	} else {
		f, diags = hclsyntax.ParseConfig(data, rel, hcl.InitialPos)
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
