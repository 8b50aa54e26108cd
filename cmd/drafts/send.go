package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

func (a *app) sendCmd() *cobra.Command {
	var (
		yes    bool
		wait   time.Duration
		undo   time.Duration
		atText string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "send ID [ID...] [--yes] [--at TIME] [--undo D] [--wait D] [--json]",
		Short: "Send drafts and confirm they reached Sent Items",
		Long: `Send the draft with the given id (see 'drafts list'), once, then watch Sent Items until
its copy appears or --wait passes.

With several ids, one question (or --yes) and one --undo countdown cover them all; then one
draft is sent every ` + sending.Pace.Round(100*time.Millisecond).String() + ` (Exchange accepts at most 30 messages a minute from
a mailbox), each with its own outcome: a line "SUBJECT": outcome, or with --json one JSON
object per line, as each ends. Ctrl-C stops the drafts whose turn has not come: they stay
drafts. The exit code is the weightiest outcome: 4, then 1, then 3, else 0. --at takes one id.

On a terminal it shows the subject and every recipient and asks y/N first; --yes skips the
question, and is required when standard input is not a terminal. The send is never repeated
by itself: if the answer is lost, drafts looks in Sent Items and Drafts and says what is true.

Before the question (on standard error with --yes) it prints warnings: no subject, an empty
body, "attached" in the text with nothing attached, and the recipients' mail tips (automatic
replies, full mailboxes, moderated lists, addresses outside your organization). Warnings never
stop the send. --undo D waits D before sending, while Ctrl-C cancels it (not sent, exit 1).

--at TIME sends it later: the draft gets Outlook's deferred-send time and is sent now, and
Exchange holds it in the Outbox until TIME (exit 0 once it has left Drafts). TIME is "in 2h",
"in 90m", "17:30", "tomorrow 9:00", "monday 8:30" or "` + exampleDate() + ` 09:00", in local time.

` + exitCodesHelp,
		Args: minArgs(1, "the id of a draft"),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if asJSON {
				// A script that asked for JSON gets an outcome for every id, whatever ended the
				// command: a bad flag, no --yes, the settings, an answer n, an undo.
				out := &wroteWriter{Writer: a.io.out}
				a.io.out = out
				defer func() {
					if err != nil && !out.wrote {
						for _, id := range args {
							writeNotSentJSON(out, id, err)
						}
					}
				}()
			}
			for _, id := range args {
				if err := idArg("draft", id); err != nil {
					return err
				}
			}
			if len(args) > 1 && cmd.Flags().Changed("at") {
				return usageErrorf("--at sends one draft later: give one id")
			}
			if wait < 0 {
				return usageErrorf("--wait must not be negative")
			}
			if undo < 0 || undo > config.MaxUndoSend {
				return usageErrorf("--undo must be between 0s and %s, like undo_send", config.MaxUndoSend)
			}
			var at time.Time // send later: when
			if cmd.Flags().Changed("at") {
				t, err := graph.ParseWhen(atText, time.Now(), time.Local)
				if err != nil {
					return usageErrorf("--at: %s", err)
				}
				at = t
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("wait") {
				wait = cfg.SendWait
			}
			ask := !yes && cfg.ConfirmSend
			if !yes && !a.io.inTTY {
				return usageErrorf("refusing to send without --yes: standard input is not a terminal to ask on")
			}
			c, stop, err := a.connect(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer stop()
			driver := sending.Driver{Mailbox: c, Journal: a.journalFor(cfg, c), Progress: func(s sending.Send) {
				if line := progressLine(s); line != "" && !asJSON {
					fmt.Fprintln(a.io.err, line)
				}
			}}
			a.settleInterrupted(cmd.Context(), sending.Driver{Mailbox: c, Journal: driver.Journal})
			deadline := wait
			if wait == 0 {
				deadline = -1 // do not watch
			}
			o := sending.Options{Undo: undo, Deadline: deadline}
			if len(args) > 1 {
				return a.sendMany(cmd.Context(), c, driver.Journal, args, ask, asJSON, o)
			}
			draft, err := draftToSend(cmd.Context(), c, args[0])
			if err != nil {
				if asJSON { // a script asked for JSON: it gets its outcome, not only a line on stderr
					writeNotSentJSON(a.io.out, args[0], err)
				}
				return err
			}
			checks := func() { printChecks(cmd.Context(), c, a.io.err, draft) }
			question := "Send it now? [y/N] "
			if !at.IsZero() {
				question = "Send it later, at " + at.Format("Mon 2 Jan 15:04") + "? [y/N] "
			}
			if ask && !confirm(cmd.Context(), a.io.in, a.io.err, draft, checks, question) {
				if err := cmd.Context().Err(); err != nil {
					return err // Ctrl-C at the question: interrupted, not an answer
				}
				return &exitError{code: exitFailed, msg: "not sent: you answered no; the draft is unchanged", known: true, cause: errDeclined}
			}
			if !ask {
				checks() // warnings, never a reason not to send
			}
			s, first := sending.New(draft, at, time.Now(), o)
			s = driver.Run(cmd.Context(), s, first)
			if s.Phase == sending.Undone {
				return &exitError{code: exitFailed, msg: "not sent: cancelled during --undo; the draft is unchanged", known: true, cause: errTakenBack}
			}
			if s.ForgetErr != nil {
				fmt.Fprintln(a.io.err, "drafts: note: "+graph.Describe(s.ForgetErr))
			}
			if asJSON {
				writeSendJSON(a.io.out, s)
				if s.Phase != sending.Sent && s.Phase != sending.Scheduled {
					fmt.Fprintln(a.io.err, "drafts: "+s.Summary()) // a failure says so on stderr too, as every other does
				}
			} else {
				fmt.Fprintln(a.io.out, s.Summary())
			}
			return sendExit(s)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&yes, "yes", "y", false, "send without asking")
	f.DurationVar(&wait, "wait", graph.DefaultSendDeadline, "how long to watch Sent Items for the copy (0: do not watch; default: the settings' send_wait, else "+
		graph.DefaultSendDeadline.String()+")")
	f.Lookup("wait").DefValue = "0s" // the default is said above: help would add the built-in one as if it always held
	f.StringVar(&atText, "at", "", `send later: Exchange holds it in the Outbox until TIME ("in 2h", "tomorrow 9:00", "`+exampleDate()+` 09:00")`)
	f.DurationVar(&undo, "undo", 0, "wait this long before sending, while Ctrl-C cancels it (not sent, exit 1)")
	f.BoolVar(&asJSON, "json", false, "print the outcome as JSON")
	return cmd
}

// confirm shows what would be sent, then the warnings written by checks,
// and reads one line from in: "y" or "yes" sends; anything else, the end of
// the input, or ctx ending (Ctrl-C) does not.
func confirm(ctx context.Context, in io.Reader, out io.Writer, d graph.Message, checks func(), question string) bool {
	summarize(out, d)
	checks()
	return ask(ctx, in, out, question)
}

// summarize writes what would be sent: the subject, the recipients, whether files go with it.
func summarize(out io.Writer, d graph.Message) {
	fmt.Fprintf(out, "Subject: %s\n", graph.SubjectOr(d.Subject))
	for _, f := range []struct {
		label string
		rs    []graph.Recipient
	}{{"To", d.To}, {"Cc", d.Cc}, {"Bcc", d.Bcc}} {
		if len(f.rs) > 0 {
			fmt.Fprintf(out, "%s: %s\n", f.label, joinRecipients(f.rs))
		}
	}
	if d.HasAttachments {
		fmt.Fprintln(out, "Attachments: yes")
	}
}

// ask asks question and reads one line from in: "y" or "yes" is yes; anything else, the end of
// the input, or ctx ending (Ctrl-C) is no.
func ask(ctx context.Context, in io.Reader, out io.Writer, question string) bool {
	fmt.Fprint(out, question)
	// A terminal read cannot be cancelled: read in the background, so
	// that Ctrl-C ends the wait at once.
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(in).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		answer := strings.ToLower(strings.TrimSpace(line))
		return answer == "y" || answer == "yes"
	case <-ctx.Done():
		fmt.Fprintln(out)
		return false
	}
}

func joinRecipients(rs []graph.Recipient) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}

