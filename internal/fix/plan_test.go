package fix

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func fnd(msg string, edits ...finding.Edit) finding.Finding {
	return finding.Finding{Check: "c", Message: msg, Fixes: []finding.Fix{
		{Title: "kubectl", Kind: finding.FixKubectl, Patch: "kubectl x", Edits: edits},
		{Title: "edit", Kind: finding.FixYAML, Patch: "p", Edits: edits},
	}}
}

func TestCompute(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"values.yaml":      "a: 1 # one\nb:\n  c: 2\n",
		"templates/d.yaml": "replicas: {{ .Values.r }}\nx: {{ .Values.r }}\n",
		"app.yaml":         "spec:\n  ignoreDifferences:\n    - kind: A\n",
	})
	findings := []finding.Finding{
		fnd("set a", finding.Edit{File: "values.yaml", Path: "a", Op: finding.OpSet, Value: "3"}),
		fnd("set b.d", finding.Edit{File: "values.yaml", Path: "b.d", Op: finding.OpSet, Value: "4"}),
		fnd("conflicting set a", finding.Edit{File: "values.yaml", Path: "a", Op: finding.OpSet, Value: "5"}),
		fnd("same set a again", finding.Edit{File: "values.yaml", Path: "a", Op: finding.OpSet, Value: "3"}),
		fnd("ambiguous text", finding.Edit{File: "templates/d.yaml", Op: finding.OpReplaceText, Old: "{{ .Values.r }}", Value: "1"}),
		fnd("text at", finding.Edit{File: "templates/d.yaml", Op: finding.OpReplaceText, Old: "{{ .Values.r }}", Value: "{{ .Values.x }}",
			At: finding.Location{File: "templates/d.yaml", Line: 2, Column: 4}}),
		fnd("append 1", finding.Edit{File: "app.yaml", Path: "spec.ignoreDifferences", Op: finding.OpAppend, Value: "- kind: B"}),
		fnd("append 2", finding.Edit{File: "app.yaml", Path: "spec.ignoreDifferences", Op: finding.OpAppend, Value: "- kind: C"}),
		fnd("outside", finding.Edit{File: "../x.yaml", Path: "a", Op: finding.OpSet, Value: "1"}),
		{Check: "c", Message: "no fix"},
	}
	p, err := Compute(root, findings)
	if err != nil {
		t.Fatal(err)
	}
	var applied, manual []string
	for _, o := range p.Applied {
		applied = append(applied, o.Finding.Message)
	}
	for _, o := range p.Manual {
		manual = append(manual, o.Finding.Message+": "+o.Reason)
	}
	wantApplied := "set a|set b.d|same set a again|text at|append 1|append 2"
	if got := strings.Join(applied, "|"); got != wantApplied {
		t.Errorf("applied = %s\nwant      %s", got, wantApplied)
	}
	for i, want := range []string{"conflicting set a: edit of values.yaml: conflicts", "ambiguous text: edit of templates/d.yaml: replace-text: the text to replace occurs 2 times", "outside: edit of ../x.yaml: ../x.yaml: not a path inside", "no fix: no machine-applicable fix"} {
		if i >= len(manual) || !strings.HasPrefix(manual[i], want) {
			t.Errorf("manual[%d] = %q, want prefix %q", i, at(manual, i), want)
		}
	}
	want := map[string]string{
		"app.yaml":         "spec:\n  ignoreDifferences:\n    - kind: A\n    - kind: B\n    - kind: C\n",
		"templates/d.yaml": "replicas: {{ .Values.r }}\nx: {{ .Values.x }}\n",
		"values.yaml":      "a: 3 # one\nb:\n  c: 2\n  d: 4\n",
	}
	if len(p.Changes) != len(want) {
		t.Fatalf("%d changes, want %d", len(p.Changes), len(want))
	}
	for _, c := range p.Changes {
		if string(c.New) != want[c.File] {
			t.Errorf("%s:\n%s\nwant:\n%s", c.File, c.New, want[c.File])
		}
	}
	diff := p.Diff()
	for _, s := range []string{"--- a/values.yaml\n+++ b/values.yaml\n@@ -1,3 +1,4 @@\n-a: 1 # one\n+a: 3 # one\n", "+  d: 4\n"} {
		if !strings.Contains(diff, s) {
			t.Errorf("diff lacks %q:\n%s", s, diff)
		}
	}
	if err := p.Write(&Writer{}); err != nil {
		t.Fatal(err)
	}
	for name, body := range want {
		got, _ := os.ReadFile(filepath.Join(root, name))
		if string(got) != body {
			t.Errorf("%s on disk:\n%s", name, got)
		}
		if st, _ := os.Stat(filepath.Join(root, name)); st.Mode().Perm() != 0o640 {
			t.Errorf("%s: mode %v, want 0640", name, st.Mode().Perm())
		}
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// TestWriteFault fails the write between the temporary file and the
// rename: the original must be intact and no temporary file left.
func TestWriteFault(t *testing.T) {
	root := writeFiles(t, map[string]string{"values.yaml": "a: 1\n"})
	p, err := Compute(root, []finding.Finding{fnd("set", finding.Edit{File: "values.yaml", Path: "a", Op: finding.OpSet, Value: "2"})})
	if err != nil {
		t.Fatal(err)
	}
	var sawTmp string
	boom := errors.New("injected fault")
	err = p.Write(&Writer{BeforeRename: func(tmp string) error {
		sawTmp = tmp
		data, _ := os.ReadFile(tmp)
		if string(data) != "a: 2\n" {
			t.Errorf("temporary file holds %q", data)
		}
		return boom
	}})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the injected fault", err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "values.yaml")); string(got) != "a: 1\n" {
		t.Errorf("original changed: %q", got)
	}
	if _, err := os.Stat(sawTmp); !os.IsNotExist(err) {
		t.Errorf("temporary file %s left behind", sawTmp)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want 1", len(entries))
	}
}

func TestWriteRefusesChangedFile(t *testing.T) {
	root := writeFiles(t, map[string]string{"values.yaml": "a: 1\n"})
	p, _ := Compute(root, []finding.Finding{fnd("set", finding.Edit{File: "values.yaml", Path: "a", Op: finding.OpSet, Value: "2"})})
	os.WriteFile(filepath.Join(root, "values.yaml"), []byte("a: 7\n"), 0o644)
	if err := p.Write(&Writer{}); !errors.Is(err, errChanged) {
		t.Fatalf("err = %v", err)
	}
}

func TestUnifiedDiff(t *testing.T) {
	got := UnifiedDiff("f.yaml", []byte("a\nb\nc\n"), []byte("a\nB\nc\nd"))
	want := "--- a/f.yaml\n+++ b/f.yaml\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n\\ No newline at end of file\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if UnifiedDiff("f", []byte("x"), []byte("x")) != "" {
		t.Error("diff of equal files is not empty")
	}
}
