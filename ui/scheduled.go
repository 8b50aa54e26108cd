package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// A send later waits in the Outbox, listed at the top of Sent Items. There, x takes it back to
// Drafts (it is not sent; its send time is taken off), and S reschedules it: it is taken back,
// then the send-later prompt asks for the new time, and the draft goes through the send engine
// again. A message whose time came meanwhile has gone out: it is no longer in the Outbox, and
// the status says so.

// scheduledCancelledMsg is what came of taking a scheduled send back.
type scheduledCancelledMsg struct {
	orig       graph.Message // as it was listed in the Outbox
	draft      graph.Message // back in Drafts (its new id), when the move worked
	err        error
	reschedule bool
}

// cancelScheduled takes the selected send later back to Drafts, and asks for a new time when
// reschedule is set.
func (m model) cancelScheduled(reschedule bool) (model, tea.Cmd) {
	sel, ok := m.sent.list.selected()
	if !ok || !sel.IsScheduled(m.now()) {
		return m, nil
	}
	m.status = info("Taking " + quoted(sel) + " back to Drafts…").working()
	ctx, mb := m.ctx, m.mb
	return m, tea.Batch(m.spinner.Tick, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, editTimeout)
		defer cancel()
		d, err := mb.CancelScheduled(ctx, sel.ID)
		return scheduledCancelledMsg{orig: sel, draft: d, err: err, reschedule: reschedule}
	})
}

// scheduledCancelled says what came of it, lists Drafts and Sent Items again, and opens the
// send-later prompt for a reschedule.
func (m model) scheduledCancelled(msg scheduledCancelledMsg) (model, tea.Cmd) {
	q := quoted(msg.orig)
	switch {
	case graph.IsNotFound(msg.err):
		m.status = warning(q + " is no longer in the Outbox: its time came and it went out, or it was deleted elsewhere (see Sent Items)")
		return m, m.loadSent()
	case msg.err != nil && msg.draft.ID == "":
		m.status = failure("Not cancelled: " + graph.Describe(msg.err) + "; " + q + " is still scheduled")
		return m, m.loadSent()
	case msg.err != nil:
		m.status = warning(q + " is back in Drafts and will not be sent, but " + msg.err.Error())
	default:
		m.status = success(q + " is back in Drafts: it will not be sent")
	}
	m.selectAfterLoad = msg.draft.ID
	m, reload := m.reload()
	sent := m.loadSent()
	if !msg.reschedule || msg.err != nil {
		return m, tea.Batch(reload, sent)
	}
	m.setView(stateList)
	m, ask := m.askWhen(msg.draft)
	if p, ok := m.top().(whenPrompt); ok {
		p.left = "Not rescheduled: " + q + " is back in Drafts, not scheduled and not sent"
		m.setTop(p)
		m.status = info(q + " was taken out of the Outbox: choose its new time, or esc to leave it in Drafts")
	}
	return m, tea.Batch(reload, sent, ask)
}