// progressLine is what a send's new phase is worth saying on stderr, or "".
func progressLine(s sending.Send) string {
	switch s.Phase {
	case sending.Held:
		return fmt.Sprintf("sending in %s; press Ctrl-C to cancel…", s.Until.Sub(time.Now()).Round(time.Second))
	case sending.Posting:
		return "sending…"
	case sending.Throttled:
		return "Outlook is throttling this mailbox (" + graph.Describe(s.Err) + "); sending again after its wait…"
	case sending.Checking, sending.CheckingDraft, sending.CheckingDeleted:
		if s.Recovered {
			return ""
		}
		return "the answer was unclear (" + graph.Describe(s.Err) + "); looking in Sent Items and Drafts…"
	case sending.Looking:
		if !s.At.IsZero() {
			return "accepted by Outlook; checking that Exchange has it…"
		}
		return "accepted by Outlook; waiting for the copy in Sent Items…"
	}
	return ""
}

// sendJSON is the outcome printed by 'drafts send --json'.
type sendJSON struct {
	ID             string  `json:"id"`
	Outcome        string  `json:"outcome"`
	Summary        string  `json:"summary"`
	SentID         string  `json:"sentId,omitempty"`
	ElapsedSeconds float64 `json:"elapsedSeconds"`
	Reconciled     bool    `json:"reconciled"`
	Error          string  `json:"error,omitempty"`
	Hint           string  `json:"hint,omitempty"` // what to do next, unless it was sent or scheduled
	At             string  `json:"at,omitempty"`   // a send later: when it goes out (RFC 3339)
}

