package check_test

import (
	"testing"

	"github.com/syncdoctor/syncdoctor/internal/check"
	"github.com/syncdoctor/syncdoctor/internal/testutil/golden"
)

// TestDocs keeps docs/checks.md in step with the registry; regenerate it
// with `go test ./internal/check -run TestDocs -update`.
func TestDocs(t *testing.T) {
	golden.Assert(t, "../../docs/checks.md", []byte(check.Markdown()))
}
