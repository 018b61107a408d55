package check

import (
	"os"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

type memFiles map[string]string

func (m memFiles) ReadFile(rel string) ([]byte, error) {
	if s, ok := m[rel]; ok {
		return []byte(s), nil
	}
	return nil, os.ErrNotExist
}

const textApp = `# the web app
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  ignoreDifferences:
    # first: hides labels everywhere
    - group: '*' # why
      kind: '*'
      jsonPointers:
        - /metadata/labels

    - group: apps
      kind: "Deploymnet"
      jsonPointers:
        - /spec/replicas
        # a trailing comment of the entry
  project: default
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
`

func TestRuleItemEdits(t *testing.T) {
	rules := []v1alpha1.ResourceIgnoreDifferences{
		{Group: "*", Kind: "*", JSONPointers: []string{"/metadata/labels"}},
		{Group: "apps", Kind: "Deploymnet", JSONPointers: []string{"/spec/replicas"}},
	}
	fixed := rules[1]
	fixed.Kind = "Deployment"
	narrowed := v1alpha1.ResourceIgnoreDifferences{Group: "apps", Kind: "Deployment", Name: "web", JSONPointers: []string{"/metadata/labels"}}
	tests := []struct {
		name    string
		src     string
		rule    int
		edit    func(it *ruleItem) (finding.Edit, bool)
		want    []v1alpha1.ResourceIgnoreDifferences
		wantOut string // a line the edited file must contain, "" for none
		gone    string // a line it must no longer contain
	}{
		{name: "delete with head comment", src: textApp, rule: 0,
			edit: func(it *ruleItem) (finding.Edit, bool) { return it.deleteEdit(), true },
			want: rules[1:], gone: "# first: hides labels everywhere"},
		{name: "delete the last entry keeps the next key", src: textApp, rule: 1,
			edit: func(it *ruleItem) (finding.Edit, bool) { return it.deleteEdit(), true },
			want: rules[:1], wantOut: "  project: default", gone: "# a trailing comment of the entry"},
		{name: "replace keeps the head comment", src: textApp, rule: 0,
			edit: func(it *ruleItem) (finding.Edit, bool) {
				return it.replaceEdit([]v1alpha1.ResourceIgnoreDifferences{narrowed}), true
			},
			want: []v1alpha1.ResourceIgnoreDifferences{narrowed, rules[1]}, wantOut: "    # first: hides labels everywhere"},
		{name: "quoted scalar", src: textApp, rule: 1,
			edit: func(it *ruleItem) (finding.Edit, bool) { return it.scalarEdit("kind", "Deployment") },
			want: []v1alpha1.ResourceIgnoreDifferences{rules[0], fixed}, wantOut: "      kind: Deployment"},
		{name: "CRLF", src: strings.ReplaceAll(textApp, "\n", "\r\n"), rule: 0,
			edit: func(it *ruleItem) (finding.Edit, bool) {
				return it.replaceEdit([]v1alpha1.ResourceIgnoreDifferences{narrowed}), true
			},
			want: []v1alpha1.ResourceIgnoreDifferences{narrowed, rules[1]}, wantOut: "      name: web\r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := &target.Application{App: &v1alpha1.Application{}, Origin: target.OriginYAML, Declared: finding.Location{File: "apps/web.yaml", Line: 2}}
			app.App.Spec.IgnoreDifferences = rules
			in := &Input{Files: memFiles{"apps/web.yaml": tt.src}}
			it, ok := locateRule(in, app, tt.rule)
			if !ok {
				t.Fatal("entry not located")
			}
			e, ok := tt.edit(it)
			if !ok {
				t.Fatal("no edit")
			}
			if !it.validEdit(e, tt.want) {
				t.Fatalf("edit does not give the wanted list: %+v", e)
			}
			wrong := append([]v1alpha1.ResourceIgnoreDifferences(nil), rules...)
			if it.validEdit(e, wrong) {
				t.Errorf("validEdit accepts the unedited list")
			}
			at := strings.Index(tt.src, e.Old)
			out := tt.src[:at] + e.Value + tt.src[at+len(e.Old):]
			if tt.wantOut != "" && !strings.Contains(out, tt.wantOut+"\n") {
				t.Errorf("edited file lacks %q:\n%s", tt.wantOut, out)
			}
			if tt.gone != "" && strings.Contains(out, tt.gone) {
				t.Errorf("edited file still has %q:\n%s", tt.gone, out)
			}
		})
	}
}

func TestLocateRuleRefuses(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{name: "flow list", src: "spec:\n  ignoreDifferences: [{kind: Service, jsonPointers: [/spec/clusterIP]}]\n"},
		{name: "anchor", src: "spec:\n  ignoreDifferences:\n    - &r\n      kind: Service\n"},
		{name: "dash alone", src: "spec:\n  ignoreDifferences:\n    -\n      kind: Service\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := &target.Application{App: &v1alpha1.Application{}, Origin: target.OriginYAML, Declared: finding.Location{File: "a.yaml"}}
			if _, ok := locateRule(&Input{Files: memFiles{"a.yaml": tt.src}}, app, 0); ok {
				t.Error("located an entry that cannot be edited as text")
			}
		})
	}
}
