package ui

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// backgroundWatch is how long after the deadline Sent Items is still watched, every few
// seconds, for a send Outlook accepted.
const backgroundWatch = 15 * time.Minute

// sendQueue is the screen's driver of the send engine (graph/sending): it owns every send of
// the run — held in their undo countdown, in flight, watched, or settled — and turns the
// engine's actions into commands (tea.Tick for waits, Perform for requests). It is the one
// place that knows which send 'u' takes back.
type sendQueue struct {
	ctx     context.Context
	mb      Mailbox
	journal sending.Journal
	opts    sending.Options

	jobs map[string]sendJob // by draft id; copied on write, so an older model keeps its own
	seq  int                // numbers the jobs, so a late answer for an earlier send of the same draft is dropped
	// batchSeq numbers the batches of sends confirmed together; batches is how far each is
	// (sendbatch.go), copied on write.
	batchSeq int
	batches  map[int]batchInfo
	// elsewhere are the sends another drafts process, still running, has in flight (from the
	// journal): their drafts may not be sent here.
	elsewhere map[string]sending.Entry
	// discards are drafts to discard when their countdown ends (discard.go).
	discards map[string]heldDiscard

	// after delivers msg after d: tea.Tick (tests deliver at once and hold the countdown's
	// ticks until they move their clock).
	after func(d time.Duration, msg tea.Msg) tea.Cmd
}

// sendJob is one send and the number that tells its answers from an earlier send's.
type sendJob struct {
	s     sending.Send
	seq   int
	batch int // the batch it belongs to (sendbatch.go), or 0
}

// sendStepMsg is what came of a send's action: an answer, or the end of a wait.
type sendStepMsg struct {
	id   string
	seq  int
	ans  sending.Answer
	tick bool // the end of a wait (a countdown's second, Retry-After, a poll delay)
}

// sendEvent tells the root what a step changed, so that it can say so and refresh.
type sendEvent struct {
	before, after sending.Send
	batch         int // the send's batch, or 0
}

func newSendQueue(ctx context.Context, mb Mailbox, j sending.Journal, o sending.Options) sendQueue {
	if o.Pacer == nil {
		o.Pacer = &sending.Pacer{} // every POST of the run shares the mailbox's pace
	}
	return sendQueue{ctx: ctx, mb: mb, journal: j, opts: o, jobs: map[string]sendJob{}, after: tick}
}

