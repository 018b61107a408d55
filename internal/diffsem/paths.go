package diffsem

import (
	"reflect"
	"sort"
	"strconv"
)

// diffPaths lists RFC 6901 pointers of the leaves where a and b differ.
// Maps and lists present on both sides are descended; anything else that
// differs (a scalar, a type change, a key or list item only one side has) is
// reported at its own pointer. The result is sorted.
func diffPaths(a, b any) []string {
	var out []string
	walkDiff("", a, b, &out)
	sort.Strings(out)
	return out
}

func walkDiff(at string, a, b any, out *[]string) {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			break
		}
		for k, ae := range av {
			be, found := bv[k]
			if !found {
				*out = append(*out, at+"/"+escapeToken(k))
				continue
			}
			walkDiff(at+"/"+escapeToken(k), ae, be, out)
		}
		for k := range bv {
			if _, found := av[k]; !found {
				*out = append(*out, at+"/"+escapeToken(k))
			}
		}
		return
	case []any:
		bv, ok := b.([]any)
		if !ok {
			break
		}
		n := max(len(av), len(bv))
		for i := range n {
			p := at + "/" + strconv.Itoa(i)
			if i >= len(av) || i >= len(bv) {
				*out = append(*out, p)
				continue
			}
			walkDiff(p, av[i], bv[i], out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, at)
	}
}
