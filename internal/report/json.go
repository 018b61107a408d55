package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// jsonReporter writes the stable machine format of docs/json.md. It goes
// through its own wire types rather than finding's JSON tags so that the
// schema changes only when this file does: arrays are always present ([]
// when empty) and optional strings and objects are left out when empty.
type jsonReporter struct{}

type jsonDoc struct {
	SchemaVersion int           `json:"schemaVersion"`
	Tool          jsonTool      `json:"tool"`
	Targets       []jsonTarget  `json:"targets"`
	Findings      []jsonFinding `json:"findings"`
	Problems      []jsonProblem `json:"problems"`
	Suppressed    int           `json:"suppressed,omitempty"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonTarget struct {
	App        string   `json:"app"`
	Env        string   `json:"env,omitempty"`
	Chart      string   `json:"chart,omitempty"`
	ValueFiles []string `json:"valueFiles"`
	Objects    int      `json:"objects"`
	Error      string   `json:"error,omitempty"`
}

type jsonFinding struct {
	Check    string         `json:"check"`
	Severity string         `json:"severity"`
	App      string         `json:"app,omitempty"`
	Env      string         `json:"env,omitempty"`
	Object   *jsonObject    `json:"object,omitempty"`
	Location *jsonLocation  `json:"location,omitempty"`
	Message  string         `json:"message"`
	Evidence []jsonEvidence `json:"evidence"`
	Impact   string         `json:"impact,omitempty"`
	Fixes    []jsonFix      `json:"fixes"`
}

type jsonObject struct {
	Group     string `json:"group,omitempty"`
	Version   string `json:"version,omitempty"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
}

type jsonLocation struct {
	File      string `json:"file"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
}

type jsonEvidence struct {
	Label    string        `json:"label"`
	Value    string        `json:"value"`
	Location *jsonLocation `json:"location,omitempty"`
}

type jsonFix struct {
	Title string `json:"title"`
	Kind  string `json:"kind"`
	File  string `json:"file,omitempty"`
	Patch string `json:"patch"`
}

type jsonProblem struct {
	Location *jsonLocation `json:"location,omitempty"`
	Message  string        `json:"message"`
}

func (jsonReporter) Report(w io.Writer, res *Result) error {
	doc, err := toJSON(res)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Messages quote templates ({{ if .Values.x }}) and arrows; keep them
	// readable rather than \u003c-escaped, since nobody embeds this in HTML.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

func toJSON(res *Result) (*jsonDoc, error) {
	doc := &jsonDoc{
		SchemaVersion: SchemaVersion,
		Tool:          jsonTool{Name: res.Tool.Name, Version: res.Tool.Version},
		Targets:       make([]jsonTarget, 0, len(res.Targets)),
		Findings:      make([]jsonFinding, 0, len(res.Findings)),
		Problems:      make([]jsonProblem, 0, len(res.Problems)),
		Suppressed:    res.Suppressed,
	}
	for _, t := range res.Targets {
		doc.Targets = append(doc.Targets, jsonTarget{
			App: t.App, Env: t.Env, Chart: t.Chart, ValueFiles: nonNil(t.ValueFiles),
			Objects: t.Objects, Error: t.Error,
		})
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		sev, err := f.Severity.MarshalText()
		if err != nil {
			return nil, fmt.Errorf("finding %d (%s at %s): %w", i, f.Check, where(f), err)
		}
		jf := jsonFinding{
			Check: f.Check, Severity: string(sev), App: f.App, Env: f.Env,
			Object: objectToJSON(f.Object), Location: locationToJSON(f.Location),
			Message: f.Message, Impact: f.Impact,
			Evidence: make([]jsonEvidence, 0, len(f.Evidence)),
			Fixes:    make([]jsonFix, 0, len(f.Fixes)),
		}
		for _, e := range f.Evidence {
			jf.Evidence = append(jf.Evidence, jsonEvidence{Label: e.Label, Value: e.Value, Location: locationToJSON(e.At)})
		}
		for _, x := range f.Fixes {
			jf.Fixes = append(jf.Fixes, jsonFix{Title: x.Title, Kind: string(x.Kind), File: x.File, Patch: x.Patch})
		}
		doc.Findings = append(doc.Findings, jf)
	}
	for _, p := range res.Problems {
		doc.Problems = append(doc.Problems, jsonProblem{Location: locationToJSON(p.Location), Message: p.Message})
	}
	return doc, nil
}

func objectToJSON(o finding.ObjectRef) *jsonObject {
	if o.IsZero() {
		return nil
	}
	return &jsonObject{Group: o.Group, Version: o.Version, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name}
}

func locationToJSON(l finding.Location) *jsonLocation {
	if l.IsZero() {
		return nil
	}
	return &jsonLocation{File: l.File, Line: l.Line, Column: l.Column, EndLine: l.EndLine, EndColumn: l.EndColumn}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
