package finding

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// Evidence is one labelled fact behind a finding: the guard expression, a
// value and the file that set it, the field and who writes it. The first
// Evidence of a finding answers "why". Evidence never holds Secret data.
type Evidence struct {
	Label string   `json:"label"`
	Value string   `json:"value"`
	At    Location `json:"location,omitzero"`
}

// FixKind says how a Fix is applied.
type FixKind string

// The kinds of fix.
const (
	FixYAML      FixKind = "yaml"
	FixKubectl   FixKind = "kubectl"
	FixTerraform FixKind = "terraform"
	FixTemplate  FixKind = "template"
)

// EditOp is the operation of a machine-applicable Edit.
type EditOp string

// The edit operations.
const (
	// OpSet sets the value at Path, creating parents as needed.
	OpSet EditOp = "set"
	// OpMerge deep-merges a mapping into the mapping at Path.
	OpMerge EditOp = "merge"
	// OpAppend appends the items of a sequence to the sequence at Path,
	// skipping items already present.
	OpAppend EditOp = "append"
	// OpDelete removes the key at Path.
	OpDelete EditOp = "delete"
	// OpReplaceText replaces the exact text Old with Value (templates).
	OpReplaceText EditOp = "replace-text"
)

// Edit is one machine-applicable change to File. Path is a YAML key path
// (dot separated, [N] for sequence items) or, for Terraform, the address of a
// block attribute. Value is YAML (for YAML and Terraform edits) or text.
type Edit struct {
	File     string `json:"file"`
	Document int    `json:"document,omitempty"` // 0-based YAML document index
	Path     string `json:"path,omitempty"`
	Op       EditOp `json:"op"`
	Old      string `json:"old,omitempty"`
	Value    string `json:"value,omitempty"`
	// At is where Old starts in File (line and column), when known. It lets
	// a replace-text edit be reported as a region replacement (SARIF fixes);
	// without it reporters leave the edit out rather than guess a position.
	At Location `json:"at,omitzero"`
}

// Fix is a concrete change that resolves a finding. Patch is ready to paste
// for people; Edits, when present, are what `syncdoctor fix` applies.
type Fix struct {
	Title string  `json:"title"`
	Kind  FixKind `json:"kind"`
	File  string  `json:"file,omitempty"`
	Patch string  `json:"patch"`
	Edits []Edit  `json:"edits,omitempty"`
}

// Finding is one diagnosis: what is wrong (Message), why (Evidence), what it
// costs (Impact) and how to fix it (Fixes).
type Finding struct {
	Check    string     `json:"check"`
	Severity Severity   `json:"severity"`
	App      string     `json:"app,omitempty"`
	Env      string     `json:"env,omitempty"`
	Object   ObjectRef  `json:"object,omitzero"`
	Location Location   `json:"location,omitzero"`
	Message  string     `json:"message"`
	Evidence []Evidence `json:"evidence,omitempty"`
	Impact   string     `json:"impact,omitempty"`
	Fixes    []Fix      `json:"fixes,omitempty"`
}

// Key is the identity used for dedupe: two findings with the same Key say
// the same thing.
func (f *Finding) Key() string {
	return strings.Join([]string{f.Check, f.App, f.Env, f.Object.String(), f.Location.String(), f.Message}, "\x00")
}

// Fingerprint identifies a finding across edits of the file: it leaves out
// line numbers, so a SARIF consumer or a baseline still recognises the
// finding after lines are added above it.
func (f *Finding) Fingerprint() string {
	h := sha256.New()
	for _, s := range []string{f.Check, f.App, f.Env, f.Object.String(), f.Location.File, f.Message} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Compare is the total order every reporter relies on: file, line, check,
// app, env, object, message.
func Compare(a, b *Finding) int {
	return cmp.Or(
		cmp.Compare(a.Location.File, b.Location.File),
		cmp.Compare(a.Location.Line, b.Location.Line),
		cmp.Compare(a.Check, b.Check),
		cmp.Compare(a.App, b.App),
		cmp.Compare(a.Env, b.Env),
		cmp.Compare(a.Object.String(), b.Object.String()),
		cmp.Compare(a.Message, b.Message),
	)
}

// SortAndDedupe sorts findings in the canonical order and drops exact
// duplicates (same Key), keeping the first.
func SortAndDedupe(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int { return Compare(&a, &b) })
	return slices.CompactFunc(fs, func(a, b Finding) bool { return a.Key() == b.Key() })
}
