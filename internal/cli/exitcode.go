package cli

import "fmt"

// Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
// 2 a usage or input error stopped the run.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
)

// ExitError carries an exit code out of a command; main maps it.
type ExitError struct {
	Code int
	Err  error // printed when non-nil
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

func usageErrorf(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}
