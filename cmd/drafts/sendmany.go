package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// Sending several drafts: 'drafts send ID ID ...'. One question (or --yes) for all, one
// countdown (--undo), then each draft goes through the send engine in its turn, one POST every
// sending.Pace (Exchange accepts at most 30 messages a minute from a mailbox), each with its own
// journal entry and its own outcome: a line on stdout, or a JSON line with --json, as it ends.
// Ctrl-C stops the drafts whose turn has not come: they stay drafts, and say so.

// batchSend is one run of 'drafts send' with several ids.
type batchSend struct {
	ctx    context.Context
	c      *graph.Client
	driver sending.Driver
	out    io.Writer // the outcomes
	errw   io.Writer // progress and warnings
	asJSON bool

	mu    sync.Mutex // guards the writers and worst
	worst int        // the exit code so far
}

// sendMany sends the drafts with the given ids as one batch.
func (a *app) sendMany(ctx context.Context, c *graph.Client, j sending.Journal, ids []string, ask, asJSON bool, o sending.Options) error {
	b := &batchSend{ctx: ctx, c: c, out: a.io.out, errw: a.io.err, asJSON: asJSON}
	ds := b.drafts(ids)
	if err := ctx.Err(); err != nil {
		return err // Ctrl-C while the drafts were read: nothing was sent
	}
	if len(ds) == 0 {
		return b.exit()
	}
	question := fmt.Sprintf("Send these %d drafts now, %s apart? [y/N] ", len(ds), sending.Pace.Round(100*time.Millisecond))
	if len(ds) == 1 {
		question = "Send this draft now? [y/N] " // the others were left out, or the same id given twice
	}
	if ask && !confirmMany(ctx, a.io.in, a.io.err, ds, func(d graph.Message) { printChecks(ctx, c, a.io.err, d) }, question) {
		fmt.Fprintln(a.io.err, "not sent: the drafts are unchanged")
		return &exitError{code: exitFailed}
	}
	if !ask {
		for _, d := range ds {
			printChecksUnder(ctx, c, a.io.err, d, quotedSubject(d)+":")
		}
	}
	b.driver = sending.Driver{Mailbox: c, Journal: j}
	o.Pacer = &sending.Pacer{} // the POSTs a Pace apart, whatever each send's own steps take
	sends, actions := sending.Batch(ds, time.Now(), time.Time{}, o)
	if o.Undo > 0 {
		fmt.Fprintf(a.io.err, "sending %d drafts in %s, then one every %s; press Ctrl-C to cancel the rest…\n",
			len(ds), o.Undo.Round(time.Second), sending.Pace.Round(100*time.Millisecond))
	}
	var wg sync.WaitGroup
	for i := range sends {
		wg.Go(func() { b.report(b.run(sends[i], actions[i], i+1, len(sends))) })
	}
	wg.Wait()
	return b.exit()
}

// drafts reads the drafts to send, in the order given, each once; an id that is not a draft
// is reported not sent (a JSON line with --json) and left out.
func (b *batchSend) drafts(ids []string) []graph.Message {
	var ds []graph.Message
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			fmt.Fprintf(b.errw, "%s is given more than once; it counts once\n", id)
			seen[id] = false // said once
			continue
		}
		if _, said := seen[id]; said {
			continue
		}
		seen[id] = true
		d, err := draftToSend(b.ctx, b.c, id)
		if err != nil {
			if b.ctx.Err() != nil {
				return nil
			}
			b.notSent(id, err)
			continue
		}
		ds = append(ds, d)
	}
	return ds
}

// run drives one send of the batch to its end, saying on stderr when its POST is made.
func (b *batchSend) run(s sending.Send, a sending.Action, n, of int) sending.Send {
	d := b.driver
	d.Progress = func(s sending.Send) {
		if s.Phase == sending.Posting && !b.asJSON {
			b.mu.Lock()
			fmt.Fprintf(b.errw, "sending %s (%d of %d)…\n", quotedSubject(s.Draft), n, of)
			b.mu.Unlock()
		}
	}
	return d.Run(b.ctx, s, a)
}

// report prints a send's outcome and keeps the exit code it calls for.
func (b *batchSend) report(s sending.Send) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s.ForgetErr != nil {
		fmt.Fprintln(b.errw, "drafts: note: "+graph.Describe(s.ForgetErr))
	}
	if b.asJSON {
		writeSendJSON(b.out, s)
	} else {
		fmt.Fprintf(b.out, "%s: %s\n", quotedSubject(s.Draft), s.Summary())
	}
	code := 0
	if err, ok := sendExit(s).(*exitError); ok {
		code = err.code
	}
	b.keep(code)
}

// notSent reports a draft that could not even be started.
func (b *batchSend) notSent(id string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.asJSON {
		writeNotSentJSON(b.out, id, err)
	} else {
		fmt.Fprintf(b.out, "%s: not sent: %s\n", id, describeExit(err))
	}
	b.keep(exitFailed)
}

// keep takes an outcome's exit code into the batch's: an unknown outcome weighs most (look
// before sending again), then a failure, then a send not yet seen in Sent Items.
func (b *batchSend) keep(code int) {
	rank := []int{0, exitPending, exitFailed, exitUnknown}
	if slices.Index(rank, code) > slices.Index(rank, b.worst) {
		b.worst = code
	}
}

// exit is the batch's exit: the weightiest of its outcomes (each already printed).
func (b *batchSend) exit() error {
	if b.worst == 0 {
		return nil
	}
	return &exitError{code: b.worst, known: true}
}

// describeExit is the message of a command error, or Graph's error described.
func describeExit(err error) string {
	if e, ok := err.(*exitError); ok && e.msg != "" {
		return e.msg
	}
	return graph.Describe(err)
}

// quotedSubject names a draft in the batch's lines.
func quotedSubject(d graph.Message) string { return fmt.Sprintf("%q", shortSubject(d.Subject)) }

// confirmMany shows every draft of a batch with its warnings (checks) and asks one question.
func confirmMany(ctx context.Context, in io.Reader, out io.Writer, ds []graph.Message, checks func(graph.Message), question string) bool {
	for i, d := range ds {
		if i > 0 {
			fmt.Fprintln(out)
		}
		fmt.Fprintf(out, "%d. ", i+1)
		summarize(out, d)
		checks(d)
	}
	return ask(ctx, in, out, question)
}

// flagErrorJSON gives every id of a 'drafts send ... --json' whose flags could not be read its
// JSON outcome: the error came before the command's own code, which does so for every other end.
func (a *app) flagErrorJSON(cmd *cobra.Command, err error) {
	if cmd.Name() != "send" {
		return
	}
	ids, asJSON := sendArgs(a.args)
	if !asJSON {
		return
	}
	for _, id := range ids {
		writeNotSentJSON(a.io.out, id, err)
	}
}

// sendArgs reads the ids of a send command line and whether it asks for JSON, without the flag
// parser (which is what failed): the words after "send" that are not flags or their values.
func sendArgs(args []string) (ids []string, asJSON bool) {
	valued := map[string]bool{"--wait": true, "--undo": true, "--at": true, "--graph-url": true, "--mailbox": true, "--config": true, "--ca-file": true}
	i := slices.Index(args, "send")
	if i < 0 {
		return nil, false
	}
	for i++; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--json" || strings.HasPrefix(a, "--json=") && a != "--json=false":
			asJSON = true
		case valued[a]:
			i++ // its value
		case strings.HasPrefix(a, "-"):
		default:
			ids = append(ids, a)
		}
	}
	return ids, asJSON
}
