package sending

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// Send is one send: the draft as confirmed, where it stands, and what is known. It is a value;
// Step returns the next one.
type Send struct {
	// Draft is the draft as the user confirmed it: its id, changeKey, and the
	// internetMessageId and conversationId its copy is found by.
	Draft graph.Message
	// At is when a send later goes out; zero for a send now.
	At time.Time
	// Phase is where the send stands.
	Phase Phase
	// Until is when a Held countdown ends.
	Until time.Time
	// Start is when the first POST was made (copies are looked for from then on).
	Start time.Time
	// Ended is when the send reached its final phase.
	Ended time.Time
	// Err is the refusal (NotSent, Changed), or the unclear answer to the POST that was settled
	// by looking (Reconciled).
	Err error
	// LookErr is what kept the engine from looking in Sent Items or Drafts.
	LookErr error
	// ForgetErr is why the journal entry could not be removed once the outcome was known.
	ForgetErr error
	// ResetErr is why a send later that did not go out still has its send time on the draft
	// (taking it off failed): sent from Outlook, Exchange would hold it until then.
	ResetErr error
	// Reconciled is true when the outcome was established by looking, not by the answer.
	Reconciled bool
	// Recovered is true for a send a previous run left in the journal.
	Recovered bool
	// InDrafts is true when looking found the draft still in Drafts.
	InDrafts bool
	// Looks counts the looks in Sent Items (or Drafts, for a send later) after the POST.
	Looks int
	// Posts counts the POSTs made (more than one only after a 429).
	Posts int
	// Copy is the sent copy found in Sent Items (Sent).
	Copy *graph.Message
	// Now is the draft's state on the server when it was found Changed.
	Now graph.DraftState

	opts     Options
	pending  ActionKind // the action whose Answer is awaited
	recorded bool       // the journal has its entry (Record answered done)
}

// New starts the send of a confirmed draft (at: zero to send now, else the time of a send
// later). The first action is the countdown's Wait, or Verify when there is no countdown.
func New(d graph.Message, at time.Time, now time.Time, o Options) (Send, Action) {
	s := Send{Draft: d, At: at, opts: o.withDefaults()}
	if len(d.Recipients()) == 0 {
		return s.final(NotSent, ErrNoRecipients, now) // a send that cannot succeed is not made
	}
	if s.opts.Undo > 0 {
		s.Phase, s.Until = Held, now.Add(s.opts.Undo)
		return s.do(Action{Kind: Wait, Wait: s.opts.Undo})
	}
	return s.verify()
}

// Recover resumes a send a previous run recorded and never settled: it is looked for in Sent
// Items (a send later: in Drafts), never posted again.
func Recover(e Entry, o Options) (Send, Action) {
	s := Send{Draft: e.Draft(), At: e.At, Start: e.Started, Phase: Checking, Err: ErrInterrupted,
		Reconciled: true, Recovered: true, Posts: 1, opts: o.withDefaults()}
	return s.check()
}

// Active reports whether the send is on its way: held, in flight, or watched.
func (s Send) Active() bool { return !s.Phase.Final() }

// Unsettled reports whether quitting now would leave the user not knowing what happened: the
// POST is in flight or its answer is being checked, or the copy is still awaited.
func (s Send) Unsettled() bool {
	return s.Phase >= Verifying && s.Phase <= Looking || s.Phase == Resetting
}

// Posted reports whether a POST has been made (or may have been).
func (s Send) Posted() bool { return s.Posts > 0 }

// Locks reports whether the draft may not be sent again: its send is on its way or went
// through. Only a send that certainly did not go out, or whose outcome is unknown, frees it.
func (s Send) Locks() bool {
	switch s.Phase {
	case NotSent, Changed, Unknown, Undone:
		return false
	}
	return true
}

// Undo takes back a send still counting down. It reports false (and changes nothing) once the
// countdown is over.
func (s Send) Undo(now time.Time) (Send, bool) {
	if s.Phase != Held {
		return s, false
	}
	s.Phase, s.Ended, s.pending = Undone, now, None
	return s, true
}

// Release ends a countdown at once ("send now" when quitting): the next action is Verify.
func (s Send) Release() (Send, Action) {
	if s.Phase != Held {
		return s, Action{}
	}
	return s.verify()
}

// Reschedule moves the end of a countdown to until (a send of a batch given its turn when the
// user chose to send now): the next action is the Wait to it. A send not Held is returned
// unchanged with no action.
func (s Send) Reschedule(until, now time.Time) (Send, Action) {
	if s.Phase != Held {
		return s, Action{}
	}
	s.Until = until
	return s.do(Action{Kind: Wait, Wait: max(until.Sub(now), 0)})
}

