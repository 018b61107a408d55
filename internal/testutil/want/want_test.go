package want

import (
	"testing"
)

func TestParseFile(t *testing.T) {
	src := "a: 1\n" +
		"  hostKey: DB_HOST   # want: env-missing-resource\n" +
		"{{- if .Values.database.host }}   {{/* want[prod,staging]: resource-not-rendered \"Job/db-migrate\" */}}\n" +
		"# want+1: crd-default-drift, values-unused `auth-service\\.autoscaling`\n" +
		"x: y\n" +
		"# I want: nothing here\n"
	ws, err := ParseFile("f.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 4 {
		t.Fatalf("got %d wants: %+v", len(ws), ws)
	}
	if ws[0].Line != 2 || ws[0].Check != "env-missing-resource" {
		t.Errorf("want 0: %+v", ws[0])
	}
	if ws[1].Line != 3 || len(ws[1].Envs) != 2 || ws[1].Envs[1] != "staging" || !ws[1].Message.MatchString("Job/db-migrate") {
		t.Errorf("want 1: %+v", ws[1])
	}
	if ws[2].Line != 5 || ws[2].Check != "crd-default-drift" || ws[3].Line != 5 || !ws[3].Message.MatchString("auth-service.autoscaling") {
		t.Errorf("wants 2,3: %+v %+v", ws[2], ws[3])
	}
}

func TestParseFileErrors(t *testing.T) {
	for _, src := range []string{
		"# want: \n",
		"# want: a \"unterminated\n",
		"# want: a \"(\"\n",
		"# want: a b\n",
	} {
		if _, err := ParseFile("f", []byte(src)); err == nil {
			t.Errorf("%q: expected an error", src)
		}
	}
}

func TestParseSidecar(t *testing.T) {
	ws, err := ParseSidecar("want.txt", []byte("# live\nobject apps/Deployment/prod/web [prod] stale-pod-config \"web\"\nobject ConfigMap/x/y hook-not-run\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].Object != "apps/Deployment/prod/web" || ws[0].Envs[0] != "prod" || ws[0].Check != "stale-pod-config" || ws[1].Check != "hook-not-run" {
		t.Errorf("got %+v", ws)
	}
}

func FuzzParseFile(f *testing.F) {
	f.Add([]byte("# want: a\n"))
	f.Add([]byte("{{/* want+2[prod]: a \"x\", b `y` */}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseFile("f", data)
		_, _ = ParseSidecar("f", data)
	})
}
