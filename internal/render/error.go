package render

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

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

// helmError is a Helm engine error with its message made fit for a
// report: include chains condensed and tpl strings replaced by a hash.
// The original error stays reachable through Unwrap.
type helmError struct {
	msg string
	err error
}

func (e *helmError) Error() string { return e.msg }
func (e *helmError) Unwrap() error { return e.err }

// tplQuoteRe finds the tpl string Helm quotes in its tpl errors (helm
// pkg/engine/engine.go tplFun: "cannot parse template %q", "error during
// tpl function execution for %q"). That string is often a value, and
// values feed Secrets: reports name it by hash only.
var tplQuoteRe = regexp.MustCompile(`(cannot parse template|error during tpl function execution for) "(?:[^"\\]|\\.)*"`)

// maxChainLinks is how many links of a nested include/tpl error chain a
// message keeps at each end; a recursive include makes a chain of a
// thousand links (Helm's recursionMaxNums), some 100 KB of text.
const maxChainLinks = 2

// cleanHelmError condenses and redacts a Helm engine error.
func cleanHelmError(err error) error {
	msg := tplQuoteRe.ReplaceAllStringFunc(err.Error(), func(m string) string {
		q := m[strings.Index(m, `"`):]
		sum := sha256.Sum256([]byte(q))
		return m[:strings.Index(m, `"`)] + "a tpl string (sha256:" + hex.EncodeToString(sum[:4]) + ")"
	})
	const sep = ": error calling "
	if links := strings.Split(msg, sep); len(links) > 2*maxChainLinks+1 {
		kept := append(append([]string(nil), links[:maxChainLinks]...),
			fmt.Sprintf("[%d nested calls left out]", len(links)-2*maxChainLinks))
		msg = strings.Join(append(kept, links[len(links)-maxChainLinks:]...), sep)
	}
	if msg == err.Error() {
		return err
	}
	return &helmError{msg: msg, err: err}
}