// Interrupt ends a wait that will not be finished (the user quit, Ctrl-C): a countdown is not
// sent; a throttled send, which Graph did not process, is not sent; a watch for the copy ends
// Pending; the settle wait after an unclear answer ends Unknown (kept, checked at the next
// start). Other phases are not waits: the send is returned unchanged with no action, and is
// still on its way (Active) — the caller must not take that for an end.
func (s Send) Interrupt(now time.Time) (Send, Action) {
	switch s.Phase {
	case Held:
		s, _ = s.Undo(now)
		return s, Action{}
	case Throttled:
		return s.notSent(now) // Graph did nothing with a throttled POST
	case Pacing:
		s.Err = ErrStoppedWaiting
		return s.notSent(now)
	case Looking, Late:
		return s.final(Pending, s.Err, now)
	case Checking:
		if s.pending == Wait { // the settle wait after an unclear answer: still not known
			s.InDrafts = true
			return s.final(Unknown, s.Err, now)
		}
	}
	return s, Action{}
}

// Step takes the answer to the pending action (Tick for a Wait) and returns the send and its
// next action. It is pure: the time is given, and all I/O is the driver's.
func (s Send) Step(a Answer, now time.Time) (Send, Action) {
	if s.pending == Forget {
		s.ForgetErr, s.pending = a.Err, None
		return s, Action{}
	}
	switch s.Phase {
	case Held:
		if now.Before(s.Until) {
			return s.do(Action{Kind: Wait, Wait: s.Until.Sub(now)})
		}
		return s.verify()
	case Verifying:
		return s.verified(a, now)
	case Clearing, Deferring:
		if a.Err != nil {
			return s.final(NotSent, a.Err, now)
		}
		s.Phase = Recording
		return s.do(Action{Kind: Record})
	case Pacing:
		return s.post(now)
	case Recording:
		if a.Err != nil {
			s.Err = fmt.Errorf("%w (%s)", ErrNotRecorded, graph.Describe(a.Err))
			if errors.Is(a.Err, ErrSendingElsewhere) {
				s.Err = a.Err // not a failure of the journal: it kept a second send from being made
			}
			return s.notSent(now)
		}
		s.recorded = true
		if wait := s.opts.Pacer.Reserve(now); wait > 0 {
			s.Phase = Pacing // recorded; the POST waits for the mailbox's next slot
			return s.do(Action{Kind: Wait, Wait: wait})
		}
		return s.post(now)
	case Posting:
		return s.posted(a, now)
	case Throttled:
		s.Phase = Posting
		s.Posts++
		return s.do(Action{Kind: Post})
	case Checking:
		return s.checked(a, now)
	case CheckingDraft:
		return s.checkedDraft(a, now)
	case CheckingDeleted:
		return s.checkedDeleted(a, now)
	case Looking, Late:
		return s.looked(a, now)
	case Resetting:
		s.ResetErr = a.Err
		return s.final(NotSent, s.Err, now)
	}
	return s, Action{}
}

// do records the action whose answer Step awaits.
func (s Send) do(a Action) (Send, Action) {
	s.pending = a.Kind
	return s, a
}

func (s Send) verify() (Send, Action) {
	s.Phase = Verifying
	return s.do(Action{Kind: Verify})
}

// verified decides, from the draft as it is now, whether the send may go ahead.
func (s Send) verified(a Answer, now time.Time) (Send, Action) {
	if a.Err == nil && a.Draft.Exists {
		// What the sent copy is found by, when the draft was taken from a list without it.
		s.Draft.InternetMessageID = cmp.Or(s.Draft.InternetMessageID, a.Draft.InternetMessageID)
		s.Draft.ConversationID = cmp.Or(s.Draft.ConversationID, a.Draft.ConversationID)
	}
	switch {
	case a.Err != nil:
		s.Err = a.Err
		return s.final(NotSent, a.Err, now)
	case !a.Draft.Exists:
		return s.final(NotSent, ErrGone, now)
	case s.Draft.ChangeKey != "" && a.Draft.ChangeKey != s.Draft.ChangeKey:
		s.Now = a.Draft
		return s.final(Changed, ErrChanged, now)
	case !s.At.IsZero() && !s.At.After(now):
		return s.final(NotSent, ErrTimePassed, now)
	case !s.At.IsZero():
		s.Phase = Deferring
		return s.do(Action{Kind: SetDeferred, At: s.At})
	case a.Draft.DeferredUntil.After(now):
		// A send later left its time on the draft (interrupted, or set in Outlook): a send
		// now must not be held by Exchange until then.
		s.Phase = Clearing
		return s.do(Action{Kind: SetDeferred, At: graph.DeferredReset})
	}
	s.Phase = Recording
	return s.do(Action{Kind: Record})
}

