// Command drafts lists, shows and sends the mail drafts of a Microsoft 365 /
// Outlook mailbox through Microsoft Graph, and confirms each send by
// watching the copy arrive in Sent Items.
//
// This package is wiring only: flags and subcommands that call into graph,
// config and ui.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first Ctrl-C asks the command to stop; a second one ends the
	// process at once, whatever it is waiting for.
	context.AfterFunc(ctx, stop)
	s := stdio{
		in: os.Stdin, out: os.Stdout, err: os.Stderr,
		inTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		outTTY: term.IsTerminal(int(os.Stdout.Fd())),
	}
	code := run(ctx, os.Args[1:], s, os.Getenv)
	stop()
	os.Exit(code)
}
