package cli

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
)

// gcPercent is the GOGC syncdoctor runs with unless GOGC is set. A check
// run allocates mostly short-lived trees (template output, decoded
// documents, perturbed values) while its live heap stays small (≈70 MB
// at 500 app × envs). At Go's default of 100 the collector took a sixth
// of the CPU time of a 500-target run; at 400 that run needs a quarter
// less CPU than at 200 (medians of 5: 2.0 s against 2.6 s) for 390 MB
// of peak RSS instead of 310 MB. Huge repositories are held back by the
// memory limit below instead.
const gcPercent = 400

// memoryLimit is the soft limit (GOMEMLIMIT) set unless GOMEMLIMIT is:
// near it the collector runs more often again, which keeps the raised
// GOGC from growing the heap of a huge repository past about 1 GiB
// (2,000 app × envs peaked at 870 MB without it).
const memoryLimit = 900 << 20

// tuneRuntime applies the GC settings above, starts a CPU profile when
// SYNCDOCTOR_CPUPROFILE names a file, an execution trace (`go tool
// trace`: what each core ran when) when SYNCDOCTOR_TRACE does, and
// arranges an allocation profile when SYNCDOCTOR_MEMPROFILE does (all for
// performance reports); the returned function stops the CPU profile and
// the trace and writes the allocation profile.
func tuneRuntime(s Streams) func() {
	if s.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if s.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	stopCPU := startCPUProfile(s, s.Getenv("SYNCDOCTOR_CPUPROFILE"))
	stopTrace := startTrace(s, s.Getenv("SYNCDOCTOR_TRACE"))
	memPath := s.Getenv("SYNCDOCTOR_MEMPROFILE")
	return func() {
		stopCPU()
		stopTrace()
		if memPath != "" {
			writeAllocProfile(s, memPath)
		}
	}
}

func startCPUProfile(s Streams, path string) func() {
	return startRecording(s, path, "cpu profile", pprof.StartCPUProfile, pprof.StopCPUProfile)
}

func startTrace(s Streams, path string) func() {
	return startRecording(s, path, "trace", trace.Start, trace.Stop)
}

// startRecording creates path and starts a recording into it; the
// returned function stops it and closes the file. An empty path records
// nothing; a failure is said on stderr and the run goes on.
func startRecording(s Streams, path, what string, start func(io.Writer) error, stop func()) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(s.Err, "syncdoctor: %s: %v\n", what, err)
		return func() {}
	}
	if err := start(f); err != nil {
		fmt.Fprintf(s.Err, "syncdoctor: %s: %v\n", what, err)
		_ = f.Close()
		return func() {}
	}
	return func() {
		stop()
		_ = f.Close()
	}
}

// writeAllocProfile writes the "allocs" profile (every allocation since
// start, sampled), which `go tool pprof -sample_index=alloc_space` reads.
func writeAllocProfile(s Streams, path string) {
	// The profile holds what the last completed collection saw; with the
	// raised GOGC that can be long before exit.
	runtime.GC()
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(s.Err, "syncdoctor: allocation profile: %v\n", err)
	}
}
