package fix

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/values"
)

// seg is one step of an edit path: a mapping key or a sequence index.
type seg struct {
	key   string
	index int // >= 0 for a sequence item, -1 for a key
}

func (s seg) isIndex() bool { return s.index >= 0 }

// parsePath reads the path syntax of finding.Edit: values.Path's string
// form (dotted keys, ["quoted.key"] for keys with dots or brackets) plus
// [N] for the N-th item of a sequence, e.g.
// spec.sources[0].helm.valueFiles or metadata.annotations["checksum/config"].
// values.ParsePath alone does not fit: values paths name map keys only.
func parsePath(s string) ([]seg, error) {
	var out []seg
	for rest := s; rest != ""; {
		// Split off the run up to the next unquoted index bracket.
		i := indexBracket(rest)
		part := rest[:i]
		rest = rest[i:]
		if part != "" {
			if len(out) > 0 {
				if part[0] != '.' {
					return nil, fmt.Errorf("path %q: want '.' before %q", s, part)
				}
				part = part[1:]
			}
			p, err := values.ParsePath(part)
			if err != nil {
				return nil, err
			}
			for _, k := range p {
				out = append(out, seg{key: k, index: -1})
			}
		}
		if rest == "" {
			break
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, fmt.Errorf("path %q: unterminated '['", s)
		}
		n, err := strconv.Atoi(rest[1:end])
		if err != nil || n < 0 {
			return nil, fmt.Errorf("path %q: bad index %q", s, rest[1:end])
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("path %q: index without a key", s)
		}
		out = append(out, seg{index: n})
		rest = rest[end+1:]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty path")
	}
	return out, nil
}

// indexBracket returns the offset of the first '[' followed by a digit
// outside a quoted key, or len(s).
func indexBracket(s string) int {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '[' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			return i
		}
	}
	return len(s)
}

func pathString(p []seg) string {
	var b strings.Builder
	for i, s := range p {
		switch {
		case s.isIndex():
			fmt.Fprintf(&b, "[%d]", s.index)
		default:
			k := values.Path{s.key}.String()
			if i > 0 && !strings.HasPrefix(k, "[") {
				b.WriteByte('.')
			}
			b.WriteString(k)
		}
	}
	return b.String()
}

// overlaps reports whether one path is a prefix of the other.
func overlaps(a, b []seg) bool {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
