package render

import (
	"errors"
	"regexp"
	"strconv"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// Error is a render failure with the position the user should look at:
// the template file:line:col of a Helm template error, the Chart.yaml line
// of a missing dependency, the value file that failed, or the source
// directory when nothing finer is known.
type Error struct {
	Loc finding.Location
	Err error
}

// Error formats as "file:line:col: message", leaving out unknown parts.
func (e *Error) Error() string {
	pos := e.Loc.File
	if pos == "" {
		return e.Err.Error()
	}
	if e.Loc.Line > 0 {
		pos += ":" + strconv.Itoa(e.Loc.Line)
		if e.Loc.Column > 0 {
			pos += ":" + strconv.Itoa(e.Loc.Column)
		}
	}
	return pos + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// helmPosRe finds the template position in Helm engine errors. The engine
// (helm pkg/engine/engine.go cleanupParseError/cleanupExecError) produces
// "parse error at (chart/templates/x.yaml:12): ...", "execution error at
// (chart/templates/x.yaml:12:3): ..." or passes text/template's own
// "template: chart/templates/x.yaml:12:3: executing ..." through.
var helmPosRe = regexp.MustCompile(`(?:template: |error at \(|error in \()([^\s:()]+):(\d+)(?::(\d+))?`)

// templatePosition extracts the chart-relative template path, line and
// column of the first position in a Helm error message.
func templatePosition(msg string) (name string, line, col int, ok bool) {
	m := helmPosRe.FindStringSubmatch(msg)
	if m == nil {
		return "", 0, 0, false
	}
	line, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		col, _ = strconv.Atoi(m[3])
	}
	return m[1], line, col, true
}

// asError returns err as an *Error, wrapping it at loc when it is not one.
func asError(err error, loc finding.Location) error {
	if err == nil {
		return nil
	}
	var re *Error
	if errors.As(err, &re) {
		return err
	}
	return &Error{Loc: loc, Err: err}
}
