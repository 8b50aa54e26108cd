package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultSendDeadline is how long SendAndConfirm waits for the sent copy to
// show in Sent Items before it reports the send as accepted but not yet seen.
const DefaultSendDeadline = 2 * time.Minute

// Stage is a step of SendAndConfirm, reported through SendOptions.Progress.
type Stage int

// The stages of a send, in the order they can happen.
const (
	// StageSending: the POST is on its way.
	StageSending Stage = iota
	// StageAccepted: Graph answered 202 Accepted.
	StageAccepted
	// StageReconciling: the answer to the POST was lost or unclear; the
	// client is looking in Sent Items and Drafts for what is true.
	StageReconciling
	// StageWaiting: the client is looking for the copy in Sent Items.
	StageWaiting
)

// String names the stage for logs and tests.
func (s Stage) String() string {
	switch s {
	case StageSending:
		return "sending"
	case StageAccepted:
		return "accepted"
	case StageReconciling:
		return "reconciling"
	case StageWaiting:
		return "waiting"
	}
	return fmt.Sprintf("Stage(%d)", int(s))
}

// Progress is one report from SendAndConfirm.
type Progress struct {
	Stage   Stage         // the step reached
	Elapsed time.Duration // since the POST started
	Looks   int           // looks in Sent Items so far
	Err     error         // StageReconciling: the unclear answer
}

// Outcome is what SendAndConfirm established.
type Outcome int

// The outcomes of a send.
const (
	// OutcomeNotSent: the message was not sent; the draft is where it
	// was (or was never there). Result.Err says why.
	OutcomeNotSent Outcome = iota
	// OutcomeSent: the copy is in Sent Items.
	OutcomeSent
	// OutcomePending: Graph accepted the send (or the draft has left
	// Drafts), but the copy was not in Sent Items by the deadline. Not
	// an error: Exchange delivers later; look again before resending.
	OutcomePending
	// OutcomeUnknown: the answer was unclear and the client could not
	// look (cancelled, or the network is down). Check Sent Items before
	// sending again.
	OutcomeUnknown
	// OutcomeScheduled: a send later (ScheduleSend) was taken: the draft
	// has left Drafts and waits in the Outbox until Result.At.
	OutcomeScheduled
)

