package suppress

import (
	"bufio"
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// Marker is the word that starts an inline suppression comment.
const Marker = "syncdoctor:ignore"

// The Application annotations that suppress checks for a whole app.
const (
	AnnotationIgnore = "syncdoctor.io/ignore"
	AnnotationReason = "syncdoctor.io/ignore-reason"
)

// Directive is one inline suppression comment.
type Directive struct {
	Line   int // 1-based line of the comment
	Column int // 1-based column of the marker
	Checks []string
	Reason string
	// HasReason is true when reason="..." is present and not blank.
	HasReason bool
	// Standalone is true when the line holds nothing but the comment, so
	// the directive also covers the next line.
	Standalone bool
}

// Covers reports whether the directive suppresses check id at line.
func (d Directive) Covers(id string, line int) bool {
	if line != d.Line && (!d.Standalone || line != d.Line+1) {
		return false
	}
	for _, c := range d.Checks {
		if c == id {
			return true
		}
	}
	return false
}

// idsRe matches the check IDs after the marker: kebab-case, comma separated.
var idsRe = regexp.MustCompile(`^\s+([a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*)`)

// reasonRe matches reason="..." with Go-style escapes inside the quotes.
var reasonRe = regexp.MustCompile(`^\s+reason\s*=\s*("(?:[^"\\]|\\.)*")`)

// commentOpeners are what may precede the marker: YAML/HCL line comments
// and Helm template comments, in their trimming and non-trimming forms.
var commentOpeners = []string{"#", "//", "/*", "{{/*", "{{- /*"}

// Parse returns the suppression directives of one file, in any of the
// comment syntaxes of YAML, HCL and Helm templates. A marker that is not
// in a comment (say inside a YAML string) is not a directive.
func Parse(data []byte) []Directive {
	if !bytes.Contains(data, []byte(Marker)) {
		return nil
	}
	var out []Directive
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	for n := 1; sc.Scan(); n++ {
		if d, ok := parseLine(sc.Text()); ok {
			d.Line = n
			out = append(out, d)
		}
	}
	return out
}

func parseLine(line string) (Directive, bool) {
	i := strings.Index(line, Marker)
	if i < 0 {
		return Directive{}, false
	}
	before := strings.TrimRight(line[:i], " \t")
	opener := ""
	for _, o := range commentOpeners {
		if strings.HasSuffix(before, o) && len(o) > len(opener) {
			opener = o
		}
	}
	if opener == "" {
		return Directive{}, false
	}
	d := Directive{Column: i + 1}
	rest := line[i+len(Marker):]
	m := idsRe.FindStringSubmatch(rest)
	if m == nil {
		return Directive{}, false
	}
	for _, id := range strings.Split(m[1], ",") {
		d.Checks = append(d.Checks, strings.TrimSpace(id))
	}
	rest = rest[len(m[0]):]
	if r := reasonRe.FindStringSubmatch(rest); r != nil {
		if s, err := strconv.Unquote(r[1]); err == nil {
			d.Reason = s
		} else {
			d.Reason = strings.Trim(r[1], `"`)
		}
		d.HasReason = strings.TrimSpace(d.Reason) != ""
	}
	d.Standalone = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(before), opener)) == ""
	return d, true
}

// ParseAnnotation splits the value of the syncdoctor.io/ignore annotation
// into check IDs.
func ParseAnnotation(v string) []string {
	var out []string
	for _, id := range strings.Split(v, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}
