package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/report"
)

// outputSink is one -o FORMAT[=PATH]; an empty path is stdout.
type outputSink struct {
	format string
	path   string
}

func parseOutputs(specs []string) ([]outputSink, error) {
	if len(specs) == 0 {
		return []outputSink{{format: "text"}}, nil
	}
	var sinks []outputSink
	stdout := 0
	for _, spec := range specs {
		format, path, _ := strings.Cut(spec, "=")
		if !slices.Contains(report.Names(), format) {
			return nil, usageErrorf("-o %s: unknown format %q (known: %s)", spec, format, strings.Join(report.Names(), ", "))
		}
		if path == "" {
			stdout++
		}
		sinks = append(sinks, outputSink{format: format, path: path})
	}
	if stdout > 1 {
		return nil, usageErrorf("-o: at most one format may write to stdout; give the others a path (-o sarif=results.sarif)")
	}
	return sinks, nil
}

func writeOutputs(sinks []outputSink, s Streams, opts report.Options, res *report.Result) error {
	for _, sink := range sinks {
		o := opts
		if sink.path != "" {
			o.Color = false
		}
		rep, err := report.New(sink.format, o)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := rep.Report(&buf, res); err != nil {
			return fmt.Errorf("write %s report: %w", sink.format, err)
		}
		if sink.path == "" {
			if _, err := io.Copy(s.Out, &buf); err != nil {
				return err
			}
			continue
		}
		if err := writeFileAtomic(sink.path, buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// writeFileAtomic writes through a temporary file in the same directory
// and renames it into place, so a reader never sees a partial report.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
