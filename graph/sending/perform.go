package sending

import (
	"context"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// Mailbox is what the engine needs from Graph. *graph.Client satisfies it.
type Mailbox interface {
	// DraftState reads a draft's state (gone, changeKey, deferred-send time).
	DraftState(ctx context.Context, id string) (graph.DraftState, error)
	// SetDeferredSend sets the draft's deferred-send time.
	SetDeferredSend(ctx context.Context, id string, at time.Time) error
	// Send posts the draft once, and never repeats it.
	Send(ctx context.Context, id string) error
	// FindSentCopy looks once in Sent Items for the copy of draft, sent since since.
	FindSentCopy(ctx context.Context, draft graph.Message, since time.Time) (*graph.Message, error)
	// FindDeleted looks once in Deleted Items for draft.
	FindDeleted(ctx context.Context, draft graph.Message) (*graph.Message, error)
}

var _ Mailbox = (*graph.Client)(nil)

// Timeouts of the actions. A POST that times out is an unclear answer, settled by looking,
// never repeated.
const (
	postTimeout    = 90 * time.Second
	lookTimeout    = 20 * time.Second
	journalTimeout = 15 * time.Second
)

// Perform does one action that is not a Wait (both drivers share it) and returns what came of
// it. now is the time the action starts (the journal records it as the send's start). The
// journal's Forget and a send later's reset are done even when ctx has ended: the outcome is
// known, and a stale record or a deferred time left behind would mislead a later send.
func Perform(ctx context.Context, mb Mailbox, j Journal, s Send, a Action, now time.Time) Answer {
	id := s.Draft.ID
	timeout := lookTimeout
	switch {
	case a.Kind == Post:
		timeout = postTimeout
	case a.Kind == Record || a.Kind == Forget:
		timeout = journalTimeout
	}
	if a.Kind == Forget || s.Phase == Resetting {
		ctx = context.WithoutCancel(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch a.Kind {
	case Verify, CheckDraft:
		st, err := mb.DraftState(ctx, id)
		return Answer{Draft: st, Err: err}
	case SetDeferred:
		return Answer{Err: mb.SetDeferredSend(ctx, id, a.At)}
	case Record:
		return Answer{Err: j.Record(ctx, entryOf(s, now))}
	case Post:
		return Answer{Err: mb.Send(ctx, id)}
	case FindCopy:
		c, err := mb.FindSentCopy(ctx, s.Draft, s.Start)
		return Answer{Copy: c, Err: err}
	case FindDeleted:
		c, err := mb.FindDeleted(ctx, s.Draft)
		return Answer{Copy: c, Err: err}
	case Forget:
		return Answer{Err: j.Settle(ctx, id)}
	}
	return Tick
}
