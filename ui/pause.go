package ui

import (
	"maps"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/sending"
)

// While the editor has the terminal nobody sees the countdowns, so they stop, and go on from
// where they were when the screen comes back: the undo the screen promised is still there. (A
// send already on its way goes on: its outcome is waiting when the screen returns.)

// pausedFor is how far a paused countdown is pushed; it is moved back when the editor closes.
const pausedFor = 24 * time.Hour

// pause stops every countdown — sends held or waiting their turn in a batch, discards — and
// returns what each had left, by draft id. Their ticks on the way are dropped (new numbers).
func (q sendQueue) pause(now time.Time) (sendQueue, map[string]time.Duration) {
	left := map[string]time.Duration{}
	for id, j := range q.jobs {
		if j.s.Phase != sending.Held {
			continue
		}
		left[id] = max(j.s.Until.Sub(now), 0)
		j.s, _ = j.s.Reschedule(now.Add(pausedFor), now)
		q.restamp(j)
	}
	if len(q.discards) > 0 {
		q.discards = maps.Clone(q.discards)
		for id, h := range q.discards {
			left[id] = max(h.until.Sub(now), 0)
			q.seq++
			h.until, h.seq = now.Add(pausedFor), q.seq
			q.discards[id] = h
		}
	}
	return q, left
}

// resume starts the countdowns pause stopped again, each with what it had left.
func (q sendQueue) resume(left map[string]time.Duration, now time.Time) (sendQueue, tea.Cmd) {
	var cmds []tea.Cmd
	for id, d := range left {
		if j, ok := q.jobs[id]; ok && j.s.Phase == sending.Held {
			var a sending.Action
			j.s, a = j.s.Reschedule(now.Add(d), now)
			cmds = append(cmds, q.putJob(j, a, now))
			continue
		}
		if h, ok := q.discards[id]; ok {
			q.discards = maps.Clone(q.discards)
			q.seq++
			h.until, h.seq = now.Add(d), q.seq
			q.discards[id] = h
			cmds = append(cmds, q.after(min(d, time.Second), discardTickMsg{id: id, seq: h.seq}))
		}
	}
	return q, tea.Batch(cmds...)
}

// restamp stores a job under a new number, without an action: its answers on the way are
// dropped.
func (q *sendQueue) restamp(j sendJob) {
	q.seq++
	j.seq = q.seq
	q.jobs = maps.Clone(q.jobs)
	q.jobs[j.s.Draft.ID] = j
}
