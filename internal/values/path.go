package values

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Path is a values key path such as ["auth-service","autoscaling","minReplicas"].
// Lists are leaves in Helm's merge (they are replaced, never merged), so a
// Path names map keys only.
type Path []string

// String renders the path with dots: "auth-service.autoscaling.minReplicas".
// A key that is empty or holds '.', '[', ']', '"' or '\' is written in
// brackets with Go string quoting, e.g. podAnnotations["app.kubernetes.io/name"],
// so every Path has exactly one string form and ParsePath inverts String.
func (p Path) String() string {
	var b strings.Builder
	for i, k := range p {
		if plainKey(k) {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(k)
			continue
		}
		b.WriteByte('[')
		b.WriteString(strconv.Quote(k))
		b.WriteByte(']')
	}
	return b.String()
}

func plainKey(k string) bool {
	return k != "" && !strings.ContainsAny(k, `.[]"\`)
}

// HasPrefix reports whether q is a prefix of p (or equal to it).
func (p Path) HasPrefix(q Path) bool {
	if len(q) > len(p) {
		return false
	}
	for i := range q {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// Equal reports whether p and q name the same key.
func (p Path) Equal(q Path) bool { return len(p) == len(q) && p.HasPrefix(q) }

// Child returns a new path with keys appended; p is never aliased.
func (p Path) Child(keys ...string) Path {
	out := make(Path, 0, len(p)+len(keys))
	return append(append(out, p...), keys...)
}

// ParsePath parses the String form of a Path. The empty string is the empty
// path (the whole values tree).
func ParsePath(s string) (Path, error) {
	var p Path
	i := 0
	for i < len(s) {
		if s[i] == '[' {
			end, key, err := quotedKey(s, i)
			if err != nil {
				return nil, err
			}
			p = append(p, key)
			i = end
			continue
		}
		if len(p) > 0 {
			if s[i] != '.' {
				return nil, fmt.Errorf("path %q: want '.' or '[' at offset %d", s, i)
			}
			i++
		}
		j := i
		for j < len(s) && s[j] != '.' && s[j] != '[' {
			if s[j] == ']' || s[j] == '"' || s[j] == '\\' {
				return nil, fmt.Errorf("path %q: unexpected %q at offset %d", s, s[j], j)
			}
			j++
		}
		if j == i {
			return nil, fmt.Errorf("path %q: empty key at offset %d", s, i)
		}
		p = append(p, s[i:j])
		i = j
	}
	return p, nil
}

// quotedKey reads `["..."]` starting at s[i] == '['.
func quotedKey(s string, i int) (int, string, error) {
	if i+1 >= len(s) || s[i+1] != '"' {
		return 0, "", fmt.Errorf("path %q: want '\"' after '[' at offset %d", s, i)
	}
	j := i + 2
	for j < len(s) && s[j] != '"' {
		if s[j] == '\\' {
			j++
		}
		j++
	}
	if j >= len(s) {
		return 0, "", errors.New("path " + strconv.Quote(s) + ": unterminated quoted key")
	}
	key, err := strconv.Unquote(s[i+1 : j+1])
	if err != nil {
		return 0, "", fmt.Errorf("path %q: quoted key at offset %d: %w", s, i, err)
	}
	if j+1 >= len(s) || s[j+1] != ']' {
		return 0, "", fmt.Errorf("path %q: want ']' at offset %d", s, j+1)
	}
	return j + 2, key, nil
}
