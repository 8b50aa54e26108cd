package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// Timeouts of the requests the UI makes. A send that times out is an
// unclear outcome and is reconciled, never repeated.
const (
	pageTimeout    = 60 * time.Second
	countTimeout   = 15 * time.Second
	openTimeout    = 30 * time.Second
	journalTimeout = 15 * time.Second
)

// Results of loading the drafts list. gen tells a reload from an older one.
type (
	draftsPageMsg struct {
		gen  int
		page listPage // made rows off the UI's goroutine
		more bool
	}
	draftsFailedMsg struct {
		gen  int
		page listPage // what the failing page still delivered
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
			return draftsFailedMsg{gen: gen, page: newListPage(msgs), err: err}
		}
		return draftsPageMsg{gen: gen, page: newListPage(msgs), more: p.More()}
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
		if m.Kind == graph.KindReply {
			// A reply to all is told from a reply by its original's recipients.
			if orig, err := mb.Original(ctx, m); err == nil && orig != nil {
				m.Kind = graph.ReplyAllOf(m, *orig, m.From.Address)
			}
		}
		if m.HasAttachments || m.Kind == graph.KindForward {
			// The files, to name them; a failure leaves the preview saying only that there are.
			if atts, err := messageFiles(ctx, mb, m); err == nil {
				m.Attachments = atts
			}
		}
		return draftOpenedMsg{msg: m}
	}
}

// messageFiles lists a message's attachments; a forward's that came with the original are marked so
// (when the original cannot be found, none is marked: the names are still right).
func messageFiles(ctx context.Context, mb Mailbox, d graph.Message) ([]graph.Attachment, error) {
	atts, err := mb.Attachments(ctx, d.ID)
	if err != nil || d.Kind != graph.KindForward || len(atts) == 0 {
		return atts, err
	}
	if orig, err := mb.Original(ctx, d); err == nil && orig != nil && orig.HasAttachments {
		if from, err := mb.Attachments(ctx, orig.ID); err == nil {
			graph.MarkCarried(atts, from)
		}
	}
	return atts, nil
}

// pendingSendsMsg carries the sends an earlier run left unsettled in the journal, or the
// error that kept them from being read.
type pendingSendsMsg struct {
	entries []sending.Entry
	err     error
}

// pendingSendsCmd reads the sends an earlier run left unsettled.
func pendingSendsCmd(ctx context.Context, j sending.Journal) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, journalTimeout)
		defer cancel()
		entries, err := j.Pending(ctx)
		return pendingSendsMsg{entries: entries, err: err}
	}
}

// reconfirmMsg carries the new version of a draft that changed after it was confirmed, to
// show in the dialog again.
type reconfirmMsg struct{ msg graph.Message }

// reconfirmCmd fetches the draft again after the engine found it changed; a failure says
// nothing more than the status already does.
func reconfirmCmd(ctx context.Context, mb Mailbox, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, openTimeout)
		defer cancel()
		m, err := mb.Message(ctx, id)
		if err != nil {
			return nil
		}
		return reconfirmMsg{msg: m}
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
