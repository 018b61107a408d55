package engine

import (
	"math"
	"strconv"

	"helm.sh/helm/v3/pkg/chartutil"
)

// toYAMLFast writes the text sigs.k8s.io/yaml.Marshal(v) gives, without
// its three passes (json.Marshal, yaml.v2 Unmarshal of that JSON into
// interface{}, yaml.v2 Marshal of the result), for the value shapes
// templates hand to toYaml: string-keyed maps, lists, strings, bools,
// numbers and nil. It returns ok=false whenever it is not sure to match
// byte for byte (other types, NaN/Inf, cycles or very deep trees, strings
// whose round trip through JSON and yaml.v2 changes them, keys yaml.v2
// would write in its "? key" form, key sets its sort would not order
// deterministically); the caller then takes the sigs.k8s.io/yaml path.
//
// The layout follows go.yaml.in/yaml/v2 v2.4.4 (the version the module
// graph selects for sigs.k8s.io/yaml v1.6.0): encode.go for how each
// value becomes an event and which style a string asks for, emitterc.go
// for indentation, style selection and scalar writing (best_width 80,
// best_indent 2, unicode output), sorter.go for key order and
// resolve.go for which plain strings would read back as another type.
func toYAMLFast(v any) (string, bool) {
	o := yamlOut{buf: make([]byte, 0, 256), whitespace: true, indention: true}
	if !o.node(v, -1, false, 0) {
		return "", false
	}
	// The implicit document end: a line break unless one was just written.
	o.indent(-1)
	return string(o.buf), true
}

// maxYAMLDepth bounds the nesting toYAMLFast follows; deeper trees (and
// cyclic ones, which json.Marshal rejects) go the sigs.k8s.io/yaml way.
const maxYAMLDepth = 100

// yamlBestWidth is the emitter's line width for folding plain and quoted
// scalars at spaces (yaml_emitter_emit_stream_start sets 80 because
// Marshal leaves best_width unset and nothing calls FutureLineWrap).
const yamlBestWidth = 80

// yamlOut mirrors the part of yaml.v2's emitter state that decides the
// layout: the column in characters, and whether the last thing written was
// white space and whether only indentation has been written on the line.
type yamlOut struct {
	buf        []byte
	col        int
	whitespace bool
	indention  bool
}

// indent is the emitter's write_indent: a line break unless the line holds
// only indentation short of n, then spaces up to column n.
func (o *yamlOut) indent(n int) {
	if n < 0 {
		n = 0
	}
	if !o.indention || o.col > n || (o.col == n && !o.whitespace) {
		o.buf = append(o.buf, '\n')
		o.col = 0
	}
	for o.col < n {
		o.buf = append(o.buf, ' ')
		o.col++
	}
	o.whitespace, o.indention = true, true
}

// indicator is the emitter's write_indicator for ASCII indicators.
func (o *yamlOut) indicator(s string, needWhitespace, isWhitespace, isIndention bool) {
	if needWhitespace && !o.whitespace {
		o.buf = append(o.buf, ' ')
		o.col++
	}
	o.buf = append(o.buf, s...)
	o.col += len(s)
	o.whitespace = isWhitespace
	o.indention = o.indention && isIndention
}

// word writes a plain scalar that has no spaces (null, booleans, numbers).
func (o *yamlOut) word(s string) bool {
	o.space()
	o.buf = append(o.buf, s...)
	o.wordDone()
	return true
}

func (o *yamlOut) int(n int64) bool {
	o.space()
	o.buf = strconv.AppendInt(o.buf, n, 10)
	o.wordDone()
	return true
}

func (o *yamlOut) uint(n uint64) bool {
	o.space()
	o.buf = strconv.AppendUint(o.buf, n, 10)
	o.wordDone()
	return true
}

// space separates a plain scalar from what precedes it on the line.
func (o *yamlOut) space() {
	if !o.whitespace {
		o.buf = append(o.buf, ' ')
		o.col++
	}
	o.col -= len(o.buf) // wordDone adds back the length of the word
}

func (o *yamlOut) wordDone() {
	o.col += len(o.buf)
	o.whitespace, o.indention = false, false
}

