package check

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
	"github.com/syncdoctor/syncdoctor/internal/values"
)

// templateRenderer is what the guard probe and fix validation need from
// in.Renderer (internal/render implements it; see render/override.go).
type templateRenderer interface {
	RenderWithTemplates(ctx context.Context, t *target.Target, vals map[string]any, overrides map[string]string) ([]*manifest.Object, error)
	RenderTemplateOutput(ctx context.Context, t *target.Target, vals map[string]any, overrides map[string]string) (map[string]string, error)
}

// missing is one template that renders nothing for one target.
type missing struct {
	r      *Rendered
	tpl    string // Helm template name ("db-init/templates/job.yaml")
	file   string // checkout-relative template file
	text   string // template source
	others []*Rendered
	// guard is the enclosing whole-output guard that is false here; nil
	// when none could be found.
	guard *values.Guard
	// enclosing are the whole-output guards around guard.
	enclosing []values.Guard
	// action is the guard's {{ ... }} text and where it starts in text.
	action    string
	actionOff int
	alts      []values.Path
	apis      []string // API versions a Capabilities guard asks for
	// deliberate is set when the env's own values switch the template off.
	deliberate bool
	offBy      values.Path
}

// analyseMissing decides whether tpl rendering nothing for r is a finding.
// It returns nil when it is not (and the target is not explained either).
func analyseMissing(ctx context.Context, in *Input, ix *values.Index, r *Rendered, tpl string, others []*Rendered) *missing {
	guards := ix.Guards(tpl)
	file := ""
	if rs := ix.Reads(tpl); len(rs) > 0 {
		file = rs[0].At.File
	}
	for _, g := range guards {
		file = g.At.File
	}
	if file == "" || in.Files == nil {
		return nil
	}
	data, err := in.Files.ReadFile(file)
	if err != nil {
		return nil
	}
	m := &missing{r: r, tpl: tpl, file: file, text: string(data), others: others}
	var chain []values.Guard
	for _, g := range guards {
		if g.WholeOutput {
			chain = append(chain, g)
		}
	}
	if k, ok := m.failingGuard(ctx, in, chain); ok && k < len(chain) {
		m.guard, m.enclosing = &chain[k], chain[:k]
		m.action, m.actionOff = guardAction(m.text, m.guard)
	}
	switch {
	case m.guard == nil:
		// Nothing to point at: report the difference across environments
		// only, never within one.
		if len(others) == 0 || strings.TrimSpace(m.text) == "" {
			return nil
		}
		return m
	case strings.Contains(m.guard.Expr, ".Capabilities.APIVersions.Has"):
		return m.capabilities(others)
	case len(m.guard.Tests) == 0:
		return nil // release name, namespace, kube version: deliberate by construction
	}
	if p, ok := m.switchedOff(in); ok {
		m.deliberate, m.offBy = true, p
		return m
	}
	m.alts = alternatives(in, r, m.guard)
	if len(others) == 0 && (len(m.alts) == 0 || m.guard.Negated) {
		return nil
	}
	return m
}

// failingGuard finds the first guard of the chain that is false for the
// target: it renders the template with a marker after each guard's
// opening action and looks for the markers in the raw output. ok is false
// when the probe cannot run.
func (m *missing) failingGuard(ctx context.Context, in *Input, chain []values.Guard) (int, bool) {
	tr, ok := in.Renderer.(templateRenderer)
	if !ok || len(chain) == 0 {
		return 0, false
	}
	probe := m.text
	// Insert from the last guard so earlier offsets stay valid.
	for k := len(chain) - 1; k >= 0; k-- {
		action, off := guardAction(m.text, &chain[k])
		if action == "" {
			return 0, false
		}
		end := off + len(action)
		probe = probe[:end] + "\n" + probeMarker(k) + "\n" + probe[end:]
	}
	outs, err := tr.RenderTemplateOutput(ctx, m.r.Target, m.r.Values, map[string]string{m.file: probe})
	if err != nil {
		return 0, false
	}
	text := outs[m.file]
	for k := range chain {
		if !strings.Contains(text, probeMarker(k)) {
			return k, true
		}
	}
	return len(chain), true
}

func probeMarker(k int) string { return "#syncdoctor-probe-" + strconv.Itoa(k) + ";" }

// guardAction returns the {{ if … }} action text of a guard and its offset
// in text; "" when the position does not lead to one.
func guardAction(text string, g *values.Guard) (string, int) {
	off := rnrLineOffset(text, g.At.Line) + g.At.Column - 1
	if off < 0 || off > len(text) {
		return "", 0
	}
	start := strings.LastIndex(text[:off], "{{")
	end := strings.Index(text[off:], "}}")
	if start < 0 || end < 0 {
		return "", 0
	}
	return text[start : off+end+2], start
}

// lineOffset is the byte offset of a 1-based line.
func rnrLineOffset(text string, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return off
}

// switchedOff reports a tested key the target's own values set to false
// (true under `not`): the template is off on purpose.
func (m *missing) switchedOff(in *Input) (values.Path, bool) {
	negs := negatedFields(m.guard.Expr)
	for _, p := range m.guard.TestPaths() {
		if _, user := rnrOrigin(in, m.r, p); !user {
			continue
		}
		v, _ := values.Lookup(m.r.Values, p)
		if b, ok := v.(bool); ok && b == negs[p.String()] {
			return p, true
		}
	}
	return nil, false
}

