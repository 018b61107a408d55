package engine

import (
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chartutil"
	"sigs.k8s.io/yaml"
)

// checkToYAML compares toYAMLFast with the sigs.k8s.io/yaml path on v and
// reports whether the fast path took it.
func checkToYAML(t testing.TB, v any) bool {
	t.Helper()
	got, ok := toYAMLFast(v)
	if !ok {
		return false
	}
	want, err := yaml.Marshal(v)
	if err != nil {
		t.Errorf("toYAMLFast accepted %#v, which sigs.k8s.io/yaml refuses: %v\nfast: %q", v, err, got)
		return true
	}
	if got != string(want) {
		t.Errorf("toYAMLFast(%#v)\n got %q\nwant %q", v, got, want)
	}
	return true
}

// walkValues calls f on v and on every value nested in it.
func walkValues(v any, f func(any)) {
	f(v)
	switch t := v.(type) {
	case map[string]any:
		for _, e := range t {
			walkValues(e, f)
		}
	case []any:
		for _, e := range t {
			walkValues(e, f)
		}
	}
}

// corpusDocs decodes every YAML document under the repository's test data
// and examples the way Helm decodes values (sigs.k8s.io/yaml into any).
func corpusDocs(t *testing.T) []any {
	t.Helper()
	var docs []any
	for _, root := range []string{"../../../testdata", "../../../examples", "../testdata"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, doc := range strings.Split(string(b), "\n---") {
				var v any
				if yaml.Unmarshal([]byte(doc), &v) == nil && v != nil {
					docs = append(docs, v)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return docs
}

func TestToYAMLFastMatchesSigsYAML(t *testing.T) {
	docs := corpusDocs(t)
	total, accepted := 0, 0
	for _, d := range docs {
		walkValues(d, func(v any) {
			total++
			if checkToYAML(t, v) {
				accepted++
			}
		})
	}
	rate := float64(accepted) / float64(total)
	t.Logf("corpus: %d documents, %d subtrees, %d accepted (%.2f%%)", len(docs), total, accepted, 100*rate)
	if total < 1000 || rate < 0.97 {
		t.Errorf("acceptance %d of %d subtrees is below 97%%", accepted, total)
	}

	for _, s := range edgeStrings() {
		for _, v := range stringShapes(s) {
			checkToYAML(t, v)
		}
	}
	for _, tc := range edgeValues() {
		if got := checkToYAML(t, tc.value); got != tc.accept {
			t.Errorf("%s: toYAMLFast accepted=%v, want %v", tc.name, got, tc.accept)
		}
	}
}

// stringShapes puts s everywhere a string can stand: the root, a map value
// and key at several depths, list items, after a long key (folding), in a
// chartutil.Values and typed containers.
func stringShapes(s string) []any {
	long := strings.Repeat("k", 70)
	return []any{
		s,
		map[string]any{"k": s},
		map[string]any{s: 1},
		map[string]any{s: map[string]any{s: s}},
		[]any{s, []any{s}},
		map[string]any{"a": map[string]any{"b": []any{map[string]any{"c": s, s: []any{s}}}}},
		map[string]any{long: s},
		[]any{map[string]any{long: []any{s}}},
		chartutil.Values{"v": s},
		map[string]string{"k": s, s: "v"},
		[]string{s, s + " " + s},
	}
}

// edgeStrings are strings that exercise every style decision.
func edgeStrings() []string {
	words := []string{
		"", " ", "  ", "a", "plain", "two words", " lead", "trail ", "in  side",
		"true", "True", "TRUE", "false", "yes", "Yes", "no", "NO", "y", "Y", "n", "on", "Off",
		"null", "Null", "NULL", "~", "<<", "=", ".", "..", "...", "...x", "---", "--- x", "-", "--", "-a", "- a",
		"1", "-1", "+1", "01", "0x1F", "0X1f", "0o17", "0b101", "-0b101", "0b", "0b2", "-0b", "1_000", "0x_1F",
		"1e3", "1E3", "1e+3", "-1.5e-3", ".5", "-.5", "+.5", "5.", "1.2.3", "1e999", "-1e999", "1e", "e3",
		".inf", ".Inf", "-.inf", "+.INF", ".nan", ".NaN", "inf", "nan", "Infinity", ".infx",
		"9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616", "-9223372036854775809",
		"2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-12-14T21:59:43Z", "2001-1-2", "2001-13-45", "20011-12-14", "2001-",
		"1:20", "-1:20", "+1:20:30", "190:20:30.15", "1:60", "1:5", "1:05.5_5", "1_0:20", "a:1", "1:", ":1", "1::2", "12:345",
		"a: b", "a:b", "a :b", "a:", "a: ", "key: value # c", "a #b", "a#b", "#a", " #a", "a # ",
		"?", "? a", "?a", ":", ": a", ":a", ",a", "a,b", "[a]", "a[b]", "]", "{a}", "a{b}", "}", "&a", "a&b", "*a", "!a", "!!str",
		"|", "|a", ">", ">a", "'a'", "a'b", "it's", "\"a\"", "a\"b", "%a", "@a", "`a`", "a`", "a\\b", "\\",
		"a\tb", "\t", "\ta", "a\t", "a\rb", "\r", "a\r\nb",
		"a\nb", "a\n", "a\n\n", "a\n\n\n", "\n", "\n\n", "\na", " a\nb", "a \nb", "a\n b", "a\n\nb\n", "a\n \nb", "a\nb ", "a\n\tb",
		"line one\nline two\n", "  indented\n  block\n", "#!/bin/sh\necho hi\n", "- a\n- b\n", "key: |\n  nested\n",
		"é", "日本語", "a\u00a0b", "\u00a0", "\u00a0a", "😀", "a😀b", "\ufeff", "\ufeffab c", "a\ufeffb", "\ufffd", "\ue000", "\ud7ff",
		"\x00", "a\x00b", "\x01", "\x07\x08\x0b\x0c\x1b", "\x1f", "\u0085", "a\u2028b", "a\u2029b", "\x7f", "\u0080", "\uffff", "\ufffe", "\xff", "a\xc3",
		"<b>&amp;</b>", "http://example.com/a?b=c&d=e#f", "${VAR}", "{{ .Values.x }}", "%{x}", "@@", "a@b.c",
	}
	// Long strings: folding at 80 columns in plain, single- and
	// double-quoted styles, and literal blocks that never fold.
	sentence := "the quick brown fox jumps over the lazy dog and keeps running far away"
	longs := []string{
		strings.Repeat("x", 200),
		strings.Repeat("word ", 40) + "end",
		sentence + " " + sentence,
		"'" + sentence + " " + sentence,
		" " + sentence + " " + sentence,
		sentence + " " + sentence + " ",
		sentence + "  " + sentence + "   " + sentence,
		sentence + "\t" + sentence + " " + sentence,
		"\"" + sentence + "  two  spaces  " + sentence,
		sentence + " " + sentence + "\n" + sentence + " " + sentence,
		sentence + " \n" + sentence + " " + sentence,
		strings.Repeat("é ", 60),
		strings.Repeat("😀 ", 40),
		"\ufeff" + sentence + " " + sentence,
		strings.Repeat("a ", 39) + "b  c d",
		strings.Repeat("ab", 40) + " c",
		strings.Repeat("a", 79) + " b c",
		strings.Repeat("a", 80) + " b c",
		strings.Repeat("a", 81) + " b c",
		strings.Repeat("a", 80) + "  b",
		strings.Repeat("a", 80) + " ",
		"true " + strings.Repeat("x ", 50),
		"- " + strings.Repeat("x ", 50),
		strings.Repeat(sentence+" ", 30),
		strings.Repeat(sentence+"\n", 30),
	}
	return append(words, longs...)
}

type edgeValue struct {
	name   string
	value  any
	accept bool
}

func edgeValues() []edgeValue {
	var nilMap map[string]any
	var nilList []any
	return []edgeValue{
		{name: "nil", value: nil, accept: true},
		{name: "nil map", value: nilMap, accept: true},
		{name: "nil list", value: nilList, accept: true},
		{name: "empty map", value: map[string]any{}, accept: true},
		{name: "empty list", value: []any{}, accept: true},
		{name: "empty values", value: chartutil.Values{}, accept: true},
		{name: "nested empties", value: map[string]any{"a": map[string]any{}, "b": []any{}, "c": []any{[]any{}, map[string]any{}, nil}}, accept: true},
		{name: "list of lists", value: []any{[]any{1, []any{2, 3}}, []any{}, map[string]any{"x": []any{"y"}}}, accept: true},
		{name: "map of lists", value: map[string]any{"k": []any{map[string]any{"a": 1, "b": []any{1}}, "s"}}, accept: true},
		{name: "bools", value: []any{true, false}, accept: true},
		{name: "ints", value: []any{0, -1, int8(-8), int16(16), int32(-32), int64(math.MinInt64), int64(math.MaxInt64), uint(1), uint8(8), uint16(16), uint32(32), uint64(math.MaxUint64)}, accept: true},
		{name: "floats", value: []any{0.0, math.Copysign(0, -1), 1.0, -1.5, 0.1, 100.0, 1e6, 1e20, 1e21, 1.5e21, 123456789012345678901.0, 9.223372036854776e18, 1.8446744073709552e19, 1e-6, 1e-7, 5e-324, math.MaxFloat64, -1e300, 3.14159, 2.5e-8}, accept: true},
		{name: "float32", value: []any{float32(0.1), float32(1e21), float32(1e-7), float32(16777216), float32(3.4e38), float32(-2.5)}, accept: true},
		{name: "NaN", value: map[string]any{"a": math.NaN()}, accept: false},
		{name: "Inf", value: []any{math.Inf(1)}, accept: false},
		{name: "typed", value: map[string]any{"s": []string{"a", "b"}, "m": map[string]string{"b": "1", "a": "true"}, "l": []map[string]any{{"x": 1}}}, accept: true},
		{name: "struct", value: struct{ A int }{1}, accept: false},
		{name: "pointer", value: map[string]any{"p": new(int)}, accept: false},
		{name: "bytes", value: []byte("abc"), accept: false},
		{name: "non-string keys", value: map[any]any{"a": 1}, accept: false},
		{name: "int keys", value: map[int]any{1: 1}, accept: false},
		{name: "float keys", value: []any{map[float64]string{1: "a"}}, accept: false},
		{name: "invalid utf-8", value: "a\xffb", accept: false},
		{name: "invalid utf-8 key", value: map[string]any{"a\xff": 1}, accept: false},
		{name: "control DEL", value: "a\x7f", accept: false},
		{name: "multiline key", value: map[string]any{"a\nb": 1}, accept: false},
		{name: "CR key", value: map[string]any{"a\rb": 1}, accept: false},
		{name: "long key", value: map[string]any{strings.Repeat("k", 129): 1}, accept: false},
		{name: "key of 128", value: map[string]any{strings.Repeat("k", 128): strings.Repeat("v ", 30)}, accept: true},
		{name: "natural order", value: keysMap("b", "a", "B", "_", "-", "a1", "a10", "a2", "a01", "a001", "x9y", "x10", "1", "01", "10", "9", "z"), accept: true},
		{name: "natural order letters", value: keysMap("b", "a", "B", "_", "-", ".", "é", "Z", "aa", "a-b", "a.b", "a_b", "ab", "a"), accept: true},
		{name: "natural order one digit key", value: keysMap("b", "a", "_", "-", "a5", "é", "aa", "a-b", "a_b", "ab"), accept: true},
		{name: "nontransitive keys", value: keysMap("p10", "p1x", "p2"), accept: false},
		{name: "unicode digit key", value: keysMap("a٣", "b"), accept: false},
		{name: "long digit run", value: keysMap("a1234567890123456789", "b"), accept: false},
		{name: "many digit keys", value: manyKeys(maxCheckedKeys + 1), accept: false},
		{name: "digit keys at the limit", value: manyKeys(maxCheckedKeys), accept: true},
		{name: "deep", value: deepList(150), accept: false},
		{name: "deep ok", value: deepList(60), accept: true},
		{name: "null string stays", value: []any{"null", map[string]any{"a": "~", "b": ""}, []any{"null"}}, accept: true},
		{name: "values nested", value: chartutil.Values{"a": chartutil.Values{"b": 1}}, accept: true},
	}
}

func keysMap(keys ...string) map[string]any {
	m := make(map[string]any, len(keys))
	for i, k := range keys {
		m[k] = i
	}
	return m
}

func deepList(n int) any {
	var v any = "leaf"
	for range n {
		v = []any{v}
	}
	return v
}

// manyKeys is a map with keys "k0".."k<n-1>".
func manyKeys(n int) map[string]any {
	m := make(map[string]any, n)
	for i := range n {
		m["k"+strconv.Itoa(i)] = i
	}
	return m
}
