package engine

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// plainReadsAsString reports whether yaml.v2 would read s, written plain,
// back as the same string: its resolve("", s) gives !!str (go.yaml.in/yaml/v2
// v2.4.4 resolve.go). The first byte picks the candidates as in resolve's
// table: y/n/t/f/o/~ only the fixed words, '.' a float, a sign or digit a
// timestamp, an int (base prefixes and '_' allowed), a uint or a float.
func plainReadsAsString(s string) bool {
	if s == "" {
		return false // null
	}
	c := s[0]
	switch {
	case strings.IndexByte("yYnNtTfFoO~", c) >= 0:
		return !resolveWord(s)
	case c == '.':
		if resolveWord(s) {
			return false
		}
		_, err := strconv.ParseFloat(s, 64)
		return err != nil
	case c == '+' || c == '-' || c >= '0' && c <= '9':
		return !resolveWord(s) && !resolvesAsNumber(s)
	}
	return true
}

// resolveWord reports whether s is one of the words yaml.v2 resolves to a
// bool, null, float or merge key.
func resolveWord(s string) bool {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
		"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
		"", "~", "null", "Null", "NULL",
		".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
		"<<":
		return true
	}
	return false
}

// resolvesAsNumber is resolve's branch for text starting with a sign or a
// digit: a timestamp, an int or uint (after dropping '_', any base prefix
// strconv accepts), a float of yaml's float shape that ParseFloat takes
// without a range error, or a 0b/-0b binary literal.
func resolvesAsNumber(s string) bool {
	if isYAMLTimestamp(s) {
		return true
	}
	plain := strings.ReplaceAll(s, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return true
	}
	if isYAMLFloatText(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(plain, "0b"); ok {
		if _, err := strconv.ParseInt(rest, 2, 64); err == nil {
			return true
		}
		if _, err := strconv.ParseUint(rest, 2, 64); err == nil {
			return true
		}
	} else if rest, ok := strings.CutPrefix(plain, "-0b"); ok {
		if _, err := strconv.ParseInt("-"+rest, 2, 64); err == nil {
			return true
		}
	}
	return false
}

// isYAMLFloatText matches yaml.v2's float shape
// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, whole string.
func isYAMLFloatText(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// yamlTimestampLayouts are the layouts resolve tries once the text starts
// with four digits and '-'.
var yamlTimestampLayouts = [...]string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// isYAMLTimestamp is resolve's parseTimestamp test for plain text.
func isYAMLTimestamp(s string) bool {
	if len(s) < 5 || s[4] != '-' {
		return false
	}
	for i := range 4 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	for _, layout := range yamlTimestampLayouts {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
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
