package check

import (
	"maps"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"helm.sh/helm/v3/pkg/chart"

	"github.com/syncdoctor/syncdoctor/internal/target"
)

// TestShiftedClockFuncs: with a time argument the replacements give
// sprig's output; where sprig reads the clock, a shifted clock shows at
// date granularity.
func TestShiftedClockFuncs(t *testing.T) {
	exec := func(funcs map[string]any, text string) string {
		f := sprig.TxtFuncMap()
		maps.Copy(f, funcs)
		tp, err := template.New("t").Funcs(f).Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := tp.Execute(&b, map[string]any{"fixed": time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), "str": "x"}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	shifted := shiftedClockFuncs(clockShift)
	for _, tc := range []struct {
		name, text string
		differs    bool
	}{
		{name: "now at day granularity", text: `{{ now | date "2006-01-02" }}`, differs: true},
		{name: "year of now", text: `{{ now | date "2006" }}`, differs: true},
		{name: "date of a non-time reads the clock", text: `{{ date "2006-01-02" .str }}`, differs: true},
		{name: "htmlDate of nil", text: `{{ htmlDate .missing }}`, differs: true},
		{name: "dateInZone of nil", text: `{{ dateInZone "2006-01-02" .missing "UTC" }}`, differs: true},
		{name: "ago of a fixed time", text: `{{ ago .fixed }}`, differs: true},
		{name: "durationRound of a fixed time", text: `{{ durationRound .fixed }}`, differs: true},
		{name: "date of a fixed time", text: `{{ date "2006-01-02 15:04" .fixed }}`},
		{name: "date of a Unix time", text: `{{ dateInZone "2006-01-02" 1700000000 "UTC" }}`},
		{name: "htmlDateInZone of a fixed time", text: `{{ htmlDateInZone .fixed "UTC" }}`},
		{name: "durationRound of a string", text: `{{ durationRound "49h" }}`},
		{name: "ago of now", text: `{{ ago now }}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			real, moved := exec(nil, tc.text), exec(shifted, tc.text)
			if (real != moved) != tc.differs {
				t.Errorf("sprig %q, shifted %q: want differ=%v", real, moved, tc.differs)
			}
		})
	}
}

// TestNDAttribute: a changed field is attributed to the function on the
// line that sets its key, or to the only function reachable; otherwise
// the candidates are listed.
func TestNDAttribute(t *testing.T) {
	c := &chart.Chart{Metadata: &chart.Metadata{Name: "c", APIVersion: "v2"}, Templates: []*chart.File{
		{Name: "templates/cm.yaml", Data: []byte("data:\n  # rotate now and then (not a call)\n  built-on: {{ now | date \"2006-01-02\" }}\n  id: {{ uuidv4 }}\n  both: {{ $t := now }}{{ $t }}\n")},
		{Name: "templates/secret.yaml", Data: []byte("{{- $c := genCA \"x\" 365 }}\ndata:\n  ca: {{ $c.Cert | b64enc }}\n  key: {{ include \"c.key\" . }}\n")},
		{Name: "templates/_helpers.tpl", Data: []byte("{{- define \"c.key\" }}{{ randAlphaNum 8 }}{{ end }}\n{{- define \"c.unused\" }}{{ bcrypt \"x\" }}{{ end }}\n")},
		{Name: "templates/plain.yaml", Data: []byte("data:\n  a: {{ .Values.a }}\n")},
	}}
	calls := chartCalls(c, "charts/c")
	for _, tc := range []struct {
		name, file, pointer string
		want                string // "fn@line", or "?" with the candidates' functions
	}{
		{name: "date line names now", file: "charts/c/templates/cm.yaml", pointer: "/data/built-on", want: "now@3"},
		{name: "next line names uuidv4", file: "charts/c/templates/cm.yaml", pointer: "/data/id", want: "uuidv4@4"},
		{name: "key without a call: candidates", file: "charts/c/templates/cm.yaml", pointer: "/data/other", want: "? now date uuidv4 now"},
		{name: "key line without a call, two functions reachable", file: "charts/c/templates/secret.yaml", pointer: "/data/ca", want: "? genCA randAlphaNum"},
		{name: "no calls", file: "charts/c/templates/plain.yaml", pointer: "/data/a", want: "?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ndAttribute(calls.reachable(tc.file), tc.pointer)
			got := "?"
			if a.known {
				got = a.call.fn + "@" + strconv.Itoa(a.call.at.Line)
			} else {
				for _, c := range a.candidates {
					got += " " + c.fn
				}
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	// A template reaching one function only: it is named.
	one := &chart.Chart{Metadata: &chart.Metadata{Name: "o", APIVersion: "v2"}, Templates: []*chart.File{
		{Name: "templates/s.yaml", Data: []byte("{{- $c := genSelfSignedCert \"x\" nil nil 365 }}\ndata:\n  tls.crt: {{ $c.Cert }}\n")},
	}}
	if a := ndAttribute(chartCalls(one, "o").reachable("o/templates/s.yaml"), "/data/tls.crt"); !a.known || a.call.fn != "genSelfSignedCert" || a.call.at.Line != 1 {
		t.Errorf("single function: got %+v", a)
	}
}

// TestWithSyncOption: the kubectl merge patch carries the app's existing
// sync options and the new one, and the rules as written.
func TestWithSyncOption(t *testing.T) {
	app := &target.Application{App: &v1alpha1.Application{}}
	app.App.Name, app.App.Namespace = "web", "argocd"
	app.App.Spec.SyncPolicy = &v1alpha1.SyncPolicy{SyncOptions: v1alpha1.SyncOptions{"CreateNamespace=true"}}
	cmd := kubectlRules(app, []v1alpha1.ResourceIgnoreDifferences{{Kind: "Secret", Name: "it's", JSONPointers: []string{"/data/p"}}})
	got := withSyncOption(app, cmd)
	want := `kubectl patch application web -n argocd --type merge -p '{"spec":{"ignoreDifferences":[{"kind":"Secret","name":"it'\''s","jsonPointers":["/data/p"]}],"syncPolicy":{"syncOptions":["CreateNamespace=true","RespectIgnoreDifferences=true"]}}}'`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// With the option already set, no fix adds it again.
	app.App.Spec.SyncPolicy.SyncOptions = append(app.App.Spec.SyncPolicy.SyncOptions, respectOption)
	fixes := respectOnSync(app, ignoreFixes(app, []v1alpha1.ResourceIgnoreDifferences{{Kind: "Secret", Name: "s", JSONPointers: []string{"/data/p"}}}, ""))
	for _, f := range fixes {
		if strings.Contains(f.Patch, "syncPolicy") || strings.Contains(f.Title, "add RespectIgnoreDifferences") {
			t.Errorf("fix %q adds the option again: %s", f.Title, f.Patch)
		}
	}
}