// node writes v as a node whose parent collection sits at indent (-1 for
// the document root); mapValue says v is a mapping value, which makes a
// block sequence "indentless" (yaml_emitter_emit_block_sequence_item).
func (o *yamlOut) node(v any, indent int, mapValue bool, depth int) bool {
	if depth > maxYAMLDepth {
		return false
	}
	switch t := v.(type) {
	case nil:
		return o.word("null")
	case string:
		return o.str(t, scalarIndent(indent), false)
	case bool:
		if t {
			return o.word("true")
		}
		return o.word("false")
	case int:
		return o.int(int64(t))
	case int64:
		return o.int(t)
	case int32:
		return o.int(int64(t))
	case int16:
		return o.int(int64(t))
	case int8:
		return o.int(int64(t))
	case uint:
		return o.uint(uint64(t))
	case uint64:
		return o.uint(t)
	case uint32:
		return o.uint(uint64(t))
	case uint16:
		return o.uint(uint64(t))
	case uint8:
		return o.uint(uint64(t))
	case float64:
		// Integral values json writes exactly (below 2^53) come back
		// as ints; other finite values outside the integral range
		// json writes in 'f' form come back as the same float64.
		switch abs := math.Abs(t); {
		case t == math.Trunc(t) && abs < 1<<53:
			return o.int(int64(t))
		case t != math.Trunc(t) && !math.IsNaN(t):
			o.space()
			o.buf = strconv.AppendFloat(o.buf, t, 'g', -1, 64)
			o.wordDone()
			return true
		}
		s, ok := yamlFloat(t, 64)
		return ok && o.word(s)
	case float32:
		s, ok := yamlFloat(float64(t), 32)
		return ok && o.word(s)
	case map[string]any:
		return writeMap(o, t, indent, depth)
	case chartutil.Values:
		return writeMap(o, t, indent, depth)
	case map[string]string:
		return writeMap(o, t, indent, depth)
	case []any:
		return writeSeq(o, t, indent, mapValue, depth)
	case []string:
		return writeSeq(o, t, indent, mapValue, depth)
	case []map[string]any:
		return writeSeq(o, t, indent, mapValue, depth)
	}
	return false
}

// scalarIndent is the indentation continuation lines of a scalar get: the
// emitter raises the indent of its parent by best_indent (2) for every
// scalar, and the root's -1 becomes 2 (yaml_emitter_increase_indent).
func scalarIndent(parent int) int {
	if parent < 0 {
		return 2
	}
	return parent + 2
}

// writeMap writes a mapping: nil as null (json.Marshal's null), empty as
// the flow "{}" (yaml_emitter_check_empty_mapping), otherwise a block
// mapping with keys in yaml.v2's order, each "key: value".
func writeMap[V any](o *yamlOut, m map[string]V, indent, depth int) bool {
	if m == nil {
		return o.word("null")
	}
	if len(m) == 0 {
		o.indicator("{", true, true, false)
		o.indicator("}", false, false, false)
		return true
	}
	keys, ok := yamlSortedKeys(m)
	if !ok {
		return false
	}
	in := 0
	if indent >= 0 {
		in = indent + 2
	}
	for _, k := range keys {
		o.indent(in)
		if !o.key(k) {
			return false
		}
		o.indicator(":", false, false, false)
		if !o.node(m[k], in, true, depth+1) {
			return false
		}
	}
	return true
}

// writeSeq writes a list: nil as null, empty as "[]", otherwise a block
// sequence, at its parent's indent when it is a mapping value ("key:\n-
// a") and two deeper otherwise ("- - a").
func writeSeq[E any](o *yamlOut, s []E, indent int, mapValue bool, depth int) bool {
	if s == nil {
		return o.word("null")
	}
	if len(s) == 0 {
		o.indicator("[", true, true, false)
		o.indicator("]", false, false, false)
		return true
	}
	in := indent
	switch {
	case indent < 0:
		in = 0
	case !(mapValue && !o.indention):
		in = indent + 2
	}
	for _, e := range s {
		o.indent(in)
		o.indicator("-", true, false, true)
		if !o.node(e, in, false, depth+1) {
			return false
		}
	}
	return true
}
