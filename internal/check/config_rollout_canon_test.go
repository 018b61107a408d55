package check

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/manifest"
)

// canonCases are pairs of pod-template or config contents on which
// sameTemplate and sameSource must agree with comparing the json.Marshal
// texts (templateCanon, sourceCanon), the comparison they replace.
var canonCases = []struct{ a, b any }{
	{nil, nil},
	{map[string]any{"x": int64(2)}, map[string]any{"x": float64(2)}},
	{map[string]any{"x": int64(2)}, map[string]any{"x": float64(2.5)}},
	{map[string]any{"x": 0.0}, map[string]any{"x": math.Copysign(0, -1)}},
	{map[string]any{"x": math.NaN()}, map[string]any{"y": math.Inf(1)}},
	{map[string]any{"x": "\xff"}, map[string]any{"x": "\xfe"}},
	{map[string]any{"x": nil}, map[string]any{}},
	{map[string]any{"x": []any{"a", int64(1)}}, map[string]any{"x": []any{"a", int64(1)}}},
	{map[string]any{"x": []any{"a", int64(1)}}, map[string]any{"x": []any{int64(1), "a"}}},
	{map[string]any{"x": map[string]any{"k": true}}, map[string]any{"x": map[string]any{"k": "true"}}},
	{map[string]any{"x": map[string]any{"k": 1}}, map[string]any{"x": map[string]any{"k": int64(1)}}},
	{map[string]any{"x": []string{"a"}}, map[string]any{"x": []any{"a"}}},
	{map[string]any{"a": "<b>"}, map[string]any{"a": "<b>"}},
}

func TestSameTemplateAndSourceMatchMarshal(t *testing.T) {
	for i, c := range canonCases {
		checkCanonPair(t, i, c.a, c.b)
		checkCanonPair(t, i, c.b, c.a)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		a := randomJSONValue(r, 3)
		b := a
		if r.IntN(2) == 0 {
			b = randomJSONValue(r, 3)
		}
		checkCanonPair(t, 1000+i, a, b)
	}
}

func checkCanonPair(t *testing.T, i int, a, b any) {
	t.Helper()
	wa := &manifest.Object{Content: map[string]any{"spec": map[string]any{"template": a}}}
	wb := &manifest.Object{Content: map[string]any{"spec": map[string]any{"template": b}}}
	if got, want := sameTemplate(wa, wb), templateCanon(wa) == templateCanon(wb); got != want {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		t.Errorf("case %d: sameTemplate = %v, marshalled texts equal = %v (%s vs %s)", i, got, want, ja, jb)
	}
	sa := &manifest.Object{Content: map[string]any{"data": a}}
	sb := &manifest.Object{Content: map[string]any{"data": b}}
	if b == nil {
		sb = &manifest.Object{Content: map[string]any{}}
	}
	if got, want := sameSource(sa, sb), sourceCanon(sa) == sourceCanon(sb); got != want {
		t.Errorf("case %d: sameSource = %v, marshalled texts equal = %v", i, got, want)
	}
}

// randomJSONValue draws a small value of the shapes the renderer
// decodes, with numbers chosen to collide across types.
func randomJSONValue(r *rand.Rand, depth int) any {
	n := r.IntN(9)
	if depth == 0 {
		n = r.IntN(6)
	}
	switch n {
	case 0:
		return nil
	case 1:
		return []string{"a", "b", "\xff"}[r.IntN(3)]
	case 2:
		return r.IntN(2) == 0
	case 3:
		return int64(r.IntN(3))
	case 4:
		return []float64{0, 1, 2, 1.5, math.Copysign(0, -1)}[r.IntN(5)]
	case 5:
		return []any{math.NaN(), int32(1)}[r.IntN(2)]
	case 6, 7:
		m := map[string]any{}
		for range r.IntN(3) {
			m[[]string{"a", "b", "c"}[r.IntN(3)]] = randomJSONValue(r, depth-1)
		}
		return m
	default:
		l := make([]any, r.IntN(3))
		for i := range l {
			l[i] = randomJSONValue(r, depth-1)
		}
		return l
	}
}
