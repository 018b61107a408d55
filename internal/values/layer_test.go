package values

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

func TestParseBytesPositions(t *testing.T) {
	cases := []struct {
		name string
		data string
		want map[string]int // path → line
	}{
		{
			name: "nested",
			data: "a:\n  b: 1\n  c:\n    d: x\ne: [1, 2]\n",
			want: map[string]int{"a": 1, "a.b": 2, "a.c": 3, "a.c.d": 4, "e": 5},
		},
		{
			name: "crlf",
			data: "a:\r\n  b: 1\r\n\r\n  c: 2\r\nd: 3\r\n",
			want: map[string]int{"a": 1, "a.b": 2, "a.c": 4, "d": 5},
		},
		{
			name: "dotted key and comments",
			data: "# head\npodAnnotations:\n  # note\n  app.kubernetes.io/name: web\n",
			want: map[string]int{"podAnnotations": 2, `podAnnotations["app.kubernetes.io/name"]`: 4},
		},
		{
			name: "anchors and merge keys",
			data: "base: &b\n  x: 1\n  w: 2\nsvc:\n  <<: *b\n  w: 3\n",
			want: map[string]int{"base": 1, "base.x": 2, "base.w": 3, "svc": 4, "svc.x": 2, "svc.w": 6},
		},
		{
			// go-yaml v2, as Helm uses it, reads plain y/on/no keys as booleans.
			name: "yaml 1.1 boolean keys",
			data: "y: 1\n\"n\": 2\noff: 3\n",
			want: map[string]int{"true": 1, "n": 2, "false": 3},
		},
		{
			name: "empty document",
			data: "# only a comment\n",
			want: map[string]int{},
		},
	}
	for _, c := range cases {
		l, err := ParseBytes("values.yaml", []byte(c.data))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		got := map[string]int{}
		for k, loc := range l.Pos {
			if loc.File != "values.yaml" {
				t.Errorf("%s: %s: file %q", c.name, k, loc.File)
			}
			got[k] = loc.Line
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s: positions (-want +got):\n%s", c.name, diff)
		}
	}
}

func TestParseBytesValuesLikeHelm(t *testing.T) {
	l, err := ParseBytes("v.yaml", []byte("num: 3\nf: 1.5\nb: yes\ns: \"3\"\nnull_: ~\nlist: [a, 1]\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"num": float64(3), "f": 1.5, "b": true, "s": "3", "null_": nil, "list": []any{"a", float64(1)}}
	if diff := cmp.Diff(want, l.Values); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

func TestParseBytesErrors(t *testing.T) {
	_, err := ParseBytes("bad.yaml", []byte("a: 1\nb: [\n"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.At.File != "bad.yaml" || pe.At.Line == 0 {
		t.Errorf("syntax error = %v, want a ParseError with file:line", err)
	}
	if _, err := ParseBytes("list.yaml", []byte("- a\n- b\n")); err == nil {
		t.Error("top-level list: want error")
	}

	l, err := ParseBytes("dup.yaml", []byte("a:\n  b: 1\n  b: 2\n"))
	var de *DuplicateKeyError
	if !errors.As(err, &de) {
		t.Fatalf("duplicate key: err = %v, want DuplicateKeyError", err)
	}
	if de.At != (finding.Location{File: "dup.yaml", Line: 3, Column: 3}) || de.First.Line != 2 || de.Path.String() != "a.b" {
		t.Errorf("duplicate key error = %+v", de)
	}
	if l == nil || l.Values["a"].(map[string]any)["b"] != float64(2) {
		t.Errorf("duplicate key: want the layer with Helm's last-wins value, got %+v", l)
	}
}

func TestParseBytesAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString(strings.Replace("aN: &aN [*aP, *aP, *aP, *aP, *aP, *aP, *aP, *aP, *aP, *aP]\n", "N", string(rune('0'+i)), 2))
		s := b.String()
		b.Reset()
		b.WriteString(strings.ReplaceAll(s, "aP", "a"+string(rune('0'+i-1))))
	}
	// The map form is what the position walker follows.
	b.WriteString("m0: &m0 {k: 1}\n")
	for i := 1; i < 30; i++ {
		prev := "m" + itoa(i-1)
		b.WriteString("m" + itoa(i) + ": &m" + itoa(i) + " {a: *" + prev + ", b: *" + prev + "}\n")
	}
	_, err := ParseBytes("bomb.yaml", []byte(b.String()))
	if err == nil {
		return // decoded within bounds: fine as long as it returned
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"a: 1\n", "a:\r\n  b: [1]\r\n", "x: &a {y: *a}\n", "<<: {a: 1}\n", "a: 1\na: 2\n", "- 1\n", "{"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseBytes("f.yaml", data)
		if err == nil && l == nil {
			t.Fatal("nil layer without error")
		}
		if l != nil {
			for _, p := range Leaves(l.Values) {
				Lookup(l.Values, p)
			}
		}
	})
}
