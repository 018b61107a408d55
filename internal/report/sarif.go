package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// sarifReporter writes SARIF 2.1.0 for code-scanning services. A finding
// without a source line gets a logical location (its object) and never an
// invented line; kube-linter's "line 1" is the pattern avoided here.
type sarifReporter struct{}

func (sarifReporter) Report(w io.Writer, res *Result) error {
	log, err := toSARIF(res)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

func toSARIF(res *Result) (*sarifLog, error) {
	rules, index := sarifRules(res)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: res.Tool.Name, Version: res.Tool.Version, InformationURI: informationURI, Rules: rules,
		}},
		Invocations: []sarifInvocation{sarifInvocationOf(res)},
		ColumnKind:  "unicodeCodePoints",
		Results:     make([]sarifResult, 0, len(res.Findings)),
	}
	if u := rootURI(res.Root); u != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{sarifSrcRoot: {URI: u}}
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		level, err := sarifLevel(f.Severity)
		if err != nil {
			return nil, fmt.Errorf("finding %d (%s at %s): %w", i, f.Check, where(f), err)
		}
		r := sarifResult{
			RuleID:              f.Check,
			RuleIndex:           index[f.Check],
			Level:               level,
			Message:             sarifMessage{Text: f.Message},
			Locations:           []sarifLocation{},
			PartialFingerprints: map[string]string{sarifFingerprint: f.Fingerprint()},
		}
		if l, ok := primaryLocation(f); ok {
			r.Locations = append(r.Locations, l)
		}
		for _, e := range f.Evidence {
			if pl := physical(e.At); pl != nil {
				id := len(r.RelatedLocations) + 1
				r.RelatedLocations = append(r.RelatedLocations, sarifLocation{
					ID: &id, PhysicalLocation: pl, Message: &sarifMessage{Text: e.Label + ": " + e.Value},
				})
			}
		}
		for _, fx := range f.Fixes {
			if sf, ok := sarifFixOf(fx); ok {
				r.Fixes = append(r.Fixes, sf)
			}
		}
		if p := (sarifProperties{App: f.App, Env: f.Env, Object: f.Object.String(), Impact: f.Impact}); p != (sarifProperties{}) {
			r.Properties = &p
		}
		run.Results = append(run.Results, r)
	}
	return &sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}, nil
}

// sarifRules lists Result.Checks in their order, then a bare rule for any
// check that has findings but no CheckInfo, so every ruleId resolves.
func sarifRules(res *Result) ([]sarifRule, map[string]int) {
	rules := make([]sarifRule, 0, len(res.Checks))
	index := map[string]int{}
	for _, c := range res.Checks {
		if _, dup := index[c.ID]; dup {
			continue
		}
		index[c.ID] = len(rules)
		r := sarifRule{ID: c.ID, HelpURI: c.HelpURI}
		if c.Summary != "" {
			r.ShortDescription = &sarifMessage{Text: c.Summary}
		}
		if c.Doc != "" {
			r.FullDescription = &sarifMessage{Text: c.Doc, Markdown: c.Doc}
			r.Help = &sarifMessage{Text: c.Doc, Markdown: c.Doc}
		}
		if level, err := sarifLevel(c.Severity); err == nil {
			r.DefaultConfiguration = &sarifConfiguration{Level: level}
		}
		rules = append(rules, r)
	}
	var missing []string
	for i := range res.Findings {
		if id := res.Findings[i].Check; !slices.Contains(missing, id) {
			if _, ok := index[id]; !ok {
				missing = append(missing, id)
			}
		}
	}
	slices.Sort(missing)
	for _, id := range missing {
		index[id] = len(rules)
		rules = append(rules, sarifRule{ID: id})
	}
	return rules, index
}

// sarifLevel maps a Severity to a result level (§3.27.10).
func sarifLevel(s finding.Severity) (string, error) {
	switch s {
	case finding.Error:
		return "error", nil
	case finding.Warning:
		return "warning", nil
	case finding.Info:
		return "note", nil
	}
	return "", fmt.Errorf("invalid severity %d", int(s))
}

// primaryLocation is the file and line when known; otherwise a logical
// location naming the object, or the file without a line. A finding with
// neither has no location (false), which SARIF allows.
func primaryLocation(f *finding.Finding) (sarifLocation, bool) {
	if pl := physical(f.Location); pl != nil {
		return sarifLocation{PhysicalLocation: pl}, true
	}
	var ll []sarifLogicalLocation
	if !f.Object.IsZero() {
		ll = append(ll, sarifLogicalLocation{Name: f.Object.Name, FullyQualifiedName: f.Object.String(), Kind: "resource"})
	}
	if !f.Location.IsZero() {
		ll = append(ll, sarifLogicalLocation{FullyQualifiedName: f.Location.File, Kind: "module"})
	}
	return sarifLocation{LogicalLocations: ll}, len(ll) > 0
}

