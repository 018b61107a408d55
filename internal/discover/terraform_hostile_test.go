package discover

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tfHostileApp is an Application whose name is local.<%s>: the hostile
// value must end as a not-analyzed problem at its reference, line 1 of
// app.tf.
const tfHostileApp = "resource \"kubernetes_manifest\" \"a\" { manifest = { apiVersion = \"argoproj.io/v1alpha1\", kind = \"Application\", metadata = { name = local.%s } } }\n"

// tfNeighbour is an innocent Application in the same module: it must
// still be read whatever the hostile file does.
const tfNeighbour = "resource \"kubernetes_manifest\" \"ok\" {\n  manifest = { apiVersion = \"argoproj.io/v1alpha1\", kind = \"Application\", metadata = { name = \"ok\" } }\n}\n"

// tfDoubling is a local doubling the one before, 40 times: 2^41 bytes.
func tfDoubling() string {
	var b strings.Builder
	b.WriteString("locals {\n  l0 = \"xx\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
	}
	return b.String() + "}\n"
}

// tfForTower nests for expressions 12 deep over ten elements: 10^12
// iterations.
func tfForTower() string {
	var b strings.Builder
	b.WriteString("locals {\n  t0 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "  t%d = [for a in local.t%d : [for b in local.t0 : a]]\n", i, i-1)
	}
	return b.String() + "}\n"
}

// TestTerraformHostile: inputs that used to hang discovery (exponential
// values, huge padding) or crash it (nesting that overflows the parser's
// stack) end as a problem at file:line while the rest is still read.
func TestTerraformHostile(t *testing.T) {
	cases := []struct {
		name     string
		main     string
		problems []string
	}{
		{
			name:     "local doubling local",
			main:     tfDoubling() + fmt.Sprintf(tfHostileApp, "l40"),
			problems: []string{"not-analyzed@tf/main.tf:44"},
		},
		{
			name:     "for expressions nested through locals",
			main:     tfForTower() + fmt.Sprintf(tfHostileApp, "t12"),
			problems: []string{"not-analyzed@tf/main.tf:16"},
		},
		{
			name:     "huge indent",
			main:     "locals {\n  x = indent(999999999, \"a\\nb\")\n}\n" + fmt.Sprintf(tfHostileApp, "x"),
			problems: []string{"not-analyzed@tf/main.tf:4"},
		},
		{
			name:     "huge format width",
			main:     "locals {\n  x = format(\"%999999999d\", 1)\n}\n" + fmt.Sprintf(tfHostileApp, "x"),
			problems: []string{"not-analyzed@tf/main.tf:4"},
		},
		{
			name:     "brackets nested 100000 deep",
			main:     fmt.Sprintf(tfHostileApp, "x") + "locals {\n  x = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n}\n",
			problems: []string{"discovery-error@tf/main.tf:3"},
		},
		{
			name:     "unary operators chained 1000000 times",
			main:     fmt.Sprintf(tfHostileApp, "x") + "locals {\n  x = " + strings.Repeat("!", 1000000) + "true\n}\n",
			problems: []string{"discovery-error@tf/main.tf:3"},
		},
		{
			name:     "conditionals chained 200000 times inside parentheses",
			main:     fmt.Sprintf(tfHostileApp, "x") + "locals {\n  x = (" + strings.Repeat("true ? 1 :\n", 200000) + "1)\n}\n",
			problems: []string{"discovery-error@tf/main.tf:10003"},
		},
		{
			name:     "a heredoc's quote does not hide the nesting after it",
			main:     fmt.Sprintf(tfHostileApp, "x") + "locals {\n  y = <<EOT\n\"\nEOT\n  x = " + strings.Repeat("-", 1000000) + "1\n}\n",
			problems: []string{"discovery-error@tf/main.tf:6"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := run(t, map[string]string{"tf/main.tf": c.main, "tf/ok.tf": tfNeighbour}, Options{})
			var apps []string
			for _, a := range res.Apps {
				apps = append(apps, a.Name())
			}
			if !strings.Contains(strings.Join(apps, ","), "ok") {
				t.Errorf("the neighbour Application was not read: %v", apps)
			}
			if diff := cmp.Diff(c.problems, problemSummary(res)); diff != "" {
				t.Errorf("problems (-want +got):\n%s\n%+v", diff, res.Problems)
			}
		})
	}
}

// TestTerraformLongLocalChain: locals referring to each other in a chain
// 20000 long are resolved in linear time, and the reason an unknown one
// gives stays short.
func TestTerraformLongLocalChain(t *testing.T) {
	var b strings.Builder
	b.WriteString("locals {\n")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, "  a%05d = local.a%05d\n", i, i+1)
	}
	b.WriteString("  a20000 = var.unset\n}\n")
	res := run(t, map[string]string{"tf/main.tf": b.String() + fmt.Sprintf(tfHostileApp, "a00000")}, Options{})
	if diff := cmp.Diff([]string{"not-analyzed@tf/main.tf:20004"}, problemSummary(res)); diff != "" {
		t.Fatalf("problems (-want +got):\n%s\n%+v", diff, res.Problems)
	}
	if msg := res.Problems[0].Message; len(msg) > 600 || !strings.Contains(msg, "var.unset") {
		t.Errorf("message %d bytes, want a short one naming var.unset: %s", len(msg), msg)
	}
}
