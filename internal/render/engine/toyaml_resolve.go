package engine

import (
	"math"
	"strconv"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/yamlv2"
)

// plainReadsAsString reports whether yaml.v2 would read s, written plain,
// back as the same string: its resolve("", s) gives !!str (yamlv2.Resolve).
func plainReadsAsString(s string) bool {
	k, _ := yamlv2.Resolve(s)
	return k == yamlv2.Str
}

// isBase60Float reports the YAML 1.1 sexagesimal floats yaml.v2 quotes
// although it does not read them (encode.go isBase60Float):
// [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?, whole string.
func isBase60Float(s string) bool {
	if s == "" || strings.IndexByte(s, ':') < 0 {
		return false
	}
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}
	isDigit := func(j int) bool { return j < len(s) && s[j] >= '0' && s[j] <= '9' }
	if !isDigit(i) {
		return false
	}
	for i++; isDigit(i) || i < len(s) && s[i] == '_'; i++ {
	}
	groups := 0
	for i < len(s) && s[i] == ':' {
		i++
		// [0-5]?[0-9]: one digit, or two with the first at most 5.
		switch {
		case isDigit(i) && s[i] <= '5' && isDigit(i+1):
			i += 2
		case isDigit(i):
			i++
		default:
			return false
		}
		groups++
	}
	if groups == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		for i++; isDigit(i) || i < len(s) && s[i] == '_'; i++ {
		}
	}
	return i == len(s)
}

// yamlFloat is the text a float gets after json.Marshal wrote it and
// yaml.v2 read that text back: json writes integral values below 1e21
// without a fraction or exponent, and yaml.v2 resolves such text to an
// int (or a uint64, or a float when it overflows both) and writes ints in
// decimal and floats with strconv 'g' -1 (encoding/json encode.go
// floatEncoder; yaml.v2 resolve.go and encode.go floatv). NaN and
// infinities make json.Marshal fail.
func yamlFloat(f float64, bits int) (string, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", false
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	text := strconv.FormatFloat(f, format, -1, bits)
	// json's "e-07" → "e-7" changes nothing for ParseFloat below.
	integral := true
	for i := 0; i < len(text); i++ {
		if c := text[i]; c == '.' || c == 'e' {
			integral = false
			break
		}
	}
	if integral {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return strconv.FormatInt(n, 10), true
		}
		if n, err := strconv.ParseUint(text, 10, 64); err == nil {
			return strconv.FormatUint(n, 10), true
		}
	}
	g, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return "", false
	}
	return strconv.FormatFloat(g, 'g', -1, 64), true
}
