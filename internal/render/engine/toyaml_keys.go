package engine

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// yamlSortedKeys gives m's keys in the order yaml.v2's Marshal writes them
// (sorter.go keyList.Less on string keys, applied by sort.Sort to the keys
// in map iteration order). That order is a natural sort, and it is not
// transitive on every key set ("p10" < "p1x" < "p2" < "p10"): then
// sort.Sort's result depends on the random iteration order and ok is
// false. Without digits, or with digits in one key only, the relation is
// a lexicographic order over a fixed ranking of characters (other
// characters by code point, then digits, then letters by code point), so
// total; with digits in several keys every pair is checked (in maps of
// up to maxCheckedKeys keys). Keys with non-ASCII digits or digit runs
// long enough to overflow the comparison's int64 are refused outright.
func yamlSortedKeys[V any](m map[string]V) ([]string, bool) {
	keys := make([]string, 0, len(m))
	withDigits := 0
	for k := range m {
		digits, ok := keyDigits(k)
		if !ok {
			return nil, false
		}
		if digits {
			withDigits++
		}
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if yamlKeyLess(a, b) {
			return -1
		}
		if a == b {
			return 0
		}
		return 1
	})
	if withDigits >= 2 {
		// The pairwise check is quadratic; past maxCheckedKeys the
		// sigs.k8s.io/yaml path is cheaper.
		if len(keys) > maxCheckedKeys {
			return nil, false
		}
		for i := range keys {
			for j := i + 1; j < len(keys); j++ {
				if !yamlKeyLess(keys[i], keys[j]) {
					return nil, false
				}
			}
		}
	}
	return keys, true
}

// maxCheckedKeys bounds the maps whose key order yamlSortedKeys checks pair
// by pair.
const maxCheckedKeys = 64

// keyDigits reports whether k holds a digit; ok is false for invalid
// UTF-8, non-ASCII digits and runs of more than 18 digits.
func keyDigits(k string) (digits, ok bool) {
	run := 0
	for i, w := 0, 0; i < len(k); i += w {
		var r rune
		r, w = utf8.DecodeRuneInString(k[i:])
		if r == utf8.RuneError && w == 1 {
			return false, false
		}
		if r < utf8.RuneSelf && (r < '0' || r > '9') || r >= utf8.RuneSelf && !unicode.IsDigit(r) {
			run = 0
			continue
		}
		if r > '9' {
			return false, false
		}
		digits = true
		if run++; run > 18 {
			return false, false
		}
	}
	return digits, true
}

// yamlKeyLess is keyList.Less for two string keys: at the first differing
// character, letters compare by code point and sort after non-letters; two
// non-letters compare by the number the digit run starting there spells
// (counting a leading zero as significant when digits precede it), then by
// the run's length, then by code point; a proper prefix sorts first.
func yamlKeyLess(a, b string) bool {
	ia, ib := 0, 0
	for ia < len(a) && ib < len(b) {
		ra, wa := utf8.DecodeRuneInString(a[ia:])
		rb, wb := utf8.DecodeRuneInString(b[ib:])
		if ra == rb {
			ia += wa
			ib += wb
			continue
		}
		al, bl := keyLetter(ra), keyLetter(rb)
		if al && bl {
			return ra < rb
		}
		if al || bl {
			return bl
		}
		var an, bn int64
		if ra == '0' || rb == '0' {
			for p := ia; p > 0; {
				r, w := utf8.DecodeLastRuneInString(a[:p])
				if !unicode.IsDigit(r) {
					break
				}
				if r != '0' {
					an, bn = 1, 1
					break
				}
				p -= w
			}
		}
		an, na := digitRun(a[ia:], an)
		bn, nb := digitRun(b[ib:], bn)
		if an != bn {
			return an < bn
		}
		if na != nb {
			return na < nb
		}
		return ra < rb
	}
	return ia == len(a) && ib < len(b)
}

func keyLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

// digitRun folds the digits at the start of s into n as keyList.Less does
// and counts them.
func digitRun(s string, n int64) (int64, int) {
	count := 0
	for i, w := 0, 0; i < len(s); i += w {
		var r rune
		r, w = utf8.DecodeRuneInString(s[i:])
		if !unicode.IsDigit(r) {
			break
		}
		n = n*10 + int64(r-'0')
		count++
	}
	return n, count
}
