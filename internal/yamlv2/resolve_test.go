package yamlv2

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v2"
)

// viaYAMLv2 is what yaml.v2 itself makes of s written plain as a mapping
// value; ok is false when s is not one plain scalar there.
func viaYAMLv2(s string) (Kind, any, bool) {
	if !plainCandidate(s) {
		return 0, nil, false
	}
	var m map[string]any
	if yaml.Unmarshal([]byte("v: "+s+"\n"), &m) != nil || len(m) != 1 {
		return 0, nil, false
	}
	switch v := m["v"].(type) {
	case nil:
		return Null, nil, true
	case bool:
		return Bool, v, true
	case int:
		return Int, int64(v), true
	case int64, uint64:
		return Int, v, true
	case float64:
		return Float, v, true
	case string:
		if v != s {
			return 0, nil, false
		}
		var tm struct{ V time.Time }
		if yaml.Unmarshal([]byte("v: "+s+"\n"), &tm) == nil && !tm.V.IsZero() {
			return Timestamp, nil, true
		}
		return Str, v, true
	}
	return 0, nil, false
}

// plainCandidate reports whether s can be written as one plain scalar
// after "v: ": no indicator first (an anchor, alias, tag, flow collection,
// block scalar, quote or directive would be read instead), no ": " or
// " #" inside, no surrounding or special whitespace.
func plainCandidate(s string) bool {
	if s == "" {
		return true
	}
	if strings.ContainsAny(s[:1], "&*!|>'\"%@`[]{},#?:") || strings.HasPrefix(s, "- ") || s == "-" {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") || strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || r > 0x7e {
			return false
		}
	}
	return true
}

func checkResolve(t *testing.T, s string) bool {
	t.Helper()
	wk, wv, ok := viaYAMLv2(s)
	if !ok {
		return false
	}
	gk, gv := Resolve(s)
	if k := KindOf(s); k != gk {
		t.Errorf("KindOf(%q) = %v, Resolve's kind %v", s, k, gk)
	}
	same := gk == wk
	if same && gk == Float {
		g, w := gv.(float64), wv.(float64)
		same = g == w || math.IsNaN(g) && math.IsNaN(w)
	} else if same && gk != Timestamp {
		same = gv == wv
	}
	if !same {
		t.Errorf("Resolve(%q) = %v %#v; yaml.v2: %v %#v", s, gk, gv, wk, wv)
	}
	return true
}

var resolveCases = []string{
	"", "~", "null", "Null", "NULL", "nULL", "y", "Y", "yes", "YES", "yEs", "n", "no", "on", "On", "ON", "off", "true", "True", "tRUE",
	"false", ".nan", ".NaN", ".inf", "-.Inf", "+.INF", ".5", ".5e3", ".e3", ".", "..", "0", "-0", "+0", "007", "0x1F", "0X1f", "0o17",
	"0O17", "017", "1_000", "_1", "1_", "0b101", "-0b11", "0b2", "0b", "1e3", "1E+3", "1e", "1.", "1.5.2", "+1", "-1", "+-1",
	"9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616", "-9223372036854775809",
	"1e400", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-13-45", "2001-1-2", "20011-12-14",
	"1:20", "190:20:30.15", "<<", "=", "abc", "x1", "1x", "0x", "0xg", "1__0", "+.5", "-.5", "1,000", "infinity", "NaN", "Inf",
}

// TestResolveMatchesYAMLv2 compares Resolve with yaml.v2 on edge cases
// and on strings generated from the characters resolution cares about.
func TestResolveMatchesYAMLv2(t *testing.T) {
	checked := 0
	for _, s := range resolveCases {
		if checkResolve(t, s) {
			checked++
		}
	}
	alphabet := []string{"0", "1", "7", "9", "_", ".", "+", "-", "e", "E", "x", "o", "b", "X", ":", "t", "T", "Z", " ", "2001-", "12-", "14", "n", "a", "inf", "0b", "0x", "0o"}
	rng := rand.New(rand.NewPCG(9, 9))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		if checkResolve(t, strings.TrimSpace(b.String())) {
			checked++
		}
	}
	if checked < 10000 {
		t.Errorf("only %d strings were plain scalars yaml.v2 could read: the test proves little", checked)
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range resolveCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "\n\r#") {
			return
		}
		checkResolve(t, s)
	})
}
