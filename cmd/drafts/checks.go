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
	var checks []graph.Check
	for _, ch := range graph.LocalChecks(d) {
		if ch.Kind != graph.CheckNoRecipients { // the To line says so
			checks = append(checks, ch)
		}
	}
	var addrs []string
	seen := map[string]bool{}
	for _, r := range d.Recipients() {
		if r.Address != "" && !seen[r.Address] {
			seen[r.Address] = true
			addrs = append(addrs, r.Address)
		}
	}
	tipsFailed := false
	if len(addrs) > 0 {
		tctx, cancel := context.WithTimeout(ctx, tipsTimeout)
		tips, err := c.MailTips(tctx, addrs)
		cancel()
		if err != nil {
			tipsFailed = true
		} else {
			checks = append(checks, graph.TipChecks(tips)...)
		}
	}
	for _, ch := range checks {
		fmt.Fprintln(out, "warning: "+ch.Text)
	}
	if tipsFailed && ctx.Err() == nil {
		fmt.Fprintln(out, "(mail tips unavailable: recipients not checked)")
	}
}

// undoWait gives a confirmed send a last chance to be taken back: it counts
// d down on out and reports whether it ended without ctx (Ctrl-C) ending
// first. Nothing is sent while it waits.
func undoWait(ctx context.Context, out io.Writer, d time.Duration) bool {
	fmt.Fprintf(out, "sending in %s; press Ctrl-C to cancel…\n", d)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// sendLater schedules the draft for at (graph.ScheduleSend) and prints the
// outcome. A send later is not kept in the journal: its confirmation is the
// draft leaving Drafts, which a later 'drafts list' shows.
func (a *app) sendLater(ctx context.Context, c *graph.Client, draft graph.Message, at time.Time, o graph.SendOptions, asJSON bool) error {
	if report := o.Progress; report != nil {
		o.Progress = func(p graph.Progress) {
			if p.Stage == graph.StageAccepted {
				if !asJSON {
					fmt.Fprintln(a.io.err, "accepted by Outlook; checking that it has left Drafts…")
				}
				return
			}
			report(p)
		}
	}
	r := c.ScheduleSend(ctx, draft, at, o)
	if asJSON {
		writeSendJSON(a.io.out, draft, r)
	} else {
		fmt.Fprintln(a.io.out, r.Summary())
	}
	return sendExit(r)
}
