package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Decode reads a JSON report (docs/json.md) back into a Result, for commands
// that merge or compare reports. Root, GeneratedAt and Checks are not part
// of the schema and come back empty. Unknown fields are ignored so that a
// report with later optional fields still decodes; a different
// schemaVersion is an error. Errors name the line of the input.
func Decode(r io.Reader) (*Result, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read json report: %w", err)
	}
	var doc jsonDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode json report: %w", withLine(data, err))
	}
	if doc.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("decode json report: schemaVersion %d is not supported (want %d)", doc.SchemaVersion, SchemaVersion)
	}
	res := &Result{
		SchemaVersion: doc.SchemaVersion,
		Tool:          Tool{Name: doc.Tool.Name, Version: doc.Tool.Version},
		Suppressed:    doc.Suppressed,
	}
	for _, t := range doc.Targets {
		res.Targets = append(res.Targets, TargetSummary{
			App: t.App, Env: t.Env, Chart: t.Chart, ValueFiles: t.ValueFiles, Objects: t.Objects, Error: t.Error,
		})
	}
	for i, jf := range doc.Findings {
		f, err := findingFromJSON(jf)
		if err != nil {
			return nil, fmt.Errorf("decode json report: findings[%d]: %w", i, err)
		}
		res.Findings = append(res.Findings, f)
	}
	for _, p := range doc.Problems {
		res.Problems = append(res.Problems, Problem{Location: locationFromJSON(p.Location), Message: p.Message})
	}
	return res, nil
}

func findingFromJSON(jf jsonFinding) (finding.Finding, error) {
	if jf.Check == "" {
		return finding.Finding{}, errors.New("check is missing")
	}
	sev, err := finding.ParseSeverity(jf.Severity)
	if err != nil {
		return finding.Finding{}, fmt.Errorf("check %s: %w", jf.Check, err)
	}
	f := finding.Finding{
		Check: jf.Check, Severity: sev, App: jf.App, Env: jf.Env,
		Location: locationFromJSON(jf.Location), Message: jf.Message, Impact: jf.Impact,
	}
	if o := jf.Object; o != nil {
		f.Object = finding.ObjectRef{Group: o.Group, Version: o.Version, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name}
	}
	for _, e := range jf.Evidence {
		f.Evidence = append(f.Evidence, finding.Evidence{Label: e.Label, Value: e.Value, At: locationFromJSON(e.Location)})
	}
	for _, x := range jf.Fixes {
		f.Fixes = append(f.Fixes, finding.Fix{Title: x.Title, Kind: finding.FixKind(x.Kind), File: x.File, Patch: x.Patch})
	}
	return f, nil
}

func locationFromJSON(l *jsonLocation) finding.Location {
	if l == nil {
		return finding.Location{}
	}
	return finding.Location{File: l.File, Line: l.Line, Column: l.Column, EndLine: l.EndLine, EndColumn: l.EndColumn}
}

// withLine adds the 1-based line of a syntax or type error's byte offset.
func withLine(data []byte, err error) error {
	var off int64
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	default:
		return err
	}
	off = min(max(off, 0), int64(len(data)))
	line := bytes.Count(data[:off], []byte("\n")) + 1
	return fmt.Errorf("line %d: %w", line, err)
}
