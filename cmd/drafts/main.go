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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}
