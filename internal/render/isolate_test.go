//go:build linux

package render

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/target"
)

// pidFileEnv names a file the test worker appends its pid to, so a test
// can check that a killed worker is gone.
const pidFileEnv = "SYNCDOCTOR_TEST_WORKER_PIDS"

// TestMain turns this test binary into the render worker when started as
// one (the os/exec tests' trick): no separate build of syncdoctor.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "__render-worker" {
		if f := os.Getenv(pidFileEnv); f != "" {
			if err := appendLine(f, strconv.Itoa(os.Getpid())); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		if err := WorkerMain(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func appendLine(file, line string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// workerPids returns the pids the test workers wrote, and sets the file
// up for this test.
func workerPids(t *testing.T) func() []int {
	file := filepath.Join(t.TempDir(), "pids")
	t.Setenv(pidFileEnv, file)
	return func() []int {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("no worker started: %v", err)
		}
		var pids []int
		for _, f := range strings.Fields(string(data)) {
			p, _ := strconv.Atoi(f)
			pids = append(pids, p)
		}
		return pids
	}
}

func isolatedOptions(root string) Options {
	return Options{Root: root, Offline: true, Isolate: true, WorkerCommand: []string{os.Args[0], "__render-worker"}}
}

func TestIsolatedRenderMatchesInProcess(t *testing.T) {
	pids := workerPids(t)
	// A parameter makes an int64 user value next to YAML's float64s.
	tg := helmTarget("charts/web", nil, &v1alpha1.ApplicationSourceHelm{
		Parameters: []v1alpha1.HelmParameter{{Name: "replicas", Value: "3"}},
	})
	want, err := New(Options{Root: testRoot(t), Offline: true}).Render(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := New(isolatedOptions(testRoot(t))).Render(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	if len(pids()) != 1 {
		t.Fatalf("workers started: %v, want 1", pids())
	}
	if !reflect.DeepEqual(got.Objects, want.Objects) {
		t.Errorf("objects differ:\n got %+v\nwant %+v", got.Objects, want.Objects)
	}
	if !reflect.DeepEqual(got.Values, want.Values) {
		t.Errorf("values = %#v, want %#v", got.Values, want.Values)
	}
	if got.Chart == nil || got.Chart.Name() != "web" {
		t.Errorf("Chart = %v, want the loaded web chart", got.Chart)
	}
}

func TestIsolatedRenderErrors(t *testing.T) {
	tg := &target.Target{Kind: target.SourceUnsupported, Dir: "plugin", Env: "test"}
	_, want := New(Options{Root: testRoot(t)}).Render(context.Background(), tg)
	_, got := New(isolatedOptions(testRoot(t))).Render(context.Background(), tg)
	var re *Error
	if !errors.As(got, &re) || !errors.Is(got, ErrUnsupported) || got.Error() != want.Error() {
		t.Errorf("error = %v, want %v (an *Error wrapping ErrUnsupported)", got, want)
	}
}

// writeChart writes a one-template chart into a fresh checkout.
func writeChart(t *testing.T, tmpl string) string {
	root := t.TempDir()
	dir := filepath.Join(root, "charts", "hostile")
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"Chart.yaml":        "apiVersion: v2\nname: hostile\nversion: 0.1.0\n",
		"templates/cm.yaml": tmpl,
		"templates/_n.tpl":  `{{ define "n" }}{{ mul 1000 1000 }}{{ end }}`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestIsolatedRenderKilledOnTimeout(t *testing.T) {
	pids := workerPids(t)
	// 10^12 empty iterations: the counts come from include, which the
	// pre-scan cannot evaluate, so only the timeout stops it.
	root := writeChart(t, `{{ range until (include "n" . | int) }}{{ range until (include "n" . | int) }}{{ end }}{{ end }}`)
	opts := isolatedOptions(root)
	opts.Timeout = time.Second
	_, err := New(opts).Render(context.Background(), helmTarget("charts/hostile", nil, nil))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want a timeout", err)
	}
	for _, pid := range pids() {
		// Render waits for the killed worker, so it is reaped: gone.
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("worker %d still exists after the timeout (kill 0: %v)", pid, err)
		}
	}
}

func TestIsolatedRenderMemoryLimit(t *testing.T) {
	// A 1 GB string from a computed count the pre-scan cannot see.
	root := writeChart(t, `{{ $n := include "n" . | int | mul 1000 | int }}{{ repeat $n "x" }}`)
	opts := isolatedOptions(root)
	opts.MemoryLimit = 256 << 20
	_, err := New(opts).Render(context.Background(), helmTarget("charts/hostile", nil, nil))
	var re *Error
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "out of memory") {
		t.Fatalf("error = %v, want the worker's out-of-memory death as an *Error", err)
	}
	t.Log(err)
}

// TestTimeoutIsolatesChart checks the automatic path: once an in-process
// render of a chart times out, Render sends that chart to a worker and
// the in-process entry points refuse it.
func TestTimeoutIsolatesChart(t *testing.T) {
	pids := workerPids(t)
	opts := isolatedOptions(testRoot(t))
	opts.Isolate = false
	opts.Timeout = time.Millisecond
	r := New(opts)
	tg := helmTarget("charts/web", nil, nil)
	release := make(chan struct{})
	defer close(release)
	err := r.bounded(context.Background(), tg, func(context.Context) error { <-release; return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("bounded = %v, want a timeout", err)
	}
	if _, err := r.RenderValues(context.Background(), tg, nil); err == nil || !strings.Contains(err.Error(), "exceeded the time limit") {
		t.Errorf("RenderValues after a timeout = %v, want a refusal", err)
	}
	r.opts.Timeout = DefaultTimeout
	if _, err := r.Render(context.Background(), tg); err != nil {
		t.Fatal(err)
	}
	if len(pids()) != 1 {
		t.Errorf("workers started: %v, want 1 (the chart goes through a worker)", pids())
	}
}

// BenchmarkRenderIsolated measures the cost of a worker per render
// against BenchmarkRenderInProcess on the same chart.
func BenchmarkRenderIsolated(b *testing.B) {
	root, _ := filepath.Abs("testdata/repo")
	r := New(isolatedOptions(root))
	for b.Loop() {
		if _, err := r.Render(context.Background(), helmTarget("charts/web", nil, nil)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderInProcess is the baseline of BenchmarkRenderIsolated.
func BenchmarkRenderInProcess(b *testing.B) {
	root, _ := filepath.Abs("testdata/repo")
	r := New(Options{Root: root, Offline: true})
	for b.Loop() {
		if _, err := r.Render(context.Background(), helmTarget("charts/web", nil, nil)); err != nil {
			b.Fatal(err)
		}
	}
}
