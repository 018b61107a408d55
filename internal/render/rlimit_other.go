//go:build !linux

package render

// setAddressSpaceLimit does nothing off Linux: there only the soft Go
// memory limit applies, and the parent's timeout still kills the worker.
func setAddressSpaceLimit(int64) error { return nil }
