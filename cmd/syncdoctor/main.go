// Command syncdoctor finds the ways an ArgoCD + Helm GitOps deployment goes
// wrong quietly. See internal/cli for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/syncdoctor/syncdoctor/internal/cli"
	_ "github.com/syncdoctor/syncdoctor/internal/kubei18n" // before kubectl's package inits
)

func main() {
	// The render worker (--isolate) is this binary; an unknown path only
	// disables it.
	exe, _ := os.Executable()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.Streams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutIsTTY:   term.IsTerminal(int(os.Stdout.Fd())),
		ErrIsTTY:   term.IsTerminal(int(os.Stderr.Fd())),
		Getenv:     os.Getenv,
		Executable: exe,
	})
	stop()
	os.Exit(code)
}
