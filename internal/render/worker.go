package render

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/manifest"
	"github.com/syncdoctor/syncdoctor/internal/target"
)

// DefaultMemoryLimit bounds one isolated render: the worker's Go heap
// goal and, on Linux, the address space it may add to what it had at
// start. Real charts render in tens of MB; 2 GiB leaves room for huge
// ones while keeping a hostile chart from taking the machine.
const DefaultMemoryLimit = 2 << 30

// workerRequest is what the parent sends the worker on stdin: the
// Options that affect a render and the Target fields rendering reads.
// The Application goes whole (ArgoCD's type is JSON-serialisable) so
// error positions (appField) come out as in-process.
type workerRequest struct {
	Root           string   `json:"root"`
	KubeVersion    string   `json:"kubeVersion"`
	APIVersions    []string `json:"apiVersions,omitempty"`
	MaxOutputBytes int      `json:"maxOutputBytes"`
	Offline        bool     `json:"offline"`
	CacheDir       string   `json:"cacheDir,omitempty"`
	MemoryLimit    int64    `json:"memoryLimit"`

	Target workerTarget `json:"target"`
}

type workerTarget struct {
	Kind        target.SourceKind           `json:"kind"`
	Dir         string                      `json:"dir"`
	ValueFiles  []string                    `json:"valueFiles,omitempty"`
	ReleaseName string                      `json:"releaseName"`
	Namespace   string                      `json:"namespace"`
	KubeVersion string                      `json:"kubeVersion,omitempty"`
	APIVersions []string                    `json:"apiVersions,omitempty"`
	Env         string                      `json:"env,omitempty"`
	SourceIndex int                         `json:"sourceIndex"`
	Source      v1alpha1.ApplicationSource  `json:"source"`
	App         *v1alpha1.Application       `json:"app,omitempty"`
	Declared    finding.Location            `json:"declared"`
	Fields      map[string]finding.Location `json:"fields,omitempty"`
	Origin      target.Origin               `json:"origin,omitempty"`
}

// workerResponse is what the worker writes on stdout: objects and values,
// or the render error.
type workerResponse struct {
	Objects []workerObject `json:"objects,omitempty"`
	Values  *tree          `json:"values,omitempty"`
	Error   *workerError   `json:"error,omitempty"`
}

type workerObject struct {
	Content *tree             `json:"content"`
	Ref     finding.ObjectRef `json:"ref"`
	Source  string            `json:"source,omitempty"`
	File    string            `json:"file,omitempty"`
	Line    int               `json:"line,omitempty"`
	Doc     int               `json:"doc,omitempty"`
}

// workerError is an *Error across the boundary; Kind keeps the sentinel
// the pipeline tests with errors.Is.
type workerError struct {
	Loc     finding.Location `json:"loc"`
	Message string           `json:"message"`
	Kind    string           `json:"kind"` // offline, jsonnet, unsupported or other
}

// errKinds are the sentinels a workerError can carry.
var errKinds = map[string]error{"offline": ErrOffline, "jsonnet": ErrJsonnet, "unsupported": ErrUnsupported}

// workerFailure is a render error decoded from the worker: its message is
// the worker's, and errors.Is still finds the sentinel it wrapped.
type workerFailure struct {
	msg  string
	kind error
}

func (e *workerFailure) Error() string        { return e.msg }
func (e *workerFailure) Is(target error) bool { return e.kind != nil && target == e.kind }

// WorkerMain is the body of `syncdoctor __render-worker`: it reads one
// request from in, limits this process's memory, renders and writes the
// response to out. It is meant to own its process (the limits are
// process-wide); a panic is left to crash the process, which the parent
// reports as a render error. Only a broken request or output is an error.
func WorkerMain(ctx context.Context, in io.Reader, out io.Writer) error {
	var req workerRequest
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		return fmt.Errorf("render worker: reading request: %w", err)
	}
	limit := req.MemoryLimit
	if limit <= 0 {
		limit = DefaultMemoryLimit
	}
	// The soft limit makes the GC work hard before the hard limit
	// (setAddressSpaceLimit) turns the next allocation into a crash.
	debug.SetMemoryLimit(limit)
	if err := setAddressSpaceLimit(limit); err != nil {
		return fmt.Errorf("render worker: %w", err)
	}
	r := New(Options{
		Root: req.Root, KubeVersion: req.KubeVersion, APIVersions: req.APIVersions,
		MaxOutputBytes: req.MaxOutputBytes, Offline: req.Offline, CacheDir: req.CacheDir,
	})
	wt := req.Target
	t := &target.Target{
		Kind: wt.Kind, Dir: wt.Dir, ValueFiles: wt.ValueFiles, ReleaseName: wt.ReleaseName,
		Namespace: wt.Namespace, KubeVersion: wt.KubeVersion, APIVersions: wt.APIVersions,
		Env: wt.Env, SourceIndex: wt.SourceIndex, Source: wt.Source,
	}
	if wt.App != nil {
		t.App = &target.Application{App: wt.App, Declared: wt.Declared, Fields: wt.Fields, Origin: wt.Origin}
	}
	// No timeout here: the parent kills this process when its own expires.
	res, err := r.render(ctx, t)
	resp, err := encodeResponse(res, err)
	if err != nil {
		return fmt.Errorf("render worker: %w", err)
	}
	return json.NewEncoder(out).Encode(resp)
}

func encodeResponse(res *Result, rerr error) (*workerResponse, error) {
	if rerr != nil {
		we := &workerError{Message: rerr.Error(), Kind: "other"}
		var re *Error
		if errors.As(rerr, &re) {
			we.Loc, we.Message = re.Loc, re.Err.Error()
		}
		for k, sentinel := range errKinds {
			if errors.Is(rerr, sentinel) {
				we.Kind = k
			}
		}
		return &workerResponse{Error: we}, nil
	}
	resp := &workerResponse{Objects: make([]workerObject, len(res.Objects))}
	for i, o := range res.Objects {
		c, err := toTree(o.Content)
		if err != nil {
			return nil, fmt.Errorf("object %s: %w", o.Ref.Name, err)
		}
		resp.Objects[i] = workerObject{Content: c, Ref: o.Ref, Source: o.Source, File: o.File, Line: o.Line, Doc: o.Doc}
	}
	if res.Values != nil {
		v, err := toTree(res.Values)
		if err != nil {
			return nil, fmt.Errorf("values: %w", err)
		}
		resp.Values = v
	}
	return resp, nil
}

// decode turns a response into what Render returns in-process.
func (resp *workerResponse) decode() (*Result, error) {
	if we := resp.Error; we != nil {
		return nil, &Error{Loc: we.Loc, Err: &workerFailure{msg: we.Message, kind: errKinds[we.Kind]}}
	}
	res := &Result{Objects: make([]*manifest.Object, len(resp.Objects))}
	for i, o := range resp.Objects {
		c, _ := fromTree(o.Content).(map[string]any)
		res.Objects[i] = &manifest.Object{Content: c, Ref: o.Ref, Source: o.Source, File: o.File, Line: o.Line, Doc: o.Doc}
	}
	if resp.Values != nil {
		res.Values, _ = fromTree(resp.Values).(map[string]any)
	}
	return res, nil
}
