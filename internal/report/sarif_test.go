package report

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

// The spec* types mirror the properties SARIF 2.1.0 requires of the objects
// we write (sarif-schema-2.1.0.json "required" lists), as pointers so a
// missing property is caught rather than read as a zero value.
type specLog struct {
	Schema  *string   `json:"$schema"`
	Version *string   `json:"version"`
	Runs    []specRun `json:"runs"`
}

type specRun struct {
	Tool *struct {
		Driver *struct {
			Name  *string `json:"name"`
			Rules []struct {
				ID *string `json:"id"`
			} `json:"rules"`
		} `json:"driver"`
	} `json:"tool"`
	Invocations []struct {
		ExecutionSuccessful *bool `json:"executionSuccessful"`
	} `json:"invocations"`
	Results []specResult `json:"results"`
}

type specResult struct {
	RuleID    *string `json:"ruleId"`
	RuleIndex *int    `json:"ruleIndex"`
	Level     *string `json:"level"`
	Message   *struct {
		Text *string `json:"text"`
	} `json:"message"`
	Locations        []specLocation `json:"locations"`
	RelatedLocations []specLocation `json:"relatedLocations"`
	Fixes            []struct {
		ArtifactChanges []struct {
			ArtifactLocation *specArtifact `json:"artifactLocation"`
			Replacements     []struct {
				DeletedRegion *specRegion `json:"deletedRegion"`
			} `json:"replacements"`
		} `json:"artifactChanges"`
	} `json:"fixes"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type specLocation struct {
	PhysicalLocation *struct {
		ArtifactLocation *specArtifact `json:"artifactLocation"`
		Region           *specRegion   `json:"region"`
	} `json:"physicalLocation"`
	LogicalLocations []struct {
		FullyQualifiedName *string `json:"fullyQualifiedName"`
		Kind               *string `json:"kind"`
	} `json:"logicalLocations"`
}

type specArtifact struct {
	URI       *string `json:"uri"`
	URIBaseID *string `json:"uriBaseId"`
}

type specRegion struct {
	StartLine   *int `json:"startLine"`
	StartColumn *int `json:"startColumn"`
	EndLine     *int `json:"endLine"`
	EndColumn   *int `json:"endColumn"`
}

// TestSARIFInvariants checks the committed golden and a result with a
// finding whose check has no CheckInfo.
func TestSARIFInvariants(t *testing.T) {
	gold, err := os.ReadFile(filepath.Join("testdata", "sarif.golden"))
	if err != nil {
		t.Fatal(err)
	}
	extra := fixture()
	extra.Findings = append(extra.Findings, finding.Finding{Check: "zz-unregistered", Severity: finding.Info, Message: "m"})
	for name, data := range map[string][]byte{"golden": gold, "unregistered check": render(t, "sarif", Options{}, extra)} {
		t.Run(name, func(t *testing.T) { checkSARIF(t, data) })
	}
}

func checkSARIF(t *testing.T, data []byte) {
	var log specLog
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&log); err != nil {
		t.Fatal(err)
	}
	if log.Version == nil || *log.Version != "2.1.0" || log.Schema == nil || !strings.Contains(*log.Schema, "sarif-schema-2.1.0") {
		t.Errorf("version/$schema wrong: %v %v", log.Version, log.Schema)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("want 1 run, got %d", len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool == nil || run.Tool.Driver == nil || run.Tool.Driver.Name == nil || *run.Tool.Driver.Name == "" {
		t.Fatal("runs[0].tool.driver.name missing")
	}
	for _, inv := range run.Invocations {
		if inv.ExecutionSuccessful == nil {
			t.Error("invocation without executionSuccessful")
		}
	}
	rules := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		if r.ID == nil {
			t.Fatalf("rules[%d] has no id", i)
		}
		rules[*r.ID] = i
	}
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	for i, r := range run.Results {
		if r.RuleID == nil || r.RuleIndex == nil {
			t.Fatalf("results[%d]: ruleId or ruleIndex missing", i)
		}
		if idx, ok := rules[*r.RuleID]; !ok || idx != *r.RuleIndex {
			t.Errorf("results[%d]: ruleId %q not at ruleIndex %d", i, *r.RuleID, *r.RuleIndex)
		}
		if r.Level == nil || !strings.Contains(" error warning note ", " "+*r.Level+" ") {
			t.Errorf("results[%d]: level %v", i, r.Level)
		}
		if r.Message == nil || r.Message.Text == nil || *r.Message.Text == "" {
			t.Errorf("results[%d]: message.text missing", i)
		}
		if r.PartialFingerprints["syncdoctor/v1"] == "" {
			t.Errorf("results[%d]: fingerprint missing", i)
		}
		for _, l := range append(r.Locations, r.RelatedLocations...) {
			checkLocation(t, i, l)
		}
		for _, f := range r.Fixes {
			for _, c := range f.ArtifactChanges {
				checkArtifact(t, i, c.ArtifactLocation)
				for _, rep := range c.Replacements {
					checkRegion(t, i, rep.DeletedRegion)
				}
			}
		}
	}
}

func checkLocation(t *testing.T, i int, l specLocation) {
	t.Helper()
	if pl := l.PhysicalLocation; pl != nil {
		if pl.Region == nil {
			t.Errorf("results[%d]: physicalLocation without region", i)
		}
		checkArtifact(t, i, pl.ArtifactLocation)
		checkRegion(t, i, pl.Region)
		return
	}
	if len(l.LogicalLocations) == 0 {
		t.Errorf("results[%d]: location with neither physical nor logical location", i)
	}
	for _, ll := range l.LogicalLocations {
		if ll.FullyQualifiedName == nil || ll.Kind == nil {
			t.Errorf("results[%d]: logical location without fullyQualifiedName or kind", i)
		}
	}
}

func checkArtifact(t *testing.T, i int, a *specArtifact) {
	t.Helper()
	if a == nil || a.URI == nil || a.URIBaseID == nil || *a.URIBaseID != "%SRCROOT%" {
		t.Errorf("results[%d]: artifactLocation without uri or %%SRCROOT%% base", i)
		return
	}
	u, err := url.Parse(*a.URI)
	if err != nil || u.IsAbs() || strings.HasPrefix(u.Path, "/") {
		t.Errorf("results[%d]: uri %q is not a relative reference (%v)", i, *a.URI, err)
	}
}

func checkRegion(t *testing.T, i int, r *specRegion) {
	t.Helper()
	if r == nil {
		return
	}
	if r.StartLine == nil || *r.StartLine < 1 {
		t.Errorf("results[%d]: region without startLine ≥ 1", i)
		return
	}
	if r.StartColumn != nil && *r.StartColumn < 1 {
		t.Errorf("results[%d]: startColumn %d", i, *r.StartColumn)
	}
	if r.EndLine != nil && *r.EndLine < *r.StartLine {
		t.Errorf("results[%d]: endLine %d before startLine %d", i, *r.EndLine, *r.StartLine)
	}
}

func TestSARIFLocations(t *testing.T) {
	cases := []struct {
		name     string
		loc      finding.Location
		obj      finding.ObjectRef
		physical bool
		logical  []string
	}{
		{name: "line", loc: finding.Location{File: "a b.yaml", Line: 3}, physical: true},
		{name: "object only", obj: finding.ObjectRef{Kind: "ConfigMap", Namespace: "ns", Name: "c"}, logical: []string{"ConfigMap/ns/c"}},
		{name: "file without line", loc: finding.Location{File: "a.yaml"}, logical: []string{"a.yaml"}},
		{name: "nothing", logical: nil},
	}
	for _, c := range cases {
		l, ok := primaryLocation(&finding.Finding{Location: c.loc, Object: c.obj})
		if ok != (c.physical || len(c.logical) > 0) {
			t.Errorf("%s: ok = %v", c.name, ok)
		}
		if (l.PhysicalLocation != nil) != c.physical {
			t.Errorf("%s: physical = %v", c.name, l.PhysicalLocation)
		}
		var got []string
		for _, ll := range l.LogicalLocations {
			got = append(got, ll.FullyQualifiedName)
		}
		if strings.Join(got, ",") != strings.Join(c.logical, ",") {
			t.Errorf("%s: logical = %v, want %v", c.name, got, c.logical)
		}
	}
	if got := artifact("a b:c.yaml").URI; got != "./a%20b:c.yaml" {
		t.Errorf("artifact uri = %q", got)
	}
	for root, want := range map[string]string{"/home/x": "file:///home/x/", `C:\src\repo`: "file:///C:/src/repo/", "rel": ""} {
		if got := rootURI(root); got != want {
			t.Errorf("rootURI(%q) = %q, want %q", root, got, want)
		}
	}
}

func TestSARIFFixes(t *testing.T) {
	at := finding.Location{Line: 4, Column: 3}
	cases := []struct {
		name  string
		edits []finding.Edit
		ok    bool
		want  sarifRegion
	}{
		{name: "one line", edits: []finding.Edit{{File: "t.yaml", Op: finding.OpReplaceText, Old: "héllo", Value: "x", At: at}}, ok: true,
			want: sarifRegion{StartLine: 4, StartColumn: 3, EndLine: 4, EndColumn: 8}},
		{name: "two lines", edits: []finding.Edit{{File: "t.yaml", Op: finding.OpReplaceText, Old: "ab\ncde", At: at}}, ok: true,
			want: sarifRegion{StartLine: 4, StartColumn: 3, EndLine: 5, EndColumn: 4}},
		{name: "insertion", edits: []finding.Edit{{File: "t.yaml", Op: finding.OpReplaceText, Value: "x", At: at}}, ok: true,
			want: sarifRegion{StartLine: 4, StartColumn: 3, EndLine: 4, EndColumn: 3}},
		{name: "no position", edits: []finding.Edit{{File: "t.yaml", Op: finding.OpReplaceText, Old: "a"}}},
		{name: "no column", edits: []finding.Edit{{File: "t.yaml", Op: finding.OpReplaceText, Old: "a", At: finding.Location{Line: 4}}}},
		{name: "yaml set", edits: []finding.Edit{{File: "t.yaml", Op: finding.OpSet, Path: "a.b", Value: "1"}}},
		{name: "mixed", edits: []finding.Edit{{File: "t.yaml", Op: finding.OpReplaceText, Old: "a", At: at}, {File: "t.yaml", Op: finding.OpDelete, Path: "a"}}},
		{name: "none"},
	}
	for _, c := range cases {
		f, ok := sarifFixOf(finding.Fix{Title: "t", Edits: c.edits})
		if ok != c.ok {
			t.Errorf("%s: ok = %v", c.name, ok)
			continue
		}
		if ok && f.ArtifactChanges[0].Replacements[0].DeletedRegion != c.want {
			t.Errorf("%s: region = %+v, want %+v", c.name, f.ArtifactChanges[0].Replacements[0].DeletedRegion, c.want)
		}
	}
}