// physical returns a physical location for a position with a real line,
// and nil otherwise: SARIF consumers would pin a region-less location to the
// top of the file, which is the invented line we refuse to write.
func physical(l finding.Location) *sarifPhysicalLocation {
	if l.IsZero() || l.Line < 1 {
		return nil
	}
	r := &sarifRegion{StartLine: l.Line, StartColumn: max(l.Column, 0)}
	if l.EndLine >= l.Line {
		r.EndLine = l.EndLine
		r.EndColumn = max(l.EndColumn, 0)
	}
	return &sarifPhysicalLocation{ArtifactLocation: artifact(l.File), Region: r}
}

func artifact(file string) sarifArtifactLocation {
	// url.URL escapes spaces and '%' and prefixes "./" when the first
	// segment holds a colon, so the reference stays relative.
	return sarifArtifactLocation{URI: (&url.URL{Path: file}).String(), URIBaseID: sarifSrcRoot}
}

// rootURI turns an absolute checkout root into the file: URI (ending in
// "/") that %SRCROOT% stands for; a relative or empty root gives "".
func rootURI(root string) string {
	root = strings.ReplaceAll(root, `\`, "/")
	if len(root) >= 3 && root[1] == ':' && root[2] == '/' {
		root = "/" + root // Windows drive: file:///C:/...
	}
	if !strings.HasPrefix(root, "/") {
		return ""
	}
	if !strings.HasSuffix(root, "/") {
		root += "/"
	}
	return (&url.URL{Scheme: "file", Path: root}).String()
}

// sarifFixOf converts a fix whose edits are all positioned replace-text
// edits; any other edit cannot be expressed as a region replacement without
// reading the file, so the whole fix is left out.
func sarifFixOf(fx finding.Fix) (sarifFix, bool) {
	if len(fx.Edits) == 0 {
		return sarifFix{}, false
	}
	out := sarifFix{Description: sarifMessage{Text: fx.Title}}
	byFile := map[string]int{}
	for _, e := range fx.Edits {
		if e.Op != finding.OpReplaceText || e.File == "" || e.At.Line < 1 || e.At.Column < 1 ||
			(e.At.File != "" && e.At.File != e.File) {
			return sarifFix{}, false
		}
		i, ok := byFile[e.File]
		if !ok {
			i = len(out.ArtifactChanges)
			byFile[e.File] = i
			out.ArtifactChanges = append(out.ArtifactChanges, sarifArtifactChange{ArtifactLocation: artifact(e.File)})
		}
		out.ArtifactChanges[i].Replacements = append(out.ArtifactChanges[i].Replacements, sarifReplacement{
			DeletedRegion:   deletedRegion(e.At, e.Old),
			InsertedContent: &sarifMessage{Text: e.Value},
		})
	}
	return out, true
}

// deletedRegion spans old starting at at; columns count characters and the
// end column is exclusive (§3.30.5), so an empty old is an insertion point.
func deletedRegion(at finding.Location, old string) sarifRegion {
	lines := strings.Split(old, "\n")
	last := lines[len(lines)-1]
	r := sarifRegion{StartLine: at.Line, StartColumn: at.Column, EndLine: at.Line + len(lines) - 1}
	if len(lines) == 1 {
		r.EndColumn = at.Column + utf8.RuneCountInString(old)
	} else {
		r.EndColumn = utf8.RuneCountInString(last) + 1
	}
	return r
}

// sarifInvocationOf reports the targets that were not checked and the
// problems that stopped part of the run as tool execution notifications.
// The run itself completed, so executionSuccessful stays true: false would
// tell consumers to distrust the results that are there.
func sarifInvocationOf(res *Result) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, t := range res.Targets {
		if t.Error == "" {
			continue
		}
		name := appName(t.App)
		if t.Env != "" {
			name += "/" + t.Env
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "error", Message: sarifMessage{Text: "target " + name + " not checked: " + t.Error},
		})
	}
	for _, p := range res.Problems {
		n := sarifNotification{Level: "error", Message: sarifMessage{Text: p.Message}}
		if pl := physical(p.Location); pl != nil {
			n.Locations = []sarifLocation{{PhysicalLocation: pl}}
		} else if !p.Location.IsZero() {
			n.Message.Text = p.Location.String() + ": " + p.Message
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	return inv
}
