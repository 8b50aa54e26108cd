package ui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// Timeouts of the requests the UI makes. A send that times out is an
// unclear outcome and is reconciled, never repeated.
const (
	pageTimeout      = 60 * time.Second
	countTimeout     = 15 * time.Second
	openTimeout      = 30 * time.Second
	sendTimeout      = 90 * time.Second
	reconcileTimeout = 60 * time.Second
	lookTimeout      = 20 * time.Second
	journalTimeout   = 15 * time.Second
)

// Results of loading the drafts list. gen tells a reload from an older one.
type (
	draftsPageMsg struct {
		gen  int
		msgs []graph.Message
		hay  []string // the filter's text of each draft, prepared off the UI's goroutine (or nil)
		more bool
	}
	draftsFailedMsg struct {
		gen  int
		msgs []graph.Message // what the failing page still delivered
		err  error
	}
	draftCountMsg struct {
		gen int
		n   int
	}
)

// Results of opening one draft.
type (
	draftOpenedMsg struct{ msg graph.Message }
	openFailedMsg  struct {
		id  string
		err error
	}
)

// Results of the POST /send and what follows it, by draft id.
type (
	sendAcceptedMsg struct{ id string }
	sendRefusedMsg  struct {
		id  string
		err error
	}
	sendUnclearMsg struct {
		id  string
		err error
	}
	reconciledMsg struct {
		id     string
		result graph.Result
	}
	// pollSentMsg is the tick before look n in Sent Items.
	pollSentMsg struct {
		id string
		n  int
	}
	sentFoundMsg struct {
		id   string
		copy graph.Message
	}
	sentNotYetMsg struct {
		id  string
		n   int
		err error // a failed look, or nil when the copy is simply not there yet
	}
)

// Results of listing Sent Items. gen tells the latest listing from an older
// one.
type (
	sentListedMsg struct {
		gen  int
		msgs []graph.Message
	}
	sentListFailedMsg struct {
		gen int
		err error
	}
)

// pageCmd reads the next page of drafts. The pager is used by one command
// at a time: the next page is asked for only after this one arrived.
func pageCmd(ctx context.Context, p *graph.Pager, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, pageTimeout)
		defer cancel()
		msgs, err := p.Next(ctx)
		if err != nil {
			return draftsFailedMsg{gen: gen, msgs: msgs, err: err}
		}
		page := newListPage(msgs)
		return draftsPageMsg{gen: gen, msgs: msgs, hay: page.hay, more: p.More()}
	}
}

// countCmd asks for the number of drafts. A failure is not worth a word:
// the count only decorates the title while the pages load.
func countCmd(ctx context.Context, mb Mailbox, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, countTimeout)
		defer cancel()
		n, err := mb.DraftCount(ctx)
		if err != nil {
			return nil
		}
		return draftCountMsg{gen: gen, n: n}
	}
}

// openCmd fetches one draft with its body.
func openCmd(ctx context.Context, mb Mailbox, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, openTimeout)
		defer cancel()
		m, err := mb.Message(ctx, id)
		if err != nil {
			return openFailedMsg{id: id, err: err}
		}
		return draftOpenedMsg{msg: m}
	}
}

// sendCmd records the send in the journal, then posts the draft once and classifies the
// answer. A send that cannot be recorded is not made.
func sendCmd(ctx context.Context, mb Mailbox, j Journal, d graph.Message, start time.Time) tea.Cmd {
	id := d.ID
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, sendTimeout)
		defer cancel()
		if err := j.Record(ctx, d, start); err != nil {
			return sendRefusedMsg{id: id, err: fmt.Errorf("the send could not be recorded first (%w)", err)}
		}
		err := mb.Send(ctx, id)
		switch {
		case err == nil:
			return sendAcceptedMsg{id: id}
		case graph.SendOutcomeUnclear(err):
			return sendUnclearMsg{id: id, err: err}
		}
		return sendRefusedMsg{id: id, err: err}
	}
}

// Results of reading and updating the send journal.
type (
	// pendingSendsMsg carries the sends an earlier run left unsettled.
	pendingSendsMsg struct {
		sends []PendingSend
		err   error
	}
	// journalFailedMsg says a settled send could not be removed from the journal.
	journalFailedMsg struct {
		id  string
		err error
	}
)

// pendingSendsCmd reads the sends an earlier run left unsettled.
func pendingSendsCmd(ctx context.Context, j Journal) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, journalTimeout)
		defer cancel()
		sends, err := j.Pending(ctx)
		if err == nil && len(sends) == 0 {
			return nil
		}
		return pendingSendsMsg{sends: sends, err: err}
	}
}

// settleCmd removes a send whose outcome is known from the journal.
func settleCmd(ctx context.Context, j Journal, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, journalTimeout)
		defer cancel()
		if err := j.Settle(ctx, id); err != nil {
			return journalFailedMsg{id: id, err: err}
		}
		return nil
	}
}

// reconcileCmd looks in Sent Items and Drafts after an unclear answer.
func reconcileCmd(ctx context.Context, mb Mailbox, draft graph.Message, since time.Time, sendErr error) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, reconcileTimeout)
		defer cancel()
		return reconciledMsg{id: draft.ID, result: mb.Reconcile(ctx, draft, since, sendErr)}
	}
}

// pollTick waits before look n in Sent Items. Update re-arms it after each
// look that finds nothing; to stop watching, it is simply not re-armed.
func pollTick(id string, n int, delay time.Duration) tea.Cmd {
	return tea.Tick(delay, func(time.Time) tea.Msg { return pollSentMsg{id: id, n: n} })
}

// lookCmd looks once in Sent Items for the copy of draft.
func lookCmd(ctx context.Context, mb Mailbox, draft graph.Message, since time.Time, n int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, lookTimeout)
		defer cancel()
		c, err := mb.FindSentCopy(ctx, draft, since)
		if c != nil {
			return sentFoundMsg{id: draft.ID, copy: *c}
		}
		return sentNotYetMsg{id: draft.ID, n: n, err: err}
	}
}

// sentListCmd lists the latest messages in Sent Items.
func sentListCmd(ctx context.Context, mb Mailbox, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, pageTimeout)
		defer cancel()
		msgs, err := mb.LatestSent(ctx, sentPageSize)
		if err != nil {
			return sentListFailedMsg{gen: gen, err: err}
		}
		return sentListedMsg{gen: gen, msgs: msgs}
	}
}
