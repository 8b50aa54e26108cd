package ui

import (
	"maps"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/sending"
)

// While the editor has the terminal nobody sees the countdowns, so they stop, and go on from
// where they were when the screen comes back: the undo the screen promised is still there. (A
// send already on its way goes on: its outcome is waiting when the screen returns.)

// pausedFor is how far a paused countdown is pushed; it is moved back when the editor closes.
const pausedFor = 24 * time.Hour

// pausedCountdown is a countdown stopped while the editor runs, and what it had left.
type pausedCountdown struct {
	id   string
	left time.Duration
}

// pause stops every countdown — sends held or waiting their turn in a batch, discards — and
// returns them with what each had left, in the order they were started (so that resume keeps
// which one is the latest, the one u takes back). Their ticks on the way are dropped.
func (q sendQueue) pause(now time.Time) (sendQueue, []pausedCountdown) {
	items := q.heldItems() // in the order they were started
	out := make([]pausedCountdown, 0, len(items))
	for _, it := range items {
		out = append(out, pausedCountdown{id: it.draft.ID, left: max(it.until.Sub(now), 0)})
		if it.discard {
			q.discards = maps.Clone(q.discards)
			q.seq++
			h := q.discards[it.draft.ID]
			h.until, h.seq = now.Add(pausedFor), q.seq
			q.discards[it.draft.ID] = h
			continue
		}
		j := q.jobs[it.draft.ID]
		j.s, _ = j.s.Reschedule(now.Add(pausedFor), now)
		q.restamp(j)
	}
	return q, out
}

// resume starts the countdowns pause stopped again, each with what it had left, in the order
// they were started.
func (q sendQueue) resume(paused []pausedCountdown, now time.Time) (sendQueue, tea.Cmd) {
	var cmds []tea.Cmd
	for _, p := range slices.Clone(paused) {
		if j, ok := q.jobs[p.id]; ok && j.s.Phase == sending.Held {
			var a sending.Action
			j.s, a = j.s.Reschedule(now.Add(p.left), now)
			cmds = append(cmds, q.putJob(j, a, now))
			continue
		}
		if h, ok := q.discards[p.id]; ok {
			q.discards = maps.Clone(q.discards)
			q.seq++
			h.until, h.seq = now.Add(p.left), q.seq
			q.discards[p.id] = h
			cmds = append(cmds, q.after(min(p.left, time.Second), discardTickMsg{id: p.id, seq: h.seq}))
		}
	}
	return q, tea.Batch(cmds...)
}

// restamp stores a job under a new number, without an action (its answers on the way are
// dropped), and returns it.
func (q *sendQueue) restamp(j sendJob) sendJob {
	q.seq++
	j.seq = q.seq
	q.jobs = maps.Clone(q.jobs)
	q.jobs[j.s.Draft.ID] = j
	return j
}
