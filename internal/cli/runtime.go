package cli

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"
)

// gcPercent is the GOGC syncdoctor runs with unless GOGC is set. A check
// run allocates mostly short-lived trees (template output, decoded
// documents, perturbed values) while its live heap stays small; at Go's
// default of 100 the collector took a sixth of the CPU time of a
// 500-target run, at 200 about half as much, for 25 % more peak memory.
const gcPercent = 200

// memoryLimit is the soft limit (GOMEMLIMIT) set unless GOMEMLIMIT is:
// near it the collector runs more often again, which keeps the raised
// GOGC from growing the heap of a huge repository past about 1 GiB
// (2,000 app × envs peaked at 870 MB without it).
const memoryLimit = 900 << 20

// tuneRuntime applies the GC settings above and starts a CPU profile
// when SYNCDOCTOR_CPUPROFILE names a file (for performance reports); the
// returned function stops the profile.
func tuneRuntime(s Streams) func() {
	if s.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if s.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	path := s.Getenv("SYNCDOCTOR_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(s.Err, "syncdoctor: cpu profile: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(s.Err, "syncdoctor: cpu profile: %v\n", err)
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