// tick is tea.Tick delivering msg.
func tick(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// job returns the send of a draft, if there is one.
func (q sendQueue) job(id string) (sending.Send, bool) {
	j, ok := q.jobs[id]
	return j.s, ok
}

// locks reports whether the draft may not be sent now: a send of it is held, on its way, or
// went through.
func (q sendQueue) locks(id string) bool {
	if _, ok := q.elsewhere[id]; ok {
		return true
	}
	s, ok := q.job(id)
	return ok && s.Locks()
}

// sendingElsewhere reports whether another drafts process has a send of the draft in flight.
func (q sendQueue) sendingElsewhere(id string) bool {
	_, ok := q.elsewhere[id]
	return ok
}

// takeJournal takes what the journal says: sends an earlier run left (settled here, never
// sent again) and sends another process has in flight now (their drafts are locked).
func (q sendQueue) takeJournal(entries []sending.Entry, now time.Time) (sendQueue, tea.Cmd) {
	var cmds []tea.Cmd
	q.elsewhere = map[string]sending.Entry{}
	for _, e := range entries {
		if e.Live {
			if _, ours := q.jobs[e.DraftID]; !ours {
				q.elsewhere[e.DraftID] = e
			}
			continue
		}
		var cmd tea.Cmd
		q, cmd = q.recover(e, now)
		cmds = append(cmds, cmd)
	}
	return q, tea.Batch(cmds...)
}

// put stores a send under a new number and returns the command for its action.
func (q *sendQueue) put(s sending.Send, a sending.Action, now time.Time) tea.Cmd {
	return q.putJob(sendJob{s: s}, a, now)
}

// putJob stores a job under a new number and returns the command for its action.
func (q *sendQueue) putJob(j sendJob, a sending.Action, now time.Time) tea.Cmd {
	j = q.restamp(j)
	return q.drive(j.s, j.seq, a, now)
}

// start begins the send of a confirmed draft (at: zero to send now): its countdown, or its
// first request when undo is off.
func (q sendQueue) start(d graph.Message, at, now time.Time) (sendQueue, tea.Cmd) {
	if q.locks(d.ID) {
		return q, nil
	}
	s, a := sending.New(d, at, now, q.opts)
	cmd := q.put(s, a, now)
	return q, cmd
}

// recover settles a send an earlier run left in the journal: looked for, never sent again.
func (q sendQueue) recover(e sending.Entry, now time.Time) (sendQueue, tea.Cmd) {
	if _, ok := q.jobs[e.DraftID]; ok || e.DraftID == "" {
		return q, nil
	}
	s, a := sending.Recover(e, q.opts)
	cmd := q.put(s, a, now)
	return q, cmd
}

// step takes what came of a send's action and starts the next one.
func (q sendQueue) step(msg sendStepMsg, now time.Time) (sendQueue, tea.Cmd, *sendEvent) {
	j, ok := q.jobs[msg.id]
	if !ok || j.seq != msg.seq {
		return q, nil, nil // undone, or a later send of the same draft
	}
	before := j.s
	s, a := j.s.Step(msg.ans, now)
	j.s = s
	q.jobs = maps.Clone(q.jobs)
	q.jobs[msg.id] = j
	q.noteBatch(j.batch, before.Phase, s.Phase)
	return q, q.drive(s, j.seq, a, now), &sendEvent{before: before, after: s, batch: j.batch}
}

// drive turns an action into a command. A countdown ticks at each whole second, so the
// number on screen is never stale.
func (q sendQueue) drive(s sending.Send, seq int, a sending.Action, now time.Time) tea.Cmd {
	id := s.Draft.ID
	switch a.Kind {
	case sending.None:
		return nil
	case sending.Wait:
		d := a.Wait
		if s.Phase == sending.Held {
			if r := s.Until.Sub(now) % time.Second; r > 0 {
				d = min(d, r)
			} else {
				d = min(d, time.Second)
			}
		}
		return q.after(d, sendStepMsg{id: id, seq: seq, ans: sending.Tick, tick: true})
	}
	ctx, mb, j := q.ctx, q.mb, q.journal
	return func() tea.Msg {
		return sendStepMsg{id: id, seq: seq, ans: sending.Perform(ctx, mb, j, s, a, now)}
	}
}

// held returns the sends counting down, in the order they were confirmed (the latest last): not
// the sends of a batch waiting for their turn once its countdown is over (queued).
func (q sendQueue) held() []sending.Send {
	var out []sendJob
	for _, j := range q.jobs {
		if j.s.Phase == sending.Held && !q.isQueued(j) {
			out = append(out, j)
		}
	}
	slices.SortFunc(out, func(a, b sendJob) int { return a.seq - b.seq })
	s := make([]sending.Send, len(out))
	for i, j := range out {
		s[i] = j.s
	}
	return s
}

// undo takes back the latest countdown, a send's or a discard's (the one the sends line names);
// for a batch, every send of it still waiting. It returns how many sends it took back.
func (q sendQueue) undo(now time.Time) (sendQueue, heldItem, int) {
	h := q.heldItems()
	if len(h) == 0 {
		return q, heldItem{}, 0
	}
	last := h[len(h)-1]
	if last.discard {
		q.discards = maps.Clone(q.discards)
		delete(q.discards, last.draft.ID)
		return q, last, 1
	}
	n := 0
	for _, it := range h {
		if !it.discard && (it.draft.ID == last.draft.ID || last.batch != 0 && it.batch == last.batch) {
			var ok bool
			if q, _, ok = q.undoOne(it.draft.ID, now); ok {
				n++
			}
		}
	}
	return q, last, n
}

func (q sendQueue) undoOne(id string, now time.Time) (sendQueue, sending.Send, bool) {
	j := q.jobs[id]
	s, ok := j.s.Undo(now)
	if !ok {
		return q, s, false
	}
	j.s = s
	q.jobs = maps.Clone(q.jobs)
	q.jobs[id] = j
	q.noteBatch(j.batch, sending.Held, s.Phase)
	return q, s, true
}

// undoAll takes back every countdown, sends' and discards', and the sends of a batch waiting
// for their turn, and returns how many.
func (q sendQueue) undoAll(now time.Time) (sendQueue, int) {
	n := len(q.discards)
	items := q.heldItems() // before the discards are dropped: they are counted above
	q.discards = nil
	for _, h := range items {
		if h.discard {
			continue
		}
		var ok bool
		if q, _, ok = q.undoOne(h.draft.ID, now); ok {
			n++
		}
	}
	return q, n
}

// unsettled returns the sends whose outcome quitting now would leave unknown, by subject.
func (q sendQueue) unsettled() []sending.Send {
	var out []sending.Send
	for _, j := range q.jobs {
		if j.s.Unsettled() {
			out = append(out, j.s)
		}
	}
	slices.SortFunc(out, func(a, b sending.Send) int { return strings.Compare(subjectOf(a.Draft), subjectOf(b.Draft)) })
	return out
}

// busy reports whether a send is in flight, to keep the spinner going.
func (q sendQueue) busy() bool {
	for _, j := range q.jobs {
		if j.s.Unsettled() || j.s.Phase == sending.Pacing {
			return true
		}
	}
	return false
}

// forgetGone drops final sends whose drafts are no longer listed.
func (q *sendQueue) forgetGone(listed func(id string) bool) {
	q.jobs = maps.Clone(q.jobs)
	maps.DeleteFunc(q.jobs, func(id string, j sendJob) bool {
		return j.s.Phase.Final() && j.s.Phase != sending.Pending && !listed(id)
	})
}

// forgetEdited forgets a send of draft id that ended not sent (or taken back) before the draft
// was changed (modified, a stamp): its "✗ not sent" is about a version that is gone. (A send
// that ended Changed stays: the new version is offered to confirm again.)
func (q *sendQueue) forgetEdited(id string, modified int64) {
	j, ok := q.jobs[id]
	if !ok || j.s.Phase != sending.NotSent && j.s.Phase != sending.Undone || modified <= stamp(j.s.Ended) {
		return
	}
	q.jobs = maps.Clone(q.jobs)
	delete(q.jobs, id)
}

// countdown says what is held and which keys take it back; keys is how the undo keys read in
// the current state ("" when the state's own keys say it, as the quit question does).
func (q sendQueue) countdown(now time.Time, undoKey, allKey string) string {
	h := q.heldItems()
	if len(h) == 0 {
		return ""
	}
	left := func(it heldItem) int { return max(int((it.until.Sub(now)+time.Second-1)/time.Second), 0) }
	last := h[len(h)-1]
	if last.batch != 0 && !slices.ContainsFunc(h, func(it heldItem) bool { return it.batch != last.batch }) {
		return q.batchLine(last.batch, now, undoKey)
	}
	verb := "Sending"
	switch {
	case last.discard:
		verb = "Discarding"
	case last.later:
		verb = "Scheduling"
	}
	if len(h) == 1 {
		s := fmt.Sprintf("%s %s in %d s", verb, quoted(last.draft), left(last))
		if undoKey != "" {
			s += " — " + undoKey + " undo"
		}
		return s
	}
	s := fmt.Sprintf("%d sends counting down; %s in %d s", len(h), quoted(last.draft), left(last))
	if len(q.discards) > 0 || last.later {
		s = fmt.Sprintf("%d countdowns; %s %s in %d s", len(h), strings.ToLower(verb), quoted(last.draft), left(last))
	}
	if undoKey != "" {
		s += " — " + undoKey + " undoes it"
	}
	if allKey != "" {
		s += ", " + allKey + " undoes all"
	}
	return s
}

// progress says what the sends in flight are doing, in one line.
func (q sendQueue) progress() string {
	un := q.unsettled()
	if len(un) == 0 {
		return ""
	}
	s := un[0]
	var line string
	switch s.Phase {
	case sending.Verifying, sending.Clearing, sending.Deferring, sending.Pacing, sending.Recording:
		line = "Sending " + quoted(s.Draft) + "…"
	case sending.Posting:
		line = "Sending " + quoted(s.Draft) + "…"
	case sending.Throttled:
		line = "Outlook is busy; sending " + quoted(s.Draft) + " again in a moment…"
	case sending.Checking, sending.CheckingDraft, sending.CheckingDeleted:
		if s.Recovered {
			line = "Checking an interrupted send (" + quoted(s.Draft) + ") in Sent Items…"
		} else {
			line = "Looking in Sent Items and Drafts: the answer to the send of " + quoted(s.Draft) + " was unclear…"
		}
	case sending.Looking:
		if !s.At.IsZero() {
			line = "Scheduled " + quoted(s.Draft) + "; checking that Exchange has it…"
		} else if s.Reconciled {
			// The answer to the POST was unclear; the draft has left Drafts since.
			line = quoted(s.Draft) + " has left Drafts; waiting for its copy in Sent Items…"
		} else {
			line = "Sent " + quoted(s.Draft) + ", waiting for Sent Items…"
		}
	case sending.Resetting:
		line = "Not scheduled: taking the send time off " + quoted(s.Draft) + "…"
	}
	if len(un) > 1 {
		line += fmt.Sprintf(" (and %d more)", len(un)-1)
	}
	return line
}
