package render

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// Isolation. Helm's template engine cannot be interrupted, so an
// in-process render that times out leaves its goroutine running, and
// nothing bounds its memory. A worker process (WorkerMain) can be killed
// and given a memory limit: Render uses one for every Target when
// Options.Isolate is set, and for every later Target of a chart whose
// in-process render once timed out, so a hostile chart cannot pile up
// abandoned goroutines.
//
// Only Render is isolated. RenderValues, RenderWithTemplates and
// RenderTemplateOutput stay in-process: checks call them to perturb
// charts that already rendered once within the bounds, thousands of times
// per run, where a process each would cost more than the render. They do
// refuse a chart marked hostile (bounded → refuseHostile).

// isolated reports whether t renders in a worker.
func (r *Renderer) isolated(t *target.Target) bool {
	if len(r.opts.WorkerCommand) == 0 {
		return false
	}
	return r.opts.Isolate || r.isHostile(t)
}

func (r *Renderer) isHostile(t *target.Target) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hostile[chartKey(t)]
}

func (r *Renderer) markHostile(t *target.Target) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.hostile[chartKey(t)] {
		r.log.Warn("render timed out in-process; later renders of this chart go through a worker", "target", describe(t))
	}
	r.hostile[chartKey(t)] = true
}

// refuseHostile keeps in-process renders off a chart that already
// timed out: each would leave one more goroutine running.
func (r *Renderer) refuseHostile(t *target.Target) error {
	if !r.isHostile(t) {
		return nil
	}
	return &Error{Loc: finding.Location{File: t.Dir}, Err: fmt.Errorf("not rendering %s in-process: an earlier render of it exceeded the time limit of %s", describe(t), r.opts.Timeout)}
}

// maxWorkerStderr bounds what is kept of a worker's stderr: only its
// first line (the panic or "fatal error: out of memory") is reported.
const maxWorkerStderr = 4 << 10

// renderIsolated renders t in a worker killed at the timeout. For a Helm
// Target the chart is then loaded here too, without rendering, so
// Result.Chart serves template analysis as in-process.
func (r *Renderer) renderIsolated(ctx context.Context, t *target.Target) (*Result, error) {
	req, err := r.workerRequest(t)
	if err != nil {
		return nil, &Error{Loc: finding.Location{File: t.Dir}, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.opts.WorkerCommand[0], r.opts.WorkerCommand[1:]...)
	cmd.Stdin = bytes.NewReader(req)
	var stdout bytes.Buffer
	stderr := &capped{max: maxWorkerStderr}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	// A grandchild holding the pipes open must not keep Wait from
	// returning once the worker is killed.
	cmd.WaitDelay = time.Second
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, &Error{Loc: finding.Location{File: t.Dir}, Err: fmt.Errorf("rendering %s: %w (limit %s; worker killed)", describe(t), ctx.Err(), r.opts.Timeout)}
	}
	if runErr != nil {
		msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		return nil, &Error{Loc: finding.Location{File: t.Dir}, Err: fmt.Errorf("rendering %s in a worker (memory limit %d MiB): %w: %s", describe(t), r.opts.MemoryLimit>>20, runErr, msg)}
	}
	var resp workerResponse
	if err := json.Unmarshal(stdout.Bytes(), &resp); err != nil {
		return nil, &Error{Loc: finding.Location{File: t.Dir}, Err: fmt.Errorf("rendering %s: reading the worker's answer: %w", describe(t), err)}
	}
	res, err := resp.decode()
	if err != nil {
		return nil, err
	}
	if t.Kind == target.SourceHelm || t.Kind == target.SourceRemoteHelm {
		ce, err := r.chartFor(ctx, t)
		if err != nil {
			return nil, err
		}
		res.Chart = ce.chart
	}
	return res, nil
}

// workerRequest encodes what the worker needs to render t as r would.
func (r *Renderer) workerRequest(t *target.Target) ([]byte, error) {
	req := workerRequest{
		Root: r.opts.Root, KubeVersion: r.opts.KubeVersion, APIVersions: r.opts.APIVersions,
		MaxOutputBytes: r.opts.MaxOutputBytes, Offline: r.opts.Offline, CacheDir: r.opts.CacheDir,
		MemoryLimit: r.opts.MemoryLimit,
		Target: workerTarget{
			Kind: t.Kind, Dir: t.Dir, ValueFiles: t.ValueFiles, ReleaseName: t.ReleaseName,
			Namespace: t.Namespace, KubeVersion: t.KubeVersion, APIVersions: t.APIVersions,
			Env: t.Env, SourceIndex: t.SourceIndex, Source: t.Source,
		},
	}
	if a := t.App; a != nil {
		req.Target.App, req.Target.Declared, req.Target.Fields, req.Target.Origin = a.App, a.Declared, a.Fields, a.Origin
	}
	data, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encoding the worker request: %w", err)
	}
	return data, nil
}

// capped keeps the first max bytes written to it.
type capped struct {
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (c *capped) String() string { return c.buf.String() }
