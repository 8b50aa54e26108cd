package ui

import (
	"fmt"
	"maps"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// Sending the marked drafts as one batch (sending.Batch): one countdown for all, then one POST
// every sending.Pace, each draft an ordinary send of the queue. A send of a batch whose
// countdown is over but whose turn has not come is queued: still Held, so u takes it back with
// the rest of its batch ("u stops the rest"), but quitting does not ask to send it now — it
// says that it stays a draft.

// paceText is sending.Pace as the screen says it.
var paceText = fmt.Sprintf("%.1f s", sending.Pace.Seconds())

// startBatch begins the sends of the drafts confirmed together, and returns those it left out:
// drafts whose send or discard began while the dialog was open.
func (q sendQueue) startBatch(ds []graph.Message, now time.Time) (sendQueue, tea.Cmd, []graph.Message) {
	var out []graph.Message
	ds = slices.DeleteFunc(slices.Clone(ds), func(d graph.Message) bool {
		busy := q.locks(d.ID) || q.discarding(d.ID)
		if busy {
			out = append(out, d)
		}
		return busy
	})
	if len(ds) == 0 {
		return q, nil, out
	}
	q.batchSeq++
	b := q.batchSeq
	q.batches = maps.Clone(q.batches)
	if q.batches == nil {
		q.batches = map[int]batchInfo{}
	}
	q.batches[b] = batchInfo{total: len(ds)}
	var notBefore time.Time
	if last := q.lastTurn(); !last.IsZero() {
		notBefore = last.Add(sending.Pace) // after another batch's turns: one pace for the mailbox
	}
	sends, actions := sending.Batch(ds, now, notBefore, q.opts)
	cmds := make([]tea.Cmd, len(sends))
	for i := range sends {
		cmds[i] = q.putJob(sendJob{s: sends[i], batch: b}, actions[i], now)
		q.noteBatch(b, sending.Held, sends[i].Phase) // with no countdown, the first is on its way
	}
	return q, tea.Batch(cmds...), out
}

// batchInfo is how far a batch is. It is kept apart from the jobs: a send that ended is
// forgotten once its draft leaves the list.
type batchInfo struct {
	total        int
	started      bool // a send of it left the countdown: the others are queued
	sent, failed int  // sends accepted by Outlook; sends that ended not sent or unknown
	// How the sends ended (batchend.go): in Sent Items, accepted but not seen, unknown (also
	// counted in failed), stopped by u.
	seen, late, unknown, stopped int
}

// noteBatch takes a send of batch b from phase before to after into the batch's progress.
func (q *sendQueue) noteBatch(b int, before, after sending.Phase) {
	info, ok := q.batches[b]
	if b == 0 || !ok || before == after {
		return
	}
	accepted := func(p sending.Phase) bool {
		return p == sending.Looking || p == sending.Late || p == sending.Sent || p == sending.Pending
	}
	failed := func(p sending.Phase) bool {
		return p == sending.NotSent || p == sending.Changed || p == sending.Unknown
	}
	info.started = info.started || before == sending.Held && after != sending.Undone
	if accepted(after) && !accepted(before) {
		info.sent++
	}
	if failed(after) && !failed(before) {
		info.failed++
	}
	info = info.ended(before, after)
	q.batches = maps.Clone(q.batches)
	q.batches[b] = info
}

// isQueued reports whether a held send of a batch waits for its turn: its batch's countdown is
// over.
func (q sendQueue) isQueued(j sendJob) bool {
	return j.batch != 0 && j.s.Phase == sending.Held && q.batches[j.batch].started
}

// queued returns the sends waiting for their turn: in a batch, or for the mailbox's next slot
// (Pacing: nothing recorded or posted yet). Quitting leaves them drafts; the quit question says
// so, and "send now" waits for them.
func (q sendQueue) queued() []sending.Send {
	var out []sending.Send
	for _, j := range q.jobs {
		if q.isQueued(j) || j.s.Phase == sending.Pacing {
			out = append(out, j.s)
		}
	}
	slices.SortFunc(out, func(a, b sending.Send) int { return a.Until.Compare(b.Until) })
	return out
}

// heldBatches are the batches with a send still counting down or waiting its turn.
func (q sendQueue) heldBatches() []int {
	var out []int
	for _, j := range q.jobs {
		if j.batch != 0 && j.s.Phase == sending.Held && !slices.Contains(out, j.batch) {
			out = append(out, j.batch)
		}
	}
	slices.Sort(out)
	return out
}

// queuedHeld is how many sends of a batch wait for their turn still counting down: u takes them
// back (a send waiting for the mailbox's slot is past that).
func (q sendQueue) queuedHeld() int {
	n := 0
	for _, j := range q.jobs {
		if q.isQueued(j) {
			n++
		}
	}
	return n
}

// lastTurn is the time of the last turn given to a send of a batch still waiting, or zero.
func (q sendQueue) lastTurn() time.Time {
	var last time.Time
	for _, j := range q.jobs {
		if j.batch != 0 && j.s.Phase == sending.Held && j.s.Until.After(last) {
			last = j.s.Until
		}
	}
	return last
}

// releaseAll ends every countdown now ("send now" when quitting): a single send goes at once; a
// batch's first goes at once and the others take their turns from now, a Pace apart (the
// batches' sends one after another), so the rate Exchange allows holds.
func (q sendQueue) releaseAll(now time.Time) (sendQueue, tea.Cmd) {
	var cmds []tea.Cmd
	base := now // the first turn: now, or after the turns of a batch already under way
	for _, j := range q.jobs {
		if q.isQueued(j) && !j.s.Until.Add(sending.Pace).Before(base) {
			base = j.s.Until.Add(sending.Pace)
		}
	}
	turns := 0 // the turns given so far, over every batch
	for _, h := range q.held() {
		j := q.jobs[h.Draft.ID]
		// A new number (putJob): the countdown's tick already on its way belongs to the old one
		// and is dropped, or it would be taken for the answer to the next request (a Record's
		// "done" read as a POST's) and drive the send out of order.
		var a sending.Action
		if at := base.Add(time.Duration(turns) * sending.Pace); j.batch != 0 && at.After(now) {
			j.s, a = j.s.Reschedule(at, now)
		} else {
			j.s, a = j.s.Release()
		}
		if j.batch != 0 {
			turns++
		}
		cmds = append(cmds, q.putJob(j, a, now))
		q.noteBatch(j.batch, sending.Held, j.s.Phase)
	}
	return q, tea.Batch(cmds...)
}

// batchLine is the sends line of a batch b whose sends still wait: its countdown, or how far it
// is and when the next goes.
func (q sendQueue) batchLine(b int, now time.Time, undoKey string) string {
	info := q.batches[b]
	var next time.Time
	for _, j := range q.jobs {
		if j.batch == b && j.s.Phase == sending.Held && (next.IsZero() || j.s.Until.Before(next)) {
			next = j.s.Until
		}
	}
	left := max(int((next.Sub(now)+time.Second-1)/time.Second), 0)
	sent, failed, total := info.sent, info.failed, info.total
	if !info.started {
		s := fmt.Sprintf("Sending %s drafts in %d s", thousands(total), left)
		if undoKey != "" {
			s += " — " + undoKey + " undo"
		}
		return s
	}
	s := thousands(sent) + " of " + thousands(total) + " sent"
	if failed > 0 {
		s += ", " + thousands(failed) + " not sent"
	}
	s += fmt.Sprintf(" · next in %d s", left)
	if undoKey != "" {
		s += " — " + undoKey + " stops the rest"
	}
	return s
}
