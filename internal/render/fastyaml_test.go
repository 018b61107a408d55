package render

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/syncdoctor/syncdoctor/internal/values"
)

// decodeSlow is decodeDoc's reference path: the JSON round trip alone.
func decodeSlow(text string) (any, error) {
	j, err := yaml.YAMLToJSON([]byte(text))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return values.Unstructure(v), nil
}

// decodeEdgeCases are documents where the YAML and JSON data models
// differ; the fast path must equal the round trip or step aside.
var decodeEdgeCases = []string{
	"a: 1\nb: 1.0\nc: 1.5\nd: -0.0\ne: 1e21\nf: 1e20\ng: 9223372036854775807\nh: 9223372036854775808\ni: 18446744073709551615\nj: 1e400\n",
	"a: .nan\n", "a: .inf\n", "a: -.Inf\n",
	"1: a\n\"1\": b\n", "true: x\n", "1.5: x\n", "null: x\n", "? [a]\n: x\n",
	"a: yes\nb: on\nc: ~\nd: null\ne: 0x1F\nf: 0o17\ng: 017\nh: +1\ni: 1_000\n",
	"a: !!binary aGVsbG8=\nb: !!str 1\nc: !!float 1\nd: !!int \"3\"\n",
	"a: 2001-12-14t21:59:43.10-05:00\nb: 2002-12-14\n",
	"base: &b {x: 1, y: [1, 2]}\nder:\n  <<: *b\n  y: 3\n",
	"a: \"\\xff\\xfe\"\nb: \"caf\\u00e9 <&>\"\n",
	"\"\\xff\": 1\n",
	"- 1\n- a\n", "just a string\n", "", "# only a comment\n", "null\n", "42\n",
	"a: [1, {b: [2, {c: 3}]}]\n",
	"a: 1\na: 2\n",
	"a: b: c\n", "\t- bad\n", "a: [1, 2\n",
	`{"kind": "ConfigMap", "data": {"k": "v"}, "n": 12.0}`,
	"apiVersion: v1\nkind: List\nitems:\n  - {kind: ConfigMap, metadata: {name: a}}\n",
}

// TestDecodeFastMatchesRoundTrip is the differential test of decodeDoc's
// fast path against the JSON round trip, on the edge cases and on every
// YAML file of the fixtures and the demo.
func TestDecodeFastMatchesRoundTrip(t *testing.T) {
	docs := append([]string(nil), decodeEdgeCases...)
	for _, root := range []string{"../../testdata", "../../examples", "testdata"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				return nil
			}
			data, err := os.ReadFile(p)
			if err == nil {
				for _, c := range splitDocs(string(data)) {
					docs = append(docs, c.text)
				}
			}
			return nil
		})
	}
	fast := 0
	for _, d := range docs {
		checkDecode(t, d)
		if _, ok := decodeFast(d); ok {
			fast++
		}
	}
	if fast < 200 {
		t.Fatalf("only %d of %d documents took the fast path; is the corpus missing?", fast, len(docs))
	}
}

// checkDecode: where the fast path answers, the round trip must give the
// same value and no error; where it does not, decodeDoc is the round trip.
func checkDecode(t *testing.T, text string) {
	t.Helper()
	got, ok := decodeFast(text)
	if !ok {
		return
	}
	want, err := decodeSlow(text)
	if err != nil {
		t.Errorf("decodeFast(%q) = %v, but the round trip fails: %v", text, got, err)
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decodeFast(%q) differs from the round trip (-want +got):\n%s", text, diff)
	}
}

// FuzzDecodeFast checks the fast path against the round trip on any input.
func FuzzDecodeFast(f *testing.F) {
	for _, d := range decodeEdgeCases {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkDecode(t, text)
	})
}
