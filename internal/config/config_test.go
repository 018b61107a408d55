package config

import (
	"strings"
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

func TestParse(t *testing.T) {
	src := `repos:
  - url: https://github.com/acme/platform.git
    dir: .
environments:
  - name: prod
    match: ["apps/prod/**"]
checks:
  hpa-scale-down:
    severity: error
    options: {scaleDownBudget: 10m}
argocdCM: argocd/argocd-cm.yaml
`
	c, err := Parse(".syncdoctor.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.Repos[0].Dir != "." || c.Environments[0].Name != "prod" || c.ArgoCDCM != "argocd/argocd-cm.yaml" {
		t.Errorf("decoded %+v", c)
	}
	cc := c.Check("hpa-scale-down")
	if cc.Severity == nil || *cc.Severity != finding.Error || cc.Options["scaleDownBudget"] != "10m" {
		t.Errorf("check config %+v", cc)
	}
	if c.Lines["checks.hpa-scale-down"] != 8 {
		t.Errorf("line of check = %d", c.Lines["checks.hpa-scale-down"])
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{name: "unknown key", src: "repos: []\nenvironmnets: []\n", want: ".syncdoctor.yaml:2"},
		{name: "syntax", src: "repos:\n  - url: [\n", want: ".syncdoctor.yaml:"},
		{name: "bad severity", src: "checks:\n  x:\n    severity: loud\n", want: "unknown severity"},
		{name: "missing url", src: "repos:\n  - dir: .\n", want: "url is required"},
	}
	for _, c := range cases {
		_, err := Parse(".syncdoctor.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}
