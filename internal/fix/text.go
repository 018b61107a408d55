package fix

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// ReplaceText applies a replace-text edit: Old must occur exactly once in
// src, or start at e.At (line and byte column, 1-based) when At is set.
// It returns the new bytes and the byte offset where Old started.
func ReplaceText(src []byte, e finding.Edit) ([]byte, int, error) {
	if e.Old == "" {
		return nil, 0, errors.New("replace-text: empty Old")
	}
	old := []byte(e.Old)
	var at int
	if e.At.Line > 0 {
		o, ok := lineColOffset(src, e.At.Line, max(e.At.Column, 1))
		if !ok || !bytes.HasPrefix(src[o:], old) {
			return nil, 0, fmt.Errorf("replace-text: the text to replace is not at line %d column %d", e.At.Line, max(e.At.Column, 1))
		}
		at = o
	} else {
		switch n := bytes.Count(src, old); n {
		case 1:
			at = bytes.Index(src, old)
		case 0:
			return nil, 0, errors.New("replace-text: the text to replace does not occur")
		default:
			return nil, 0, fmt.Errorf("replace-text: the text to replace occurs %d times", n)
		}
	}
	out := make([]byte, 0, len(src)-len(old)+len(e.Value))
	out = append(append(append(out, src[:at]...), e.Value...), src[at+len(old):]...)
	return out, at, nil
}

// lineColOffset converts a 1-based line and byte column to an offset.
func lineColOffset(src []byte, line, col int) (int, bool) {
	o := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[o:], '\n')
		if i < 0 {
			return 0, false
		}
		o += i + 1
	}
	end := len(src)
	if i := bytes.IndexByte(src[o:], '\n'); i >= 0 {
		end = o + i
	}
	if o+col-1 > end {
		return 0, false
	}
	return o + col - 1, true
}