// String names the outcome as scripts see it ("sent", "pending", ...).
func (o Outcome) String() string {
	switch o {
	case OutcomeNotSent:
		return "not-sent"
	case OutcomeSent:
		return "sent"
	case OutcomePending:
		return "pending"
	case OutcomeUnknown:
		return "unknown"
	case OutcomeScheduled:
		return "scheduled"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Result is the settled state of one send.
type Result struct {
	// Outcome is what is known to have happened.
	Outcome Outcome
	// Copy is the message as found in Sent Items (OutcomeSent).
	Copy *Message
	// Elapsed is the time from the POST to the copy being seen, or to
	// giving up.
	Elapsed time.Duration
	// Err is the refusal (OutcomeNotSent) or the unclear answer to the
	// POST that was reconciled.
	Err error
	// LookErr is what stopped the client from looking in Sent Items or
	// Drafts, if anything did (OutcomeUnknown, or OutcomePending when
	// Graph refused the looks).
	LookErr error
	// Reconciled is true when the POST's answer was lost or unclear and
	// the outcome was established by looking.
	Reconciled bool
	// InDrafts is true when reconciling found the draft still in Drafts.
	InDrafts bool
	// Looks counts the requests made to Sent Items.
	Looks int
	// At is when a scheduled send goes out (OutcomeScheduled, and a
	// ScheduleSend that is not settled).
	At time.Time
}

// ErrInterrupted is the sendErr to give Reconcile for a send that a previous run of the program
// started and never settled (it was killed, or the machine went down, while the POST was in
// flight): whether Graph got the POST is unknown.
var ErrInterrupted = errors.New("the program stopped before the answer to the send came")

// Summary describes the result in one line for a person.
func (r Result) Summary() string {
	if r.Reconciled && errors.Is(r.Err, ErrInterrupted) {
		return r.interruptedSummary()
	}
	if r.Outcome == OutcomeScheduled {
		return r.scheduledSummary()
	}
	switch r.Outcome {
	case OutcomeSent:
		switch {
		case !r.Reconciled:
			return fmt.Sprintf("sent: in Sent Items after %s", seconds(r.Elapsed))
		case IsNotFound(r.Err):
			return "sent: the draft had already left Drafts, and its copy is in Sent Items"
		}
		return fmt.Sprintf("sent: the copy is in Sent Items (the answer to the send was unclear: %s)", shortReason(r.Err))
	case OutcomePending:
		// What is true and what to do come first: a terminal's status
		// line may show only the start.
		lead, why := "accepted by Outlook", ""
		if r.Reconciled {
			lead = "probably sent: the draft has left Drafts"
			why = "; the answer to the send was unclear: " + shortReason(r.Err)
		}
		switch {
		case r.LookErr != nil:
			return fmt.Sprintf("%s; do not send it again (Sent Items could not be checked: %s%s)", lead, Describe(r.LookErr), why)
		case r.Looks == 0:
			return fmt.Sprintf("%s; do not send it again (Sent Items not checked%s)", lead, why)
		}
		return fmt.Sprintf("%s, not in Sent Items yet; do not send it again (looked for %s%s)", lead, seconds(r.Elapsed), why)
	case OutcomeUnknown:
		why := Describe(r.LookErr)
		if why == "" {
			why = "no answer"
		}
		return fmt.Sprintf("not known whether it was sent: look in Sent Items before sending again (the answer to the send was unclear: %s; Sent Items could not be checked: %s)",
			shortReason(r.Err), why)
	}
	switch {
	case !r.Reconciled:
		return "not sent: " + Describe(r.Err)
	case r.InDrafts:
		return fmt.Sprintf("not sent: the draft is still in Drafts; send it again when ready (the answer to the send was unclear: %s)", shortReason(r.Err))
	}
	return "not sent: this draft no longer exists in Drafts and has no copy in Sent Items (deleted, or sent elsewhere moments ago); refresh the list"
}

// interruptedSummary describes the settling of a send a previous run left unsettled.
func (r Result) interruptedSummary() string {
	switch r.Outcome {
	case OutcomeSent:
		return "an interrupted send went out: it is in Sent Items"
	case OutcomeNotSent:
		if r.InDrafts {
			return "an interrupted send did not go out; the draft is still in Drafts"
		}
		return "an interrupted send did not go out, and the draft is no longer in Drafts"
	case OutcomePending:
		if r.LookErr != nil {
			return fmt.Sprintf("an interrupted send went out (the draft has left Drafts), but Sent Items could not be checked (%s); do not send it again", Describe(r.LookErr))
		}
		return "an interrupted send went out (the draft has left Drafts), not in Sent Items yet; do not send it again"
	}
	why := Describe(r.LookErr)
	if why == "" {
		why = "no answer"
	}
	return fmt.Sprintf("not known whether an interrupted send went out: Sent Items could not be checked (%s); look in Sent Items before sending it again", why)
}

// shortReason names an unclear answer to a send in a few words.
func shortReason(err error) string {
	if e, ok := asError(err); ok {
		return "Graph answered " + orStatus(e)
	}
	if err == nil {
		return "no answer"
	}
	s := Describe(err)
	if i := strings.Index(s, "; "); i > 0 {
		s = s[:i]
	}
	return s
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// SendOptions tune SendAndConfirm.
type SendOptions struct {
	// Deadline bounds the wait for the copy in Sent Items (default
	// DefaultSendDeadline).
	Deadline time.Duration
	// Progress, if set, is called at each stage, on the caller's
	// goroutine.
	Progress func(Progress)
	// PollDelay gives the wait before look n (0-based); default
	// PollDelay.
	PollDelay func(n int) time.Duration
	// SkipWait reports OutcomePending as soon as the send is accepted,
	// without looking in Sent Items.
	SkipWait bool
}

// withDefaults fills in the PollDelay left unset.
func (o SendOptions) withDefaults() SendOptions {
	if o.PollDelay == nil {
		o.PollDelay = PollDelay
	}
	return o
}

// report passes p to Progress, if set.
func (o SendOptions) report(p Progress) {
	if o.Progress != nil {
		o.Progress(p)
	}
}

// SendAndConfirm sends the draft once and establishes what happened:
//
//   - 202: it looks for the copy in Sent Items (by internetMessageId, or
//     by conversation, subject and time when the draft has none) with
//     backoff until it appears or the deadline passes.
//   - a definite refusal (400, 401, 403, throttled too long), or a
//     failure before the request left (no token, no connection): not
//     sent, with the reason.
//   - an unclear answer (connection lost, timeout, 5xx, 404): it looks in
//     Sent Items and Drafts. A copy in Sent Items means sent; the draft
//     still in Drafts means not sent; the draft gone means the send went
//     through, and it waits for the copy as after a 202.
//
// It never sends twice. The draft should carry the InternetMessageID and
// ConversationID it had before the send (any listed Message does).
func (c *Client) SendAndConfirm(ctx context.Context, draft Message, o SendOptions) Result {
	if o.Deadline <= 0 && !o.SkipWait {
		o.Deadline = DefaultSendDeadline
	}
	o = o.withDefaults()
	report := o.report
	start := time.Now()
	report(Progress{Stage: StageSending})
	err := c.Send(ctx, draft.ID)
	if err == nil {
		report(Progress{Stage: StageAccepted, Elapsed: time.Since(start)})
		return c.awaitCopy(ctx, draft, start, o, report, Result{})
	}
	if !SendOutcomeUnclear(err) {
		return Result{Outcome: OutcomeNotSent, Err: err, Elapsed: time.Since(start)}
	}
	report(Progress{Stage: StageReconciling, Elapsed: time.Since(start), Err: err})
	r := c.Reconcile(ctx, draft, start, err)
	if r.Outcome == OutcomePending {
		// The draft left Drafts: the send went through; wait for the
		// copy like after a 202.
		return c.awaitCopy(ctx, draft, start, o, report, r)
	}
	return r
}

// Reconcile settles a send whose answer was unclear (SendOutcomeUnclear
// reports true for sendErr) by looking once in Sent Items and Drafts; since
// is when the send started. The outcome is OutcomeSent when the copy is in
// Sent Items, OutcomeNotSent when the draft is still in Drafts (InDrafts)
// or Graph said 404 and there is no copy (deleted elsewhere),
// OutcomePending when the draft has left Drafts but the copy is not there
// yet (keep looking with FindSentCopy), and OutcomeUnknown when looking
// failed (LookErr says why). Err is always sendErr. It never sends.
func (c *Client) Reconcile(ctx context.Context, draft Message, since time.Time, sendErr error) (r Result) {
	r = Result{Err: sendErr, Reconciled: true}
	defer func() { r.Elapsed = time.Since(since) }()
	if err := ctx.Err(); err != nil {
		r.Outcome, r.LookErr = OutcomeUnknown, err
		return r
	}
	copy, err := c.FindSentCopy(ctx, draft, since)
	r.Looks++
	if err != nil {
		r.Outcome, r.LookErr = OutcomeUnknown, err
		return r
	}
	if copy != nil {
		r.Outcome, r.Copy = OutcomeSent, copy
		return r
	}
	exists, err := c.DraftExists(ctx, draft.ID)
	switch {
	case err != nil:
		r.Outcome, r.LookErr = OutcomeUnknown, err
	case exists:
		r.Outcome, r.InDrafts = OutcomeNotSent, true
	case IsNotFound(sendErr):
		// Graph said from the start the draft did not exist, and there
		// is no copy: it was deleted, or sent long ago without a
		// findable copy. Nothing was sent now.
		r.Outcome = OutcomeNotSent
	default:
		r.Outcome = OutcomePending
	}
	return r
}

// awaitCopy polls Sent Items until the copy shows or the deadline passes.
func (c *Client) awaitCopy(ctx context.Context, draft Message, start time.Time, o SendOptions, report func(Progress), r Result) Result {
	if o.SkipWait {
		r.Outcome, r.Elapsed = OutcomePending, time.Since(start)
		return r
	}
	wctx, cancel := context.WithDeadline(ctx, start.Add(o.Deadline))
	defer cancel()
	for n := 0; ; n++ {
		if err := c.sleep(wctx, o.PollDelay(n)); err != nil {
			break
		}
		report(Progress{Stage: StageWaiting, Elapsed: time.Since(start), Looks: r.Looks + 1})
		copy, err := c.FindSentCopy(wctx, draft, start)
		r.Looks++
		if copy != nil {
			r.Outcome, r.Copy, r.Elapsed = OutcomeSent, copy, time.Since(start)
			return r
		}
		if err != nil && (wctx.Err() != nil || lookRefused(err)) {
			if wctx.Err() == nil {
				r.LookErr = err
			}
			break
		}
		// Other errors while looking are passing trouble: keep
		// looking until the deadline.
	}
	r.Outcome, r.Elapsed = OutcomePending, time.Since(start)
	return r
}

// lookRefused reports whether Graph refused to let the client look (bad
// request, sign-in or permission), which further looks will not change.
func lookRefused(err error) bool {
	e, ok := asError(err)
	return ok && e.Status >= 400 && e.Status < 500 && e.Status != 404 && e.Status != 408 && e.Status != 429
}

// FindSentCopy looks once in Sent Items for the sent copy of draft: by
// internetMessageId when the draft has one, otherwise by conversationId,
// with the same subject, sent no earlier than a minute before since (the
// time bound is in the query too, so a long conversation's older messages
// cannot fill the page). It returns nil and no error when there is no copy
// (yet).
func (c *Client) FindSentCopy(ctx context.Context, draft Message, since time.Time) (*Message, error) {
	if draft.InternetMessageID != "" {
		return c.FindSent(ctx, draft.InternetMessageID)
	}
	if draft.ConversationID == "" {
		return nil, nil
	}
	after := since.Add(-time.Minute).UTC().Truncate(time.Second)
	msgs, err := c.filterSent(ctx, "conversationId eq "+quoteOData(draft.ConversationID)+
		" and sentDateTime ge "+after.Format(time.RFC3339))
	if err != nil {
		return nil, err
	}
	for i := range msgs {
		m := &msgs[i]
		if m.Subject == draft.Subject && !m.Sent.Before(after) {
			return m, nil
		}
	}
	return nil, nil
}
