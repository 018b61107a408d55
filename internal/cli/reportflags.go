package cli

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/syncdoctor/syncdoctor/internal/finding"
	"github.com/syncdoctor/syncdoctor/internal/report"
)

// reportFlags are the flags of every command that prints findings
// (check, live, merge): where the reports go and which severity fails the
// run. One type so the three commands behave the same.
type reportFlags struct {
	outputs []string
	failOn  string

	sinks   []outputSink
	failSev finding.Severity // 0 = never fail
}

func (r *reportFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringArrayVarP(&r.outputs, "output", "o", nil,
		"output format FORMAT or FORMAT=PATH, repeatable ("+strings.Join(report.Names(), ", ")+"); default text on stdout")
	fs.StringVar(&r.failOn, "fail-on", "warning", "exit 1 when a finding is at or above this severity: info, warning, error or none")
}

// complete validates --fail-on and -o.
func (r *reportFlags) complete() error {
	if r.failOn != "none" {
		sev, err := finding.ParseSeverity(r.failOn)
		if err != nil {
			return usageErrorf("--fail-on: %v (or none)", err)
		}
		r.failSev = sev
	}
	sinks, err := parseOutputs(r.outputs)
	if err != nil {
		return err
	}
	r.sinks = sinks
	return nil
}

// emit writes every requested report and returns the ExitError the
// findings call for (nil when none is at or above --fail-on).
func (r *reportFlags) emit(s Streams, color bool, res *report.Result) error {
	if err := writeOutputs(r.sinks, s, report.Options{Color: color}, res); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if r.failSev == 0 {
		return nil
	}
	for _, f := range res.Findings {
		if f.Severity >= r.failSev {
			return &ExitError{Code: ExitFindings}
		}
	}
	return nil
}
