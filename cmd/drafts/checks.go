package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// tipsTimeout bounds the mail-tips request of 'drafts send': the warnings
// are worth a short wait, never a long one.
const tipsTimeout = 10 * time.Second

// printChecks writes the pre-send warnings of d to out: its own (no
// subject, an empty body, an attachment the text promises) and the mail
// tips of its recipients. They warn and never stop the send; when the mail
// tips cannot be had, one line says so.
func printChecks(ctx context.Context, c *graph.Client, out io.Writer, d graph.Message) {
	printChecksUnder(ctx, c, out, d, "")
}

// printChecksUnder is printChecks with a heading line before the warnings, when there are any.
func printChecksUnder(ctx context.Context, c *graph.Client, out io.Writer, d graph.Message, heading string) {
	tctx, cancel := context.WithTimeout(ctx, tipsTimeout)
	tips, err := c.TipWarnings(tctx, d)
	cancel()
	var lines []string
	for _, ch := range append(graph.Warnings(d), tips...) {
		lines = append(lines, "warning: "+ch.Text)
	}
	if err != nil && ctx.Err() == nil {
		lines = append(lines, "(mail tips unavailable: recipients not checked)")
	}
	if len(lines) > 0 && heading != "" {
		fmt.Fprintln(out, heading)
	}
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
}