func writeSendJSON(w io.Writer, s sending.Send) {
	out := sendJSON{ID: s.Draft.ID, Outcome: s.Outcome(), Summary: s.Summary(), ElapsedSeconds: s.Elapsed(s.Ended).Seconds(), Reconciled: s.Reconciled}
	if s.Copy != nil {
		out.SentID = s.Copy.ID
	}
	if s.Err != nil {
		out.Error = graph.Describe(s.Err)
	}
	if !s.At.IsZero() {
		out.At = s.At.Format(time.RFC3339)
	}
	out.Hint = sendHint(out.Outcome, s.Err)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
}

// Reasons a send was not made that are no error to fix: the user said so, or there was nothing
// to send.
var (
	errDeclined  = errors.New("you answered no")
	errTakenBack = errors.New("taken back before it was sent")
	errNotADraft = errors.New("not a draft")
)

// writeNotSentJSON is the JSON outcome of a send that ended before it began (no such draft, not
// a draft, an answer no, a bad flag).
func writeNotSentJSON(w io.Writer, id string, err error) {
	why := graph.Describe(err)
	var e *exitError
	if errors.As(err, &e) && e.msg != "" {
		why = strings.TrimPrefix(e.msg, "not sent: ")
	}
	if strings.TrimSpace(why) == "" {
		why = "the command ended before the send (" + err.Error() + ")"
		if errors.As(err, &e) {
			why = "the send was not made"
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(sendJSON{ID: id, Outcome: "not-sent", Summary: "not sent: " + why, Error: why, Hint: sendHint("not-sent", err)})
}

// draftToSend reads the draft with the given id, whole; an id that names no message, or one
// that is not a draft, is an error that says so (with its hint for --json).
func draftToSend(ctx context.Context, c *graph.Client, id string) (graph.Message, error) {
	d, err := c.Message(ctx, id)
	switch {
	case graph.IsNotFound(err):
		e := noSuchMessage("nothing sent").(*exitError)
		e.cause = err // its hint: no draft has this id
		return d, e
	case err == nil && !d.IsDraft:
		return d, &exitError{code: exitFailed, msg: "that message is not a draft (it was already sent); nothing sent", cause: errNotADraft}
	}
	return d, err
}

// sendHint says what a script's next step is after a send's outcome: nothing after a send that
// went through; else whether it may send again, and what to fix first.
func sendHint(outcome string, err error) string {
	switch outcome {
	case "pending":
		return "Outlook accepted it: do not send again; it shows in Sent Items later"
	case "unknown":
		return "look in Sent Items before sending again"
	case "not-sent":
		switch {
		case graph.IsNotFound(err):
			return "no draft has this id: 'drafts list --json' gives the ids of the drafts"
		case errors.Is(err, errNotADraft):
			return "it is not a draft (it was sent already): there is nothing to send"
		case err == nil || errors.Is(err, errDeclined) || errors.Is(err, errTakenBack):
			return "the draft is unchanged: send it again when ready"
		}
		return "the draft is unchanged: fix what the error says, then send it again"
	}
	return ""
}

// sendExit maps a send's outcome to the documented exit code. The summary is
// already printed, so the error carries no message.
func sendExit(s sending.Send) error {
	switch s.Phase {
	case sending.Sent, sending.Scheduled:
		return nil
	case sending.Pending:
		return &exitError{code: exitPending}
	case sending.Unknown:
		return &exitError{code: exitUnknown}
	}
	return &exitError{code: exitFailed}
}

// exampleDate is a date to come, for the examples of TIME: the help never shows a day past.
func exampleDate() string { return time.Now().AddDate(0, 0, 2).Format("2006-01-02") }

// wroteWriter is a writer that remembers whether anything was written to it.
type wroteWriter struct {
	io.Writer
	wrote bool
}

func (w *wroteWriter) Write(p []byte) (int, error) {
	w.wrote = w.wrote || len(p) > 0
	return w.Writer.Write(p)
}