// post makes the POST: the first, recorded and in its slot.
func (s Send) post(now time.Time) (Send, Action) {
	s.Phase, s.Start, s.Posts = Posting, now, 1
	return s.do(Action{Kind: Post})
}

// posted classifies the answer to the POST.
func (s Send) posted(a Answer, now time.Time) (Send, Action) {
	err := a.Err
	if err == nil {
		// A 429 before this POST is no error of the send: Graph did nothing with it.
		s.Err = nil
		return s.accepted(now)
	}
	if e, ok := graph.AsError(err); ok && e.Status == http.StatusTooManyRequests {
		wait := e.RetryAfter
		if wait <= 0 {
			wait = s.opts.PollDelay(s.Posts)
		}
		if s.Posts < maxPosts && wait <= s.opts.MaxRetryAfter {
			s.Phase, s.Err = Throttled, err
			return s.do(Action{Kind: Wait, Wait: wait})
		}
	}
	if !graph.SendOutcomeUnclear(err) {
		s.Err = err
		return s.notSent(now)
	}
	s.Phase, s.Err, s.Reconciled = Checking, err, true
	return s.check()
}

// accepted starts the watch after a 202.
func (s Send) accepted(now time.Time) (Send, Action) {
	s.Phase = Looking
	if !s.At.IsZero() {
		return s.do(Action{Kind: CheckDraft})
	}
	if s.opts.Deadline < 0 {
		return s.final(Pending, nil, now)
	}
	return s.do(Action{Kind: Wait, Wait: s.lookWait(now)})
}

// minLookGap is the least wait between two looks for the copy, even at the end of the watch.
const minLookGap = 250 * time.Millisecond

// lookWait is the wait before the next look for the copy: the poll delay, but not past the end
// of the watch (Deadline after the POST), where the last look is made ('send --wait 2s' looks
// at 0.5, 1.5 and 2 s, not 3.5 s).
func (s Send) lookWait(now time.Time) time.Duration {
	d := s.opts.PollDelay(s.Looks)
	if left := s.opts.Deadline - now.Sub(s.Start); left > 0 && left < d {
		return max(left, min(d, minLookGap)) // not two looks back to back
	}
	return d
}

// check looks for what is true after an unclear answer: the copy first (a send now), then the
// draft.
func (s Send) check() (Send, Action) {
	if !s.At.IsZero() {
		s.Phase = CheckingDraft
		return s.do(Action{Kind: CheckDraft})
	}
	s.Phase = Checking
	return s.do(Action{Kind: FindCopy})
}

func (s Send) checked(a Answer, now time.Time) (Send, Action) {
	if s.pending == Wait {
		return s.check() // the settle wait is over: look again, the copy first
	}
	s.Looks++
	switch {
	case a.Copy != nil:
		s.Copy = a.Copy
		return s.final(Sent, s.Err, now)
	case a.Err != nil:
		s.LookErr = a.Err
		return s.final(Unknown, s.Err, now)
	}
	s.Phase = CheckingDraft
	return s.do(Action{Kind: CheckDraft})
}

func (s Send) checkedDraft(a Answer, now time.Time) (Send, Action) {
	later := !s.At.IsZero()
	switch {
	case a.Err != nil:
		s.LookErr = a.Err
		return s.final(Unknown, s.Err, now)
	case a.Draft.Exists && later && !a.Draft.DeferredUntil.IsZero() && a.Draft.DeferredUntil.After(graph.DeferredReset):
		// Still in Drafts with its send time: scheduled if this Exchange keeps scheduled mail
		// in Drafts (Outlook.com), not sent if the POST never arrived. Resetting the time
		// could send it at once: leave it, and say what is not known.
		s.InDrafts = true
		return s.final(Unknown, s.Err, now)
	case a.Draft.Exists && !later && !s.Recovered && now.Sub(s.Start) < s.opts.Settle:
		// Still in Drafts after an unclear answer: Exchange may have taken the send and not
		// yet moved the draft. Not sent is said only when it stays there a while.
		s.Phase = Checking
		return s.do(Action{Kind: Wait, Wait: min(s.opts.PollDelay(s.Looks), s.opts.Settle)})
	case a.Draft.Exists:
		s.InDrafts = true
		return s.notSent(now)
	case graph.IsNotFound(s.Err) && !s.Recovered && !later:
		// Gone before the POST reached it, and no copy yet: deleted elsewhere, or sent
		// elsewhere a moment ago (its copy on its way). Deleted Items tells.
		s.Phase = CheckingDeleted
		return s.do(Action{Kind: FindDeleted})
	case graph.IsNotFound(s.Err) && !s.Recovered:
		return s.notSent(now)
	case later:
		return s.final(Scheduled, s.Err, now)
	case s.opts.Deadline < 0:
		return s.final(Pending, s.Err, now)
	}
	// The draft left Drafts: the send went through. Watch for the copy as after a 202.
	s.Phase = Looking
	return s.do(Action{Kind: Wait, Wait: s.lookWait(now)})
}

