package render

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// setAddressSpaceLimit caps the worker's address space at what it maps
// now plus limit. The Go runtime and Helm's code already map a few hundred
// MB before any render, so a bare limit would count them against the
// chart; with the cap, an allocation past it fails and the runtime dies
// with "out of memory" instead of the machine swapping.
func setAddressSpaceLimit(limit int64) error {
	cur, err := vmSize()
	if err != nil {
		return err
	}
	lim := uint64(cur + limit)
	return syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: lim, Max: lim})
}

// vmSize reads the process's current virtual size from /proc.
func vmSize() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("reading address space size: %w", err)
	}
	for _, ln := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(ln, "VmSize:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parsing VmSize %q: %w", rest, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmSize in /proc/self/status")
}
