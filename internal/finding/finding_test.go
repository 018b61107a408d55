package finding

import "testing"

func TestLocationString(t *testing.T) {
	cases := []struct {
		name string
		loc  Location
		want string
	}{
		{name: "zero", loc: Location{}, want: ""},
		{name: "file", loc: Location{File: "a.yaml"}, want: "a.yaml"},
		{name: "line", loc: Location{File: "a.yaml", Line: 3}, want: "a.yaml:3"},
		{name: "column", loc: Location{File: "a.yaml", Line: 3, Column: 7}, want: "a.yaml:3:7"},
	}
	for _, c := range cases {
		if got := c.loc.String(); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestObjectRefString(t *testing.T) {
	if got := (ObjectRef{Group: "apps", Kind: "Deployment", Namespace: "prod", Name: "web"}).String(); got != "apps/Deployment/prod/web" {
		t.Errorf("got %q", got)
	}
	if got := (ObjectRef{Kind: "ConfigMap", Name: "c"}).String(); got != "ConfigMap/c" {
		t.Errorf("got %q", got)
	}
	a := ObjectRef{Group: "apps", Version: "v1", Kind: "Deployment", Name: "x"}
	b := a
	b.Version = "v1beta1"
	if !a.Equal(b) {
		t.Error("Equal must ignore version")
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []Severity{Info, Warning, Error} {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("round trip %v: got %v, %v", s, back, err)
		}
	}
	if _, err := Severity(0).MarshalText(); err == nil {
		t.Error("zero severity must not marshal")
	}
	if !(Info < Warning && Warning < Error) {
		t.Error("severity order")
	}
}

func TestFingerprintIgnoresLines(t *testing.T) {
	a := Finding{Check: "c", Location: Location{File: "f", Line: 1}, Message: "m"}
	b := a
	b.Location.Line = 40
	if a.Fingerprint() != b.Fingerprint() {
		t.Error("fingerprint must not depend on the line")
	}
	if a.Key() == b.Key() {
		t.Error("key must depend on the line")
	}
}

func TestSortAndDedupe(t *testing.T) {
	fs := []Finding{
		{Check: "b", Location: Location{File: "x", Line: 2}},
		{Check: "a", Location: Location{File: "x", Line: 2}},
		{Check: "a", Location: Location{File: "a", Line: 9}},
		{Check: "a", Location: Location{File: "x", Line: 2}},
	}
	got := SortAndDedupe(fs)
	if len(got) != 3 || got[0].Location.File != "a" || got[1].Check != "a" || got[2].Check != "b" {
		t.Errorf("got %+v", got)
	}
}
