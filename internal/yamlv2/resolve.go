// Package yamlv2 holds the scalar resolution rules of go.yaml.in/yaml/v2
// (v2.4.4 resolve.go), the YAML library Helm's values, manifests and
// toYaml go through: which type a plain (unquoted) scalar reads as.
// syncdoctor's fast YAML decoder (render) and fast toYaml writer
// (render/engine) both need them; resolve_test.go proves Resolve equal to
// yaml.v2 itself.
package yamlv2

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the type yaml.v2 resolves a plain scalar to.
type Kind int

// The kinds of plain scalars.
const (
	Str Kind = iota
	Null
	Bool
	Int   // value int64, or uint64 above int64's range
	Float // value float64 (NaN and ±Inf included)
	Timestamp
)

// Resolve returns the kind yaml.v2 gives the plain scalar s and, for
// Bool, Int and Float, its value. Like resolve.go, the first byte decides
// what is tried: y/n/t/f/o/~ the fixed words only, '.' a float, a sign or
// a digit a timestamp, an int (after dropping '_', with any base prefix
// strconv accepts), a uint, a float of YAML's float shape, a 0b binary;
// any other first byte makes a string. The value of a Str is s.
func Resolve(s string) (Kind, any) {
	k, v := resolve(s)
	if k == Str {
		return Str, s
	}
	return k, v
}

// KindOf is Resolve's kind alone; for a string it allocates nothing (a
// map key checked to stay a string needs no boxed copy of itself).
func KindOf(s string) Kind {
	k, _ := resolve(s)
	return k
}

// resolve is Resolve with no value for Str.
func resolve(s string) (Kind, any) {
	if s == "" {
		return Null, nil
	}
	c := s[0]
	switch {
	case strings.IndexByte("yYnNtTfFoO~", c) >= 0:
		if k, v, ok := word(s); ok {
			return k, v
		}
	case c == '.':
		if k, v, ok := word(s); ok {
			return k, v
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return Float, f
		}
	case c == '+' || c == '-' || c >= '0' && c <= '9':
		if k, v, ok := word(s); ok {
			return k, v
		}
		return number(s)
	}
	return Str, nil
}

// word resolves the fixed words of resolve.go's table.
func word(s string) (Kind, any, bool) {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
		return Bool, true, true
	case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
		return Bool, false, true
	case "~", "null", "Null", "NULL":
		return Null, nil, true
	case ".nan", ".NaN", ".NAN":
		return Float, math.NaN(), true
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return Float, math.Inf(1), true
	case "-.inf", "-.Inf", "-.INF":
		return Float, math.Inf(-1), true
	}
	return Str, nil, false
}

// number is Resolve for text starting with a sign or a digit.
func number(s string) (Kind, any) {
	if IsTimestamp(s) {
		return Timestamp, nil
	}
	plain := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return Int, i
	}
	if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return Int, u
	}
	if FloatSyntax(plain) {
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			return Float, f
		}
	}
	if rest, ok := strings.CutPrefix(plain, "0b"); ok {
		if i, err := strconv.ParseInt(rest, 2, 64); err == nil {
			return Int, i
		}
		if u, err := strconv.ParseUint(rest, 2, 64); err == nil {
			return Int, u
		}
	} else if rest, ok := strings.CutPrefix(plain, "-0b"); ok {
		if i, err := strconv.ParseInt("-"+rest, 2, 64); err == nil {
			return Int, i
		}
	}
	return Str, nil
}

// FloatSyntax matches resolve.go's yamlStyleFloat,
// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$, without regexp.
func FloatSyntax(s string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
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

// timestampLayouts are the layouts resolve.go's parseTimestamp tries once
// the text starts with four digits and '-'.
var timestampLayouts = [...]string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// IsTimestamp is resolve.go's parseTimestamp test for plain text.
func IsTimestamp(s string) bool {
	if len(s) < 5 || s[4] != '-' {
		return false
	}
	for i := range 4 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	for _, layout := range timestampLayouts {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}
