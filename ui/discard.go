package ui

import (
	"context"
	"maps"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// Discarding a draft: like a send, it waits out the undo countdown (nothing is deleted until it
// ends, and u takes it back), then Graph's DELETE moves the draft to Deleted Items. The
// countdowns of sends and discards share the sends line and the undo keys: u takes back the
// latest of either. Quitting during a discard's countdown does not discard it.

// heldDiscard is a discard counting down.
type heldDiscard struct {
	draft graph.Message
	until time.Time
	seq   int
}

// heldItem is a countdown of either kind, for the sends line and the undo keys.
type heldItem struct {
	draft   graph.Message
	until   time.Time
	seq     int
	discard bool
	later   bool // a send later: the countdown ends in scheduling it, not sending it
	batch   int  // the batch of the send, or 0
	queued  bool // a send of a batch whose countdown is over, waiting for its turn
}

// Messages of a discard.
type (
	discardTickMsg struct {
		id  string
		seq int
	}
	discardedMsg struct {
		draft graph.Message
		err   error
	}
)

// heldItems are the countdowns running, sends' and discards', in the order they were started.
func (q sendQueue) heldItems() []heldItem {
	var out []heldItem
	for _, j := range q.jobs {
		if s := j.s; s.Phase == sending.Held {
			out = append(out, heldItem{draft: s.Draft, until: s.Until, seq: j.seq, later: !s.At.IsZero(), batch: j.batch, queued: q.isQueued(j)})
		}
	}
	for _, d := range q.discards {
		out = append(out, heldItem{draft: d.draft, until: d.until, seq: d.seq, discard: true})
	}
	slices.SortFunc(out, func(a, b heldItem) int { return a.seq - b.seq })
	return out
}

// discarding reports whether the draft is counting down to its discard.
func (q sendQueue) discarding(id string) bool {
	_, ok := q.discards[id]
	return ok
}

// discard starts the countdown of a discard (or discards at once when undo is off).
func (q sendQueue) discard(d graph.Message, now time.Time) (sendQueue, tea.Cmd) {
	if q.discarding(d.ID) || q.locks(d.ID) {
		return q, nil
	}
	q.seq++
	h := heldDiscard{draft: d, until: now.Add(q.opts.Undo), seq: q.seq}
	if q.opts.Undo <= 0 {
		return q, discardCmd(q.ctx, q.mb, d)
	}
	q.discards = maps.Clone(q.discards)
	if q.discards == nil {
		q.discards = map[string]heldDiscard{}
	}
	q.discards[d.ID] = h
	return q, q.after(min(q.opts.Undo, time.Second), discardTickMsg{id: d.ID, seq: h.seq})
}

// discardTicked counts a discard down, and deletes the draft when its countdown ends.
func (q sendQueue) discardTicked(msg discardTickMsg, now time.Time) (sendQueue, tea.Cmd) {
	h, ok := q.discards[msg.id]
	if !ok || h.seq != msg.seq {
		return q, nil // undone
	}
	if now.Before(h.until) {
		wait := h.until.Sub(now) % time.Second
		if wait == 0 {
			wait = min(h.until.Sub(now), time.Second)
		}
		return q, q.after(wait, msg)
	}
	q.discards = maps.Clone(q.discards)
	delete(q.discards, msg.id)
	return q, discardCmd(q.ctx, q.mb, h.draft)
}

// discardCmd deletes the draft against the version shown: a draft changed since is not deleted.
func discardCmd(ctx context.Context, mb Mailbox, d graph.Message) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, editTimeout)
		defer cancel()
		return discardedMsg{draft: d, err: mb.DeleteDraft(ctx, d.ID, graph.ETagOf(d.ChangeKey))}
	}
}

// startDiscard is d on a draft: its countdown starts; the sends line names it and its undo key.
func (m model) startDiscard(d graph.Message) (model, tea.Cmd) {
	if d.ID == "" || m.sendLocked(d.ID) || m.sends.discarding(d.ID) {
		return m, nil
	}
	var cmd tea.Cmd
	m.sends, cmd = m.sends.discard(d, m.now())
	m.status = status{}
	return m, cmd
}

// discarded says where the draft went, and shows the list without it.
func (m model) discarded(msg discardedMsg) (model, tea.Cmd) {
	q := quoted(msg.draft)
	switch {
	case msg.err == nil:
		m.status = success(q + " was moved to Deleted Items")
	case graph.IsConflict(msg.err):
		m.status = warning(q + " was changed elsewhere since it was shown; it was not discarded. Look at it again")
	case graph.IsNotFound(msg.err):
		m.status = warning(q + " was already gone from Drafts (sent or deleted elsewhere)")
	default:
		m.status = failure("Not discarded: " + graph.Describe(msg.err))
	}
	return m.reload()
}
