package sending

import (
	"sync"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// Sending several drafts at once. Exchange Online accepts at most 30 messages a minute from a
// mailbox ("Message rate limit", Exchange Online limits,
// https://learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits#sending-limits-1);
// past it, messages wait in the Outbox or are refused. So a batch shares one countdown and then
// posts one draft every Pace, in order: each is an ordinary send (its own verify, journal entry,
// POST and watch), whose countdown simply ends Pace later than the one before. Until a send's
// turn comes it is Held, so Undo still takes it back: undoing a batch half-way stops the rest,
// which stay drafts.

// MessagesPerMinute is Exchange Online's message rate limit for one mailbox.
const MessagesPerMinute = 30

// Pace is the time between the turns of two sends of a batch. A turn starts the send's own
// steps (verify, journal record), then its POST; those take a varying time, so the POSTs are
// not exactly a Pace apart. 2.5 s is 24 turns a minute: the 6 turns to spare absorb 15 s of
// such variation in a minute, far more than two requests take, so the POSTs stay under
// Exchange's 30 a minute. (A 429 all the same is waited out and posted again, as any.)
const Pace = 2500 * time.Millisecond

// Batch starts the sends of several confirmed drafts (send now): the first's countdown is
// o.Undo, each next one's Pace longer. With no countdown the first goes at once. notBefore, if
// set, is the earliest first turn (the turn after those of another batch still waiting: the
// pace is the mailbox's, not the batch's). A draft that cannot be sent (no recipients) ends
// NotSent at once and takes no turn.
func Batch(ds []graph.Message, now, notBefore time.Time, o Options) ([]Send, []Action) {
	sends, actions := make([]Send, len(ds)), make([]Action, len(ds))
	first := o.Undo
	if d := notBefore.Sub(now); d > first {
		first = d
	}
	turn := 0
	for i, d := range ds {
		oi := o
		oi.Undo = first + time.Duration(turn)*Pace
		sends[i], actions[i] = New(d, time.Time{}, now, oi)
		if sends[i].Active() {
			turn++
		}
	}
	return sends, actions
}

// Pacer gives out the slots of a mailbox's POSTs, Pace apart. The zero Pacer is ready; a nil
// one gives every POST its slot at once. It is safe for concurrent use.
type Pacer struct {
	mu   sync.Mutex
	next time.Time // the first free slot
}

// Reserve takes the first free slot for a POST wanted at now and returns how long to wait for it.
func (p *Pacer) Reserve(now time.Time) time.Duration {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	at := now
	if p.next.After(at) {
		at = p.next
	}
	p.next = at.Add(Pace)
	return at.Sub(now)
}
