package graph

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// FolderOutbox is the well-known Outbox, where a scheduled send waits.
const FolderOutbox = "outbox"

// expandDeferred is the $expand that brings the deferred-send time with a
// message (Message.DeferredUntil).
const expandDeferred = "singleValueExtendedProperties($filter=id eq '" + DeferredSendProperty + "')"

// deferredReset is the deferred-send time a failed send later leaves on the
// draft: a time long past, which Exchange takes as "send at once", so that
// a later normal send is not silently held.
var deferredReset = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// Scheduled lists the messages waiting in the Outbox, each with the time
// it goes out (DeferredUntil; zero for one held for another reason),
// soonest first.
func (c *Client) Scheduled(ctx context.Context) ([]Message, error) {
	q := url.Values{}
	q.Set("$select", listFields)
	q.Set("$expand", expandDeferred)
	q.Set("$top", strconv.Itoa(100))
	p := &Pager{c: c, op: "list the outbox", next: c.folderURL(FolderOutbox) + "/messages?" + encodeQuery(q), state: newPageState()}
	var all []Message
	for p.More() {
		msgs, err := p.Next(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, msgs...)
	}
	slices.SortStableFunc(all, func(a, b Message) int { return a.DeferredUntil.Compare(b.DeferredUntil) })
	return all, nil
}

// ScheduleSend sends the draft later: it sets Outlook's deferred-send time
// to at (SetDeferredSend) and then sends the draft once (one POST), and
// Exchange holds it in the Outbox until at. The send is confirmed by the
// draft leaving Drafts (its copy reaches Sent Items only at at):
//
//   - the draft gone: OutcomeScheduled, with Result.At;
//   - a refusal of the PATCH or the POST: OutcomeNotSent, and the deferred
//     time is reset so that a later normal send is not held;
//   - an unclear answer to the POST: Drafts is looked at once, as by
//     Reconcile (still there: not sent, and reset; gone: scheduled);
//   - accepted, but still in Drafts at the deadline: OutcomePending.
//
// Like SendAndConfirm it never sends twice.
func (c *Client) ScheduleSend(ctx context.Context, draft Message, at time.Time, o SendOptions) Result {
	if o.Deadline <= 0 {
		o.Deadline = DefaultSendDeadline
	}
	o = o.withDefaults()
	report := o.report
	start := time.Now()
	r := Result{At: at}
	done := func(out Outcome, err error) Result {
		r.Outcome, r.Err, r.Elapsed = out, err, time.Since(start)
		if out == OutcomeNotSent && !r.Reconciled || r.InDrafts {
			c.resetDeferred(ctx, draft.ID)
		}
		return r
	}
	if err := c.SetDeferredSend(ctx, draft.ID, at); err != nil {
		return done(OutcomeNotSent, err)
	}
	report(Progress{Stage: StageSending})
	err := c.Send(ctx, draft.ID)
	if err == nil {
		report(Progress{Stage: StageAccepted, Elapsed: time.Since(start)})
		return c.awaitScheduled(ctx, draft, start, o, r)
	}
	if !SendOutcomeUnclear(err) {
		return done(OutcomeNotSent, err)
	}
	report(Progress{Stage: StageReconciling, Elapsed: time.Since(start), Err: err})
	r.Reconciled = true
	exists, lerr := c.DraftExists(ctx, draft.ID)
	switch {
	case lerr != nil:
		r.LookErr = lerr
		return done(OutcomeUnknown, err)
	case exists:
		r.InDrafts = true
		return done(OutcomeNotSent, err)
	case IsNotFound(err):
		return done(OutcomeNotSent, err) // gone before the send: deleted elsewhere
	}
	return done(OutcomeScheduled, err)
}

// awaitScheduled looks at Drafts until the draft has left it (scheduled)
// or the deadline passes (accepted, pending).
func (c *Client) awaitScheduled(ctx context.Context, draft Message, start time.Time, o SendOptions, r Result) Result {
	wctx, cancel := context.WithDeadline(ctx, start.Add(o.Deadline))
	defer cancel()
	for n := 0; ; n++ {
		exists, err := c.DraftExists(wctx, draft.ID)
		if err == nil && !exists {
			r.Outcome, r.Elapsed = OutcomeScheduled, time.Since(start)
			return r
		}
		if err != nil && lookRefused(err) {
			r.LookErr = err
			break
		}
		if o.SkipWait || c.sleep(wctx, o.PollDelay(n)) != nil {
			break
		}
	}
	r.Outcome, r.Elapsed = OutcomePending, time.Since(start)
	return r
}

// resetDeferred takes the deferred-send time off a draft that was not
// sent, best effort (even after ctx ends).
func (c *Client) resetDeferred(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	_ = c.SetDeferredSend(ctx, id, deferredReset)
}

// scheduledSummary describes a scheduled send in one line.
func (r Result) scheduledSummary() string {
	at := r.At.Local().Format("Mon 2 Jan 15:04")
	if r.Reconciled {
		return fmt.Sprintf("scheduled for %s: the draft has left Drafts and waits in the Outbox (the answer to the send was unclear: %s)", at, shortReason(r.Err))
	}
	return fmt.Sprintf("scheduled for %s: the draft waits in the Outbox until then", at)
}

// IsScheduled reports whether m waits to be sent at a time after now.
func (m Message) IsScheduled(now time.Time) bool { return m.DeferredUntil.After(now) }
