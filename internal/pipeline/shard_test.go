package pipeline

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syncdoctor/syncdoctor/internal/finding"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in      string
		want    Shard
		wantErr bool
	}{
		{in: "0/1", want: Shard{Index: 0, Count: 1}},
		{in: "2/4", want: Shard{Index: 2, Count: 4}},
		{in: "4/4", wantErr: true},
		{in: "-1/4", wantErr: true},
		{in: "1/0", wantErr: true},
		{in: "1", wantErr: true},
		{in: "a/b", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseShard(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestShardsUnionIsWholeRun: the shards of a run together report exactly
// the whole run's Targets and findings, each once.
func TestShardsUnionIsWholeRun(t *testing.T) {
	for _, repo := range []string{"../../examples/gitops-demo", "../../testdata/repos/platform"} {
		whole, err := Offline(context.Background(), Options{Root: repo, Offline: true})
		if err != nil {
			t.Fatal(err)
		}
		const n = 3
		var findings []finding.Finding
		targets := 0
		for i := 0; i < n; i++ {
			run, err := Offline(context.Background(), Options{Root: repo, Offline: true, Shard: Shard{Index: i, Count: n}})
			if err != nil {
				t.Fatal(err)
			}
			findings = append(findings, run.Result.Findings...)
			targets += len(run.Result.Targets)
		}
		if targets != len(whole.Result.Targets) {
			t.Errorf("%s: shards hold %d targets, the whole run %d", repo, targets, len(whole.Result.Targets))
		}
		if len(findings) != len(finding.SortAndDedupe(append([]finding.Finding(nil), findings...))) {
			t.Errorf("%s: a finding is reported by more than one shard", repo)
		}
		if diff := cmp.Diff(whole.Result.Findings, finding.SortAndDedupe(findings)); diff != "" {
			t.Errorf("%s: shards differ from the whole run (-whole +shards):\n%s", repo, diff)
		}
	}
}
