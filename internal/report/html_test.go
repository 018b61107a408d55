package report

import "testing"

func TestFmtSeconds(t *testing.T) {
	cases := []struct {
		sec  float64
		want string
	}{
		{sec: 0, want: "0s"}, {sec: 45, want: "45s"}, {sec: 285, want: "4m45s"}, {sec: 900, want: "15m"},
		{sec: 5400, want: "1h30m"}, {sec: 7200, want: "2h"}, {sec: 9450, want: "2h37m30s"},
	}
	for _, c := range cases {
		if got := fmtSeconds(c.sec); got != c.want {
			t.Errorf("fmtSeconds(%v) = %q, want %q", c.sec, got, c.want)
		}
	}
}

func TestBaseApp(t *testing.T) {
	cases := []struct{ app, env, want string }{
		{app: "web-prod", env: "prod", want: "web"},
		{app: "prod-web", env: "prod", want: "web"},
		{app: "web-prod-eu", env: "prod", want: "web-eu"},
		{app: "web", env: "prod", want: "web"},
		{app: "prod", env: "prod", want: "prod"},
		{app: "web", env: "", want: "web"},
	}
	for _, c := range cases {
		if got := baseApp(c.app, c.env); got != c.want {
			t.Errorf("baseApp(%q, %q) = %q, want %q", c.app, c.env, got, c.want)
		}
	}
}