// negatedFields maps each .Values path of a guard expression to whether
// it sits under an odd number of `not`: then true switches the guard off.
// Paths through variables or a rebound dot are not resolved (absent).
func negatedFields(expr string) map[string]bool {
	out := map[string]bool{}
	tr := parse.New("guard")
	tr.Mode = parse.SkipFuncCheck
	trees := map[string]*parse.Tree{}
	if _, err := tr.Parse("{{ if "+expr+" }}{{ end }}", "", "", trees); err != nil || trees["guard"] == nil {
		return out
	}
	var walk func(n parse.Node, neg bool)
	walk = func(n parse.Node, neg bool) {
		switch n := n.(type) {
		case *parse.IfNode:
			walk(n.Pipe, neg)
		case *parse.PipeNode:
			for _, c := range n.Cmds {
				walk(c, neg)
			}
		case *parse.CommandNode:
			if len(n.Args) > 0 {
				if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "not" {
					neg = !neg
				}
			}
			for _, a := range n.Args {
				walk(a, neg)
			}
		case *parse.FieldNode:
			if len(n.Ident) > 1 && n.Ident[0] == "Values" {
				out[values.Path(n.Ident[1:]).String()] = neg
			}
		case *parse.VariableNode:
			if len(n.Ident) > 2 && n.Ident[0] == "$" && n.Ident[1] == "Values" {
				out[values.Path(n.Ident[2:]).String()] = neg
			}
		}
	}
	for _, n := range trees["guard"].Root.Nodes {
		walk(n, false)
	}
	return out
}

// alternatives are the keys the guarded body reads that are set (truthy)
// by the target's own values while the chart default leaves them empty:
// another way of giving what the guard tests.
func alternatives(in *Input, r *Rendered, g *values.Guard) []values.Path {
	tested := g.TestPaths()
	var out []values.Path
	seen := map[string]bool{}
	for _, rd := range g.BodyReads {
		p := rd.Path
		if seen[p.String()] || len(p) == 0 {
			continue
		}
		seen[p.String()] = true
		related := false
		for _, t := range tested {
			related = related || p.HasPrefix(t) || t.HasPrefix(p)
		}
		if related {
			continue
		}
		if _, user := rnrOrigin(in, r, p); !user {
			continue
		}
		v, _ := values.Lookup(r.Values, p)
		if !tplTruthy(v) {
			continue
		}
		if r.Chart != nil {
			if d, ok := values.Lookup(r.Chart.Values, p); ok && tplTruthy(d) {
				continue
			}
		}
		out = append(out, p)
	}
	// Prefer a key named like the tested one (host → hostKey).
	for i, p := range out {
		for _, t := range tested {
			if strings.HasPrefix(strings.ToLower(p[len(p)-1]), strings.ToLower(t[len(t)-1])) && i > 0 {
				out[0], out[i] = out[i], out[0]
				return out
			}
		}
	}
	return out
}

// truthy is text/template's notion of a true value for decoded YAML.
func tplTruthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0
	case int:
		return x != 0
	case map[string]any:
		return len(x) > 0
	case []any:
		return len(x) > 0
	}
	return true
}

var quotedRE = regexp.MustCompile(`"([^"\\]+)"`)

// capabilities handles a guard on .Capabilities.APIVersions.Has: reported
// only when the Application replaces the cluster's API list
// (helm.apiVersions, argo-cd GetAPIVersionsOrDefault) without the API that
// another environment has; otherwise the cluster's list, unknown offline,
// decides.
func (m *missing) capabilities(others []*Rendered) *missing {
	h := m.r.Target.Source.Helm
	if len(others) == 0 || h == nil || len(h.APIVersions) == 0 {
		return nil
	}
	for _, q := range quotedRE.FindAllStringSubmatch(m.guard.Expr, -1) {
		api := q[1]
		missingHere := true
		for _, a := range h.APIVersions {
			if a == api {
				missingHere = false
			}
		}
		if missingHere {
			m.apis = append(m.apis, api)
		}
	}
	if len(m.apis) == 0 {
		return nil
	}
	return m
}

// rnrDescribe renders a value for evidence: short, and hashed when the
// key looks like it holds a credential.
func rnrDescribe(p values.Path, v any, ok bool) string {
	if !ok || v == nil {
		return "unset"
	}
	key := ""
	if len(p) > 0 {
		key = strings.ToLower(p[len(p)-1])
	}
	for _, s := range []string{"password", "passwd", "token", "apikey", "privatekey", "credential", "secretaccesskey"} {
		if strings.Contains(key, s) || strings.HasSuffix(key, "secret") {
			return "(set, " + rnrHash(fmt.Sprint(v)) + ")"
		}
	}
	var s string
	switch x := v.(type) {
	case string:
		s = strconv.Quote(x)
	case map[string]any:
		s = fmt.Sprintf("a map of %d keys", len(x))
	case []any:
		s = fmt.Sprintf("a list of %d items", len(x))
	default:
		s = fmt.Sprint(x)
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}