// checkedDeleted ends a 404'd send whose draft is in Deleted Items (not sent), or watches for
// the copy of one sent elsewhere.
func (s Send) checkedDeleted(a Answer, now time.Time) (Send, Action) {
	switch {
	case a.Copy != nil:
		return s.notSent(now) // deleted elsewhere: nothing was sent
	case a.Err != nil:
		s.LookErr = a.Err
		return s.final(Unknown, s.Err, now)
	}
	s.Phase = Looking
	return s.do(Action{Kind: Wait, Wait: s.lookWait(now)})
}

// looked handles a Tick before a look, and the look's answer.
func (s Send) looked(a Answer, now time.Time) (Send, Action) {
	later := !s.At.IsZero()
	if s.pending == Wait {
		if s.Phase == Late && now.Sub(s.Start) >= s.opts.Deadline+s.opts.Watch {
			return s.final(Pending, s.Err, now) // the background watch is over
		}
		if later {
			return s.do(Action{Kind: CheckDraft})
		}
		return s.do(Action{Kind: FindCopy})
	}
	s.Looks++
	switch {
	case later && a.Err == nil && (!a.Draft.Exists || a.Draft.DeferredUntil.After(graph.DeferredReset)):
		// Gone from Drafts (to the Outbox), or kept in Drafts with its send time (as
		// Outlook.com does): Exchange has it.
		return s.final(Scheduled, s.Err, now)
	case !later && a.Copy != nil:
		s.Copy = a.Copy
		return s.final(Sent, s.Err, now)
	case a.Err != nil && lookRefused(a.Err):
		s.LookErr = a.Err
		return s.final(Pending, s.Err, now)
	}
	// Not there yet, or passing trouble while looking: keep looking until the watch ends.
	waited := now.Sub(s.Start)
	deadline := s.opts.Deadline
	switch {
	case waited < deadline:
		return s.do(Action{Kind: Wait, Wait: s.lookWait(now)})
	case !later && waited < deadline+s.opts.Watch:
		s.Phase = Late
		return s.do(Action{Kind: Wait, Wait: LateDelay})
	case graph.IsNotFound(s.Err) && !s.Recovered:
		// Graph said the draft was not there, and no copy came: not known whether it was
		// sent elsewhere (and is late) or deleted for good.
		return s.final(Unknown, s.Err, now)
	}
	return s.final(Pending, s.Err, now)
}

// notSent ends a send that did not go out; a send later first takes its time off the draft
// again, unless looking found the draft gone.
func (s Send) notSent(now time.Time) (Send, Action) {
	if !s.At.IsZero() && s.Phase != Resetting && (s.InDrafts || !s.Reconciled) && s.Phase != Deferring {
		s.Phase = Resetting
		return s.do(Action{Kind: SetDeferred, At: graph.DeferredReset})
	}
	return s.final(NotSent, s.Err, now)
}

// final ends the send in phase p. When the outcome is known (or too old to learn), the journal
// entry is forgotten.
func (s Send) final(p Phase, err error, now time.Time) (Send, Action) {
	s.Phase, s.Err, s.Ended = p, err, now
	if s.known(now) && (s.Posted() || s.recorded) {
		return s.do(Action{Kind: Forget}) // (recorded, never posted: stopped while Pacing)
	}
	s.pending = None
	return s, Action{}
}

// known reports whether the journal may forget the send: its outcome is known, or it is an
// interrupted send older than MaxPendingAge.
func (s Send) known(now time.Time) bool {
	switch s.Phase {
	case Sent, Scheduled, NotSent:
		return true
	case Pending:
		// Graph's 202 is a definite acceptance: nothing is left to settle at the next start
		// (which would otherwise call it "interrupted"). A draft that left Drafts after an
		// unclear answer stays recorded, so a later start can still find its copy.
		return !s.Reconciled || s.Recovered && now.Sub(s.Start) > s.opts.MaxPendingAge
	case Unknown:
		return s.Recovered && now.Sub(s.Start) > s.opts.MaxPendingAge
	}
	return false
}

// lookRefused reports whether Graph refused to let the client look (bad request, sign-in or
// permission), which further looks will not change.
func lookRefused(err error) bool {
	e, ok := graph.AsError(err)
	return ok && e.Status >= 400 && e.Status < 500 && e.Status != 404 && e.Status != 408 && e.Status != 429
}
