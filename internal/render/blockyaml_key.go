package render

import "strings"

// scanKey looks for a mapping key at offset i: a quoted scalar or a plain
// one followed by ':' and a space or the line's end. isKey is false for a
// line holding a scalar; ok is false when the line is outside the subset
// (a tab, a key that is not a string under yaml.v2, an over-long key).
func (d *blockDecoder) scanKey(i int) (key string, after int, isKey, ok bool) {
	if c := d.s[i]; c == '"' || c == '\'' {
		key, j, ok := d.quoted(i)
		if !ok {
			return "", 0, false, false
		}
		for j < d.end && d.s[j] == ' ' {
			j++
		}
		if j < d.end && d.s[j] == ':' && (j+1 == d.end || d.s[j+1] == ' ') {
			return key, j + 1, true, j-i <= blockMaxKey
		}
		return "", 0, false, true
	}
	if !d.plainStart(i) {
		return "", 0, false, true
	}
	for j := i; j < d.end; j++ {
		switch d.s[j] {
		case '\t':
			return "", 0, false, false
		case ':':
			if j+1 < d.end && d.s[j+1] != ' ' {
				continue
			}
			key = strings.TrimRight(d.s[i:j], " ")
			if j-i > blockMaxKey || key == "<<" {
				return "", 0, false, false
			}
			// A plain key must resolve to the same string (not a bool,
			// null, number or timestamp, which YAMLToJSON renames).
			if !plainKeyStaysString(key) {
				return "", 0, false, false
			}
			return key, j + 1, true, true
		case '#':
			if d.s[j-1] == ' ' {
				return "", 0, false, true
			}
		}
	}
	return "", 0, false, true
}

// plainStart says whether a plain scalar may start at offset i in block
// context: not an indicator, except '-', '?' and ':' before a non-blank
// (scannerc.go yaml_parser_fetch_next_token).
func (d *blockDecoder) plainStart(i int) bool {
	switch d.s[i] {
	case '-', '?', ':':
		return i+1 < d.end && d.s[i+1] != ' ' && d.s[i+1] != '\t'
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ', '\t':
		return false
	}
	return true
}
