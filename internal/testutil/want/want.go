// Package want parses the expectations written into fixture repositories
// (STYLE.md §5.4): a comment on the line where a finding must appear,
//
//	# want: values-unused "auth-service\.autoscaling"
//	{{/* want[prod]: resource-not-rendered */}}
//	# want+1: crd-default-drift
//
// and the want.txt sidecar for findings without a source line.
package want

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Want is one expected finding.
type Want struct {
	File  string
	Line  int      // the line the finding must be on (offset applied)
	Envs  []string // empty: any environment
	Check string
	// Message, when set, must match the finding's message.
	Message *regexp.Regexp
	// Object is set for sidecar wants: the finding's ObjectRef string.
	Object string
}

// commentRe finds a want comment in YAML/HCL (#, //) or template ({{/* */}})
// syntax. The grammar after "want" is parsed by parseItems.
var commentRe = regexp.MustCompile(`(?:#|//|\{\{/\*)\s*want(\+\d+)?(\[[^\]]*\])?:\s*(.*)$`)

// ParseFile returns the wants of one file. Lines that merely mention
// "want" without the comment form are ignored.
func ParseFile(file string, data []byte) ([]Want, error) {
	var out []Want
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	for n := 1; sc.Scan(); n++ {
		m := commentRe.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		line := n
		if m[1] != "" {
			off, err := strconv.Atoi(m[1][1:])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: bad want offset %q", file, n, m[1])
			}
			line += off
		}
		envs := splitEnvs(m[2])
		body := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m[3]), "*/}}"))
		items, err := parseItems(body)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, n, err)
		}
		for _, it := range items {
			out = append(out, Want{File: file, Line: line, Envs: envs, Check: it.check, Message: it.re})
		}
	}
	return out, sc.Err()
}

func splitEnvs(s string) []string {
	s = strings.Trim(s, "[]")
	var out []string
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

type item struct {
	check string
	re    *regexp.Regexp
}

var idRe = regexp.MustCompile(`^[a-z][a-z0-9-]*`)

// parseItems parses `check-id ["regexp"] {, check-id ["regexp"]}`.
func parseItems(s string) ([]item, error) {
	var out []item
	for {
		s = strings.TrimSpace(s)
		id := idRe.FindString(s)
		if id == "" {
			return nil, fmt.Errorf("malformed want: expected a check ID at %q", s)
		}
		it := item{check: id}
		s = strings.TrimSpace(s[len(id):])
		if s != "" && (s[0] == '"' || s[0] == '`') {
			lit, rest, err := quoted(s)
			if err != nil {
				return nil, err
			}
			if it.re, err = regexp.Compile(lit); err != nil {
				return nil, fmt.Errorf("want %s: bad regexp: %w", id, err)
			}
			s = strings.TrimSpace(rest)
		}
		out = append(out, it)
		if s == "" {
			return out, nil
		}
		if s[0] != ',' {
			return nil, fmt.Errorf("malformed want: expected ',' at %q", s)
		}
		s = s[1:]
	}
}

// quoted reads a Go-style "double-quoted" or `raw` literal at the start of s.
func quoted(s string) (lit, rest string, err error) {
	if s[0] == '`' {
		end := strings.IndexByte(s[1:], '`')
		if end < 0 {
			return "", "", fmt.Errorf("unterminated `regexp`")
		}
		return s[1 : end+1], s[end+2:], nil
	}
	prefix, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", "", fmt.Errorf("bad quoted regexp at %q: %w", s, err)
	}
	lit, err = strconv.Unquote(prefix)
	return lit, s[len(prefix):], err
}

// ParseSidecar parses want.txt: one `object <ref> [env] check-id ["regexp"]`
// per line; # starts a comment.
func ParseSidecar(file string, data []byte) ([]Want, error) {
	var out []Want
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 || fields[0] != "object" {
			return nil, fmt.Errorf("%s:%d: want `object <group/Kind>/<namespace>/<name> [env] check-id [\"regexp\"]`", file, n+1)
		}
		w := Want{File: file, Line: 0, Object: fields[1]}
		rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(line, "object"), " "+fields[1]))
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), fields[1]))
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("%s:%d: unterminated [env]", file, n+1)
			}
			w.Envs = splitEnvs(rest[:end+1])
			rest = rest[end+1:]
		}
		items, err := parseItems(rest)
		if err != nil || len(items) != 1 {
			return nil, fmt.Errorf("%s:%d: one check per sidecar line: %v", file, n+1, err)
		}
		w.Check, w.Message = items[0].check, items[0].re
		out = append(out, w)
	}
	return out, nil
}
