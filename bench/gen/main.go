// Command gen writes a synthetic GitOps monorepo for benchmarks: a library
// chart, N service charts of about fifteen templates each, M environments
// with layered value files, and an app-of-apps per environment.
//
//	go run ./bench/gen -services 170 -envs dev,staging,prod /tmp/repo
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/syncdoctor/syncdoctor/internal/benchgen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	services := fs.Int("services", 50, "number of service charts (apps)")
	envs := fs.String("envs", "dev,staging,prod", "comma-separated environment names")
	distinct := fs.Bool("distinct", false, "give every service's templates a text of their own (no template text shared between charts)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: gen [-services N] [-envs a,b,c] DIR")
	}
	dir := fs.Arg(0)
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	n, err := benchgen.Generate(dir, benchgen.Options{Services: *services, Envs: strings.Split(*envs, ","), Distinct: *distinct})
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d services × %d envs: %d targets (with one app-of-apps root per env)\n", dir, *services, len(strings.Split(*envs, ",")), n)
	return nil
}
