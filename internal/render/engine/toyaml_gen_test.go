package engine

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// yamlPieces are the fragments generated strings are built from: every
// indicator, words that resolve to other types, line breaks, tabs, quotes,
// escapes and characters outside ASCII, in the positions that change the
// style (start, end, around spaces and breaks).
var yamlPieces = []string{
	" ", "  ", "\n", "\n\n", "\t", "\r", ":", ": ", " :", " #", "#", "-", "- ", "--", "---", "...", "?", "? ",
	",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "\\", "~", "<<", "=",
	"null", "true", "True", "yes", "y", "n", "on", "Off", "0", "1", "01", "-1", "+1", "0x1F", "0o7", "0b11", "1_0",
	"1e3", "1.5", ".5", ".inf", "-.inf", ".nan", "1:20", "2001-12-14", "2001-12-14 21:59:43", "12:30:45.5",
	"é", "日本", "😀", "\ufeff", "\u00a0", "\x00", "\x01", "\x1b", "\x08", "\ufffd",
	"a", "b", "word", "value", "a b", strings.Repeat("long", 6), strings.Repeat("x", 40),
}

// yamlKeyPieces make keys that exercise yaml.v2's natural key order.
var yamlKeyPieces = []string{
	"a", "b", "A", "Z", "z", "aa", "ab", "_", "-", ".", "/", "é", "1", "2", "9", "10", "01", "001", "0", "x",
	"name", "app.kubernetes.io/", "port", "v", " ", ":", "#", "true", "null", "",
}

func genString(r *rand.Rand, pieces []string, maxPieces int) string {
	var b strings.Builder
	for range r.Intn(maxPieces + 1) {
		b.WriteString(pieces[r.Intn(len(pieces))])
	}
	return b.String()
}

func genNumber(r *rand.Rand) any {
	switch r.Intn(10) {
	case 0:
		return r.Int63() - r.Int63()
	case 1:
		return r.Intn(2000) - 1000
	case 2:
		return uint64(r.Int63()) * 2
	case 3:
		return float64(r.Intn(2000)-1000) / 8
	case 4:
		return math.Float64frombits(r.Uint64())
	case 5:
		return math.Pow(10, float64(r.Intn(60)-30)) * float64(r.Intn(100)-50)
	case 6:
		return float32(r.NormFloat64() * math.Pow(10, float64(r.Intn(40)-20)))
	case 7:
		return float64(r.Int63()) * float64(r.Intn(3)+1)
	case 8:
		return int32(r.Int31())
	default:
		return r.NormFloat64()
	}
}

// genValue builds a random values tree.
func genValue(r *rand.Rand, depth int) any {
	k := r.Intn(10)
	if depth >= 4 {
		k = r.Intn(5)
	}
	switch k {
	case 0:
		return nil
	case 1:
		return r.Intn(2) == 0
	case 2:
		return genNumber(r)
	case 3, 4:
		return genString(r, yamlPieces, 8+r.Intn(2)*30)
	case 5, 6, 7:
		m := map[string]any{}
		for range r.Intn(6) {
			m[genString(r, yamlKeyPieces, 3)] = genValue(r, depth+1)
		}
		return m
	default:
		l := []any{}
		for range r.Intn(5) {
			l = append(l, genValue(r, depth+1))
		}
		return l
	}
}

func TestToYAMLFastGenerated(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	const total = 30000
	accepted := 0
	for range total {
		if checkToYAML(t, genValue(r, 0)) {
			accepted++
		}
		if t.Failed() {
			break
		}
	}
	t.Logf("%d of %d generated trees accepted", accepted, total)
}

// FuzzToYAML checks toYAMLFast against sigs.k8s.io/yaml on trees decoded
// from the input as YAML/JSON, on the input as a string in several
// positions, and on a tree generated with the input as the seed.
func FuzzToYAML(f *testing.F) {
	for _, s := range []string{
		"a: b\nc: [1, 2.5, true, null]\n", `{"k": "v\n", "n": 1e21}`, "- x: '1:20'\n  y: \"\\t\"\n",
		"key: |\n  text\n", "? a\n: b\n", "a\u2028b", strings.Repeat("word ", 30),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if yaml.Unmarshal(data, &v) == nil {
			walkValues(v, func(sub any) { checkToYAML(t, sub) })
		}
		s := string(data)
		checkToYAML(t, s)
		checkToYAML(t, map[string]any{"key": []any{s, map[string]any{s: s}}})
		checkToYAML(t, map[string]any{strings.Repeat("k", len(s)%90): s})
		var seed int64
		for _, b := range data {
			seed = seed*131 + int64(b)
		}
		checkToYAML(t, genValue(rand.New(rand.NewSource(seed)), 0))
	})
}
