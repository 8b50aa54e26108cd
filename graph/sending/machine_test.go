package sending

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// The send machine, transition by transition: from a phase (reached by the machine's own steps
// from New or Recover), an answer to the pending action at a time → the next phase and the next
// action. Read top to bottom, the table is the life of a send:
//
//	New ─▶ Held ─tick─▶ Verifying ─ok─▶ (Clearing | Deferring) ─▶ Recording ─ok─▶ Posting ─202─▶ Looking ─copy─▶ Sent
//	 │                      │ error, gone, changed        │ fails          │ fails       │ ▲              │ deadline
//	 ▼                      ▼                             ▼                ▼         429 ▼ │ tick         ▼
//	NotSent           NotSent | Changed                NotSent        NotSent    Throttled        Late ─▶ Pending
//	(no recipients)
//
//	Posting ─unclear (5xx, 3xx, 401, 404, 409, dropped)─▶ Checking ─no copy─▶ CheckingDraft ─gone─▶ Looking
//	Posting ─refused (400, 403, 413, long 429)─▶ NotSent          │ copy            │ there │ look failed
//	                                                               ▼                 ▼       ▼
//	                                                              Sent          NotSent   Unknown
//
//	CheckingDraft ─gone, after a 404─▶ CheckingDeleted ─in Deleted Items─▶ NotSent
//	                                                   └─not there─▶ Looking ─no copy by the deadline─▶ Unknown
//
// A send later sets its time (Deferring) before it is recorded, is confirmed by looking in
// Drafts (Scheduled), and takes its time off again (Resetting) when it did not go out. Every
// final phase whose outcome is known, of a send that posted, asks to Forget its journal entry;
// the others leave it for the next start (Recover).

// later is the time of the tables' sends later.
var later = t0.Add(10 * time.Hour)

// start makes a send in some phase, by the machine's own steps.
type start func() (Send, Action)

func sendNow(o Options) start {
	return func() (Send, Action) { return New(testDraft(), time.Time{}, t0, o) }
}

func sendLater(o Options) start {
	return func() (Send, Action) { return New(testDraft(), later, t0, o) }
}

func recovered(e Entry, o Options) start {
	return func() (Send, Action) { return Recover(e, o) }
}

// then is st followed by the answer a, given at t0+dt.
func (st start) then(a Answer, dt time.Duration) start {
	return func() (Send, Action) {
		s, _ := st()
		return s.Step(a, t0.Add(dt))
	}
}

// The answers of the tables.
var (
	draftOK     = Answer{Draft: graph.DraftState{Exists: true, ChangeKey: "ck-1"}}
	draftEdited = Answer{Draft: graph.DraftState{Exists: true, ChangeKey: "ck-2"}}
	draftGone   = Answer{Draft: graph.DraftState{Exists: false}}
	// draftHeld carries a deferred-send time an earlier send later left on it.
	draftHeld = Answer{Draft: graph.DraftState{Exists: true, ChangeKey: "ck-1", DeferredUntil: t0.Add(time.Hour)}}
	// draftReset carries the time a failed send later leaves: long past.
	draftReset = Answer{Draft: graph.DraftState{Exists: true, ChangeKey: "ck-1", DeferredUntil: graph.DeferredReset}}
	// draftWithTime is a send later still in Drafts with its time.
	draftWithTime = Answer{Draft: graph.DraftState{Exists: true, ChangeKey: "ck-1+", DeferredUntil: later}}
	done          = Answer{} // a Record, a SetDeferred or a Forget that worked; a 202 to the POST
	noCopy        = Answer{} // FindCopy: nothing in Sent Items yet
	copyFound     = Answer{Copy: &graph.Message{ID: "sent-1", InternetMessageID: draftIMID}}
	dropped       = Answer{Err: &graph.TransportError{Op: "send", Host: "graph.microsoft.com", Err: io.ErrUnexpectedEOF}}
	unreachable   = Answer{Err: &graph.TransportError{Op: "send", Host: "graph.microsoft.com",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}}
	lookFailed  = Answer{Err: &graph.TransportError{Op: "look for draft", Host: "graph.microsoft.com", Err: io.ErrUnexpectedEOF}}
	lookRefuse  = Answer{Err: &graph.Error{Op: "find sent", Status: 403, Code: graph.CodeAccessDenied}}
	journalFull = Answer{Err: errors.New("no space left on device")}
)

func status(code int) Answer { return Answer{Err: &graph.Error{Op: "send", Status: code}} }

func throttled(wait time.Duration) Answer {
	return Answer{Err: &graph.Error{Op: "send", Status: 429, Code: graph.CodeApplicationThrottled, RetryAfter: wait}}
}

// The phases of the tables, reached step by step.
var (
	held      = sendNow(Options{Undo: 10 * time.Second})
	verifying = sendNow(Options{})
	clearing  = verifying.then(draftHeld, 0)
	recording = verifying.then(draftOK, 0)
	posting   = recording.then(done, 0)
	looking   = posting.then(done, 0)                    // accepted: waiting PollDelay(0)
	lookNow   = looking.then(Tick, 500*time.Millisecond) // the first look
	// twoSecondLook is the second look of a send watched for 2 s ('send --wait 2s').
	twoSecondLook = sendNow(Options{Deadline: 2 * time.Second}).then(draftOK, 0).then(done, 0).then(done, 0).
			then(Tick, 500*time.Millisecond).then(noCopy, 500*time.Millisecond).then(Tick, 1500*time.Millisecond)
	throttle      = posting.then(throttled(2128*time.Millisecond), 0)
	checking      = posting.then(status(503), 0)
	checkingDraft = checking.then(noCopy, 0)

	watching = sendNow(Options{Watch: 15 * time.Minute}).then(draftOK, 0).then(done, 0).then(done, 0).then(Tick, 2*time.Minute)
	late     = watching.then(noCopy, 2*time.Minute)
	lateLook = late.then(Tick, 2*time.Minute+LateDelay)

	// pacedRecording is a send now whose mailbox's next POST slot is a second away, recording.
	pacedRecording = start(func() (Send, Action) {
		return New(testDraft(), time.Time{}, t0, Options{Pacer: &Pacer{next: t0.Add(time.Second)}})
	}).then(draftOK, 0)
	pacing = pacedRecording.then(done, 0)

	laterVerifying = sendLater(Options{})
	deferring      = laterVerifying.then(draftOK, 0)
	laterRecording = deferring.then(done, 0)
	laterPosting   = laterRecording.then(done, 0)
	laterLooking   = laterPosting.then(done, 0) // accepted: looking in Drafts at once
	laterChecking  = laterPosting.then(status(503), 0)

	interrupted    = Entry{DraftID: "d1", InternetMessageID: draftIMID, ConversationID: "conv-1", Subject: "Quarterly numbers", Started: t0.Add(-time.Hour)}
	interruptedOld = Entry{DraftID: "d1", InternetMessageID: draftIMID, Subject: "Quarterly numbers", Started: t0.Add(-DefaultMaxPendingAge - time.Hour)}
	interruptedAt  = Entry{DraftID: "d1", InternetMessageID: draftIMID, Subject: "Quarterly numbers", Started: t0.Add(-time.Hour), At: later}
	settleOnce     = Options{Deadline: -1}
)

// Operations other than Step.
func asStarted(s Send, a Action, _ time.Time) (Send, Action) { return s, a }

func undo(s Send, a Action, now time.Time) (Send, Action) {
	if u, ok := s.Undo(now); ok {
		return u, Action{}
	}
	return s, a // refused: nothing changes
}

func release(s Send, _ Action, _ time.Time) (Send, Action) { return s.Release() }

func interrupt(s Send, _ Action, now time.Time) (Send, Action) { return s.Interrupt(now) }

type transition struct {
	name  string
	from  start
	ans   Answer
	at    time.Duration                                        // the answer comes at t0+at
	op    func(s Send, a Action, now time.Time) (Send, Action) // instead of Step(ans)
	phase Phase
	kind  ActionKind
	wait  time.Duration // Wait: how long
	setAt time.Time     // SetDeferred: the time set
	check func(t *testing.T, s Send)
}

func errIs(target error) func(t *testing.T, s Send) {
	return func(t *testing.T, s Send) {
		t.Helper()
		if !errors.Is(s.Err, target) {
			t.Errorf("Err = %v, want %v", s.Err, target)
		}
	}
}

func summaryHas(words ...string) func(t *testing.T, s Send) {
	return func(t *testing.T, s Send) {
		t.Helper()
		for _, w := range words {
			if !strings.Contains(s.Summary(), w) {
				t.Errorf("Summary() = %q, want %q in it", s.Summary(), w)
			}
		}
	}
}

// reconciled: the outcome will be established by looking, with the unclear answer as Err.
func reconciled(t *testing.T, s Send) {
	t.Helper()
	if !s.Reconciled || s.Err == nil || s.Posts == 0 {
		t.Errorf("reconciled %v, Err %v, posts %d", s.Reconciled, s.Err, s.Posts)
	}
}

func all(checks ...func(t *testing.T, s Send)) func(t *testing.T, s Send) {
	return func(t *testing.T, s Send) {
		t.Helper()
		for _, c := range checks {
			c(t, s)
		}
	}
}

var transitions = []transition{
	// Held: the countdown of Options.Undo; nothing has been sent.
	{name: "new with a countdown", from: held, op: asStarted, phase: Held, kind: Wait, wait: 10 * time.Second,
		check: func(t *testing.T, s Send) {
			if !s.Until.Equal(t0.Add(10*time.Second)) || !s.Locks() || !s.Active() || s.Unsettled() || s.Posted() {
				t.Errorf("held send: %+v", s)
			}
		}},
	{name: "new without a countdown verifies at once", from: verifying, op: asStarted, phase: Verifying, kind: Verify},
	{name: "new of a draft without recipients: not sent, nothing asked", from: func() (Send, Action) {
		d := testDraft()
		d.To = nil
		return New(d, time.Time{}, t0, Options{Undo: 10 * time.Second})
	}, op: asStarted, phase: NotSent, kind: None, check: all(errIs(ErrNoRecipients), summaryHas("not sent: this draft has no recipients"))},
	{name: "countdown: a tick before its end waits the rest", from: held, ans: Tick, at: 4 * time.Second, phase: Held, kind: Wait, wait: 6 * time.Second},
	{name: "countdown over: verify", from: held, ans: Tick, at: 10 * time.Second, phase: Verifying, kind: Verify},
	{name: "undo during the countdown", from: held, op: undo, at: 3 * time.Second, phase: Undone, kind: None,
		check: func(t *testing.T, s Send) {
			if s.Outcome() != "not-sent" || s.Summary() != "not sent: undone; the draft is unchanged" || s.Locks() || !s.Ended.Equal(t0.Add(3*time.Second)) {
				t.Errorf("undone: %q %q locks=%v ended %v", s.Outcome(), s.Summary(), s.Locks(), s.Ended)
			}
		}},
	{name: "undo after the countdown is refused", from: held.then(Tick, 10*time.Second), op: undo, at: 10 * time.Second, phase: Verifying, kind: Verify},
	{name: "release ends the countdown at once", from: held, op: release, at: time.Second, phase: Verifying, kind: Verify},
	{name: "interrupt during the countdown: not sent", from: held, op: interrupt, at: time.Second, phase: Undone, kind: None},

	// Verifying: the draft as it is now, against the draft as confirmed.
	{name: "verify failed: not sent", from: verifying, ans: lookFailed, phase: NotSent, kind: None,
		check: func(t *testing.T, s Send) {
			if s.Err != lookFailed.Err || s.Posts != 0 || s.Reconciled {
				t.Errorf("Err %v, posts %d, reconciled %v", s.Err, s.Posts, s.Reconciled)
			}
		}},
	{name: "draft gone: not sent", from: verifying, ans: draftGone, phase: NotSent, kind: None,
		check: all(errIs(ErrGone), summaryHas("not sent: the draft is no longer in Drafts"))},
	{name: "draft changed since it was confirmed: not sent, never posted", from: verifying, ans: draftEdited, phase: Changed, kind: None,
		check: all(errIs(ErrChanged), summaryHas("not sent: the draft was changed"), func(t *testing.T, s Send) {
			if s.Now.ChangeKey != "ck-2" || s.Posts != 0 || s.Outcome() != "not-sent" || s.Locks() {
				t.Errorf("changed: %+v", s)
			}
		})},
	{name: "draft unchanged: record", from: verifying, ans: draftOK, phase: Recording, kind: Record},
	{name: "confirmed without a changeKey: any version goes", from: func() (Send, Action) {
		d := testDraft()
		d.ChangeKey = ""
		return New(d, time.Time{}, t0, Options{})
	}, ans: draftEdited, phase: Recording, kind: Record},
	{name: "send now, a future deferred time on the draft: clear it first", from: verifying, ans: draftHeld, phase: Clearing, kind: SetDeferred, setAt: graph.DeferredReset},
	{name: "send now, a deferred time long past: record", from: verifying, ans: draftReset, phase: Recording, kind: Record},
	{name: "send later: set its time", from: laterVerifying, ans: draftOK, phase: Deferring, kind: SetDeferred, setAt: later},
	{name: "send later whose time passed meanwhile: not sent, nothing set", from: laterVerifying, ans: draftOK, at: 10 * time.Hour, phase: NotSent, kind: None, check: errIs(ErrTimePassed)},
	{name: "send later, draft changed: not sent", from: laterVerifying, ans: draftEdited, phase: Changed, kind: None},
	{name: "send later, draft gone: not sent, nothing to reset", from: laterVerifying, ans: draftGone, phase: NotSent, kind: None, check: errIs(ErrGone)},

	// Clearing, Deferring: the PATCH of the deferred-send time.
	{name: "cleared: record", from: clearing, ans: done, phase: Recording, kind: Record},
	{name: "clearing failed: not sent", from: clearing, ans: lookFailed, phase: NotSent, kind: None},
	{name: "time set: record", from: deferring, ans: done, phase: Recording, kind: Record},
	{name: "setting the time failed: not sent", from: deferring, ans: lookFailed, phase: NotSent, kind: None},

	// Recording: the journal entry that must exist before the POST.
	{name: "recorded: post", from: recording, ans: done, at: time.Second, phase: Posting, kind: Post,
		check: func(t *testing.T, s Send) {
			if s.Posts != 1 || !s.Start.Equal(t0.Add(time.Second)) || !s.Unsettled() || !s.Posted() {
				t.Errorf("posting: %+v", s)
			}
		}},
	{name: "record failed: not sent, nothing to forget", from: recording, ans: journalFull, phase: NotSent, kind: None,
		check: all(errIs(ErrNotRecorded), summaryHas("could not be recorded", "no space left")) /* kind None: no Forget */},
	{name: "record failed, send later: take its time off", from: laterRecording, ans: journalFull, phase: Resetting, kind: SetDeferred, setAt: graph.DeferredReset},
	{name: "record failed, send later, reset: not sent, nothing to forget", from: laterRecording.then(journalFull, 0), ans: done, phase: NotSent, kind: None, check: errIs(ErrNotRecorded)},

	// Posting: the answer to the POST.
	{name: "202: watch Sent Items, first after PollDelay(0)", from: posting, ans: done, phase: Looking, kind: Wait, wait: 500 * time.Millisecond},
	{name: "202, Deadline < 0: pending at once, forgotten: a 202 is definite", from: sendNow(Options{Deadline: -1}).then(draftOK, 0).then(done, 0), ans: done, phase: Pending, kind: Forget,
		check: summaryHas("accepted by Outlook; do not send it again (Sent Items not checked)")},
	{name: "202 to a send later: look in Drafts at once", from: laterPosting, ans: done, phase: Looking, kind: CheckDraft},
	{name: "429 with a short Retry-After: wait it", from: posting, ans: throttled(2128 * time.Millisecond), phase: Throttled, kind: Wait, wait: 2128 * time.Millisecond},
	{name: "429 without Retry-After: wait PollDelay(posts)", from: posting, ans: throttled(0), phase: Throttled, kind: Wait, wait: time.Second},
	{name: "429 with a Retry-After too long: not sent", from: posting, ans: throttled(time.Hour), phase: NotSent, kind: Forget,
		check: func(t *testing.T, s Send) {
			if !graph.IsThrottled(s.Err) || s.Posts != 1 || s.Reconciled {
				t.Errorf("Err %v, posts %d", s.Err, s.Posts)
			}
		}},
	{name: "429 longer than Options.MaxRetryAfter: not sent", from: sendNow(Options{MaxRetryAfter: 2 * time.Second}).then(draftOK, 0).then(done, 0), ans: throttled(2128 * time.Millisecond), phase: NotSent, kind: Forget},
	{name: "429 too long to a send later: take its time off", from: laterPosting, ans: throttled(time.Hour), phase: Resetting, kind: SetDeferred, setAt: graph.DeferredReset},
	{name: "throttled, waited: post again", from: throttle, ans: Tick, at: 2128 * time.Millisecond, phase: Posting, kind: Post,
		check: func(t *testing.T, s Send) {
			if s.Posts != 2 {
				t.Errorf("posts %d, want 2", s.Posts)
			}
		}},
	{name: "429 to the 2nd POST: wait again", from: throttle.then(Tick, 3*time.Second), ans: throttled(time.Second), at: 3 * time.Second, phase: Throttled, kind: Wait, wait: time.Second},
	{name: "429 to the 3rd POST: not sent", from: throttle.then(Tick, 3*time.Second).then(throttled(time.Second), 3*time.Second).then(Tick, 4*time.Second), ans: throttled(time.Second), at: 4 * time.Second, phase: NotSent, kind: Forget,
		check: func(t *testing.T, s Send) {
			if s.Posts != 3 || !graph.IsThrottled(s.Err) {
				t.Errorf("posts %d, Err %v", s.Posts, s.Err)
			}
		}},
	{name: "202 after a 429: watch, and the 429 is no error of the send", from: throttle.then(Tick, 3*time.Second), ans: done, at: 3 * time.Second, phase: Looking, kind: Wait, wait: 500 * time.Millisecond,
		check: func(t *testing.T, s Send) {
			if s.Err != nil || s.Reconciled {
				t.Errorf("Err %v, reconciled %v after the repost was accepted", s.Err, s.Reconciled)
			}
		}},
	{name: "recorded, the mailbox's next slot a second away: wait for it", from: pacedRecording, ans: done, phase: Pacing, kind: Wait, wait: time.Second},
	{name: "its slot came: post", from: pacing, ans: Tick, at: time.Second, phase: Posting, kind: Post},
	{name: "interrupt while waiting for the slot: not sent, its record forgotten", from: pacing, op: interrupt, phase: NotSent, kind: Forget, check: func(t *testing.T, s Send) {
		if s.Err != ErrStoppedWaiting || s.Posted() || !strings.Contains(s.Summary(), "nothing was sent") {
			t.Errorf("err %v, posts %d, summary %q", s.Err, s.Posts, s.Summary())
		}
	}},
	{name: "interrupt while throttled: not sent (Graph did nothing)", from: throttle, op: interrupt, at: time.Second, phase: NotSent, kind: Forget, check: func(t *testing.T, s Send) {
		if !graph.IsThrottled(s.Err) {
			t.Errorf("Err %v", s.Err)
		}
	}},
	{name: "interrupt while a send later is throttled: take its time off", from: laterPosting.then(throttled(time.Second), 0), op: interrupt, phase: Resetting, kind: SetDeferred, setAt: graph.DeferredReset},
	{name: "400: not sent", from: posting, ans: Answer{Err: &graph.Error{Op: "send", Status: 400, Code: graph.CodeInvalidRecipients}}, phase: NotSent, kind: Forget,
		check: all(summaryHas("not sent: this draft has no valid recipient"), func(t *testing.T, s Send) {
			if s.Reconciled || s.Looks != 0 {
				t.Errorf("reconciled %v, looks %d", s.Reconciled, s.Looks)
			}
		})},
	{name: "401: settled by looking (not a documented refusal)", from: posting, ans: status(401), phase: Checking, kind: FindCopy},
	{name: "409: settled by looking", from: posting, ans: status(409), phase: Checking, kind: FindCopy},
	{name: "302: settled by looking", from: posting, ans: status(302), phase: Checking, kind: FindCopy},
	{name: "413: not sent", from: posting, ans: status(413), phase: NotSent, kind: Forget},
	{name: "403: not sent", from: posting, ans: Answer{Err: &graph.Error{Op: "send", Status: 403, Code: graph.CodeSendAsDenied}}, phase: NotSent, kind: Forget},
	{name: "no connection could be made: not sent", from: posting, ans: unreachable, phase: NotSent, kind: Forget, check: summaryHas("check the network")},
	{name: "refused send later: take its time off", from: laterPosting, ans: status(403), phase: Resetting, kind: SetDeferred, setAt: graph.DeferredReset},
	{name: "refused send later, reset: not sent", from: laterPosting.then(status(403), 0), ans: done, phase: NotSent, kind: Forget},
	{name: "refused send later, reset failed: still not sent", from: laterPosting.then(status(403), 0), ans: lookFailed, phase: NotSent, kind: Forget},
	{name: "500: unclear, look for the copy", from: posting, ans: status(500), phase: Checking, kind: FindCopy, check: reconciled},
	{name: "502: unclear, look for the copy", from: posting, ans: status(502), phase: Checking, kind: FindCopy, check: reconciled},
	{name: "503: unclear, look for the copy", from: posting, ans: status(503), phase: Checking, kind: FindCopy, check: reconciled},
	{name: "504: unclear, look for the copy", from: posting, ans: status(504), phase: Checking, kind: FindCopy, check: reconciled},
	{name: "408: unclear, look for the copy", from: posting, ans: status(408), phase: Checking, kind: FindCopy, check: reconciled},
	{name: "404: unclear (sent a moment ago?), look for the copy", from: posting, ans: status(404), phase: Checking, kind: FindCopy, check: reconciled},
	{name: "connection dropped: unclear, look for the copy", from: posting, ans: dropped, phase: Checking, kind: FindCopy, check: reconciled},
	{name: "unclear answer after a 429: look for the copy, never post again", from: throttle.then(Tick, 3*time.Second), ans: dropped, at: 3 * time.Second, phase: Checking, kind: FindCopy, check: reconciled},
	{name: "unclear answer to a send later: look in Drafts", from: laterPosting, ans: status(503), phase: CheckingDraft, kind: CheckDraft},
	{name: "interrupt while posting: not a wait, left as it is", from: posting, op: interrupt, phase: Posting, kind: None},

	// Checking: the answer was unclear; the copy is looked for first.
	{name: "unclear, copy found: sent", from: checking, ans: copyFound, phase: Sent, kind: Forget,
		check: all(summaryHas("sent: the copy is in Sent Items (the answer to the send was unclear: Graph answered HTTP 503)"), func(t *testing.T, s Send) {
			if s.Copy == nil || !s.Reconciled || s.Looks != 1 {
				t.Errorf("copy %v, reconciled %v, looks %d", s.Copy, s.Reconciled, s.Looks)
			}
		})},
	{name: "unclear, no copy: look in Drafts", from: checking, ans: noCopy, phase: CheckingDraft, kind: CheckDraft},
	{name: "unclear, Sent Items unreadable: unknown, kept", from: checking, ans: lookRefuse, phase: Unknown, kind: None,
		check: all(summaryHas("not known whether it was sent", "Sent Items could not be checked"), func(t *testing.T, s Send) {
			if s.LookErr != lookRefuse.Err || s.Locks() {
				t.Errorf("LookErr %v, locks %v", s.LookErr, s.Locks())
			}
		})},
	{name: "404, copy found: it had already gone", from: posting.then(status(404), 0), ans: copyFound, phase: Sent, kind: Forget, check: summaryHas("sent: the draft had already left Drafts")},

	// CheckingDraft: no copy; is the draft still in Drafts?
	{name: "unclear, draft still there at once: look again after a wait", from: checkingDraft, ans: draftOK, phase: Checking, kind: Wait, wait: time.Second},
	{name: "unclear, draft still there, the wait over: look for the copy again", from: checkingDraft.then(draftOK, 0), ans: Tick, at: time.Second, phase: Checking, kind: FindCopy},
	{name: "unclear, settle wait cut short: unknown, kept", from: checkingDraft.then(draftOK, 0), op: func(s Send, _ Action, now time.Time) (Send, Action) { return s.Interrupt(now) }, phase: Unknown, kind: None,
		check: summaryHas("it was still in Drafts, with no copy in Sent Items yet")},
	{name: "unclear, draft still there after the settle time: not sent", from: checkingDraft, ans: draftOK, at: 31 * time.Second, phase: NotSent, kind: Forget,
		check: all(summaryHas("not sent: the draft is still in Drafts"), func(t *testing.T, s Send) {
			if !s.InDrafts || !s.Reconciled {
				t.Errorf("inDrafts %v reconciled %v", s.InDrafts, s.Reconciled)
			}
		})},
	{name: "unclear, draft gone: it went, watch for the copy", from: checkingDraft, ans: draftGone, phase: Looking, kind: Wait, wait: time.Second},
	{name: "unclear, draft gone, Deadline < 0: pending, kept", from: sendNow(Options{Deadline: -1}).then(draftOK, 0).then(done, 0).then(dropped, 0).then(noCopy, 0), ans: draftGone, phase: Pending, kind: None,
		check: summaryHas("probably sent: the draft has left Drafts")},
	{name: "404, no copy, draft gone: look in Deleted Items", from: posting.then(status(404), 0).then(noCopy, 0), ans: draftGone, phase: CheckingDeleted, kind: FindDeleted},
	{name: "404, in Deleted Items: deleted, not sent", from: posting.then(status(404), 0).then(noCopy, 0).then(draftGone, 0), ans: Answer{Copy: &graph.Message{ID: "del-1"}}, phase: NotSent, kind: Forget, check: summaryHas("no longer exists in Drafts")},
	{name: "404, not in Deleted Items: sent elsewhere? watch for the copy", from: posting.then(status(404), 0).then(noCopy, 0).then(draftGone, 0), ans: Answer{}, phase: Looking, kind: Wait, wait: time.Second},
	{name: "404, Deleted Items unreadable: unknown, kept", from: posting.then(status(404), 0).then(noCopy, 0).then(draftGone, 0), ans: lookFailed, phase: Unknown, kind: None},
	{name: "404, no copy by the deadline: unknown, kept", from: posting.then(status(404), 0).then(noCopy, 0).then(draftGone, 0).then(Answer{}, 0).then(Tick, 0), at: 3 * time.Minute, ans: noCopy, phase: Unknown, kind: None},
	{name: "unclear, Drafts unreadable: unknown, kept", from: checkingDraft, ans: lookFailed, phase: Unknown, kind: None},
	{name: "unclear send later, draft gone: scheduled", from: laterChecking, ans: draftGone, phase: Scheduled, kind: Forget, check: summaryHas("scheduled for", "the answer to the send was unclear")},
	{name: "unclear send later, still in Drafts with its time: unknown (Outlook.com keeps it there), time left", from: laterChecking, ans: draftWithTime, phase: Unknown, kind: None,
		check: all(summaryHas("not known whether it was scheduled"), func(t *testing.T, s Send) {
			if !s.InDrafts {
				t.Error("not InDrafts")
			}
		})},
	{name: "unclear send later, in Drafts without its time: take it off, not sent", from: laterChecking, ans: draftOK, phase: Resetting, kind: SetDeferred, setAt: graph.DeferredReset},

	// Looking: accepted; watching Sent Items (a send later: Drafts).
	{name: "watch: a tick looks", from: looking, ans: Tick, at: 500 * time.Millisecond, phase: Looking, kind: FindCopy},
	{name: "watch: copy found: sent", from: lookNow, ans: copyFound, at: 1500 * time.Millisecond, phase: Sent, kind: Forget,
		check: all(summaryHas("sent: in Sent Items after 1.5 s"), func(t *testing.T, s Send) {
			if s.Reconciled || s.Err != nil || s.Looks != 1 || s.Copy == nil || s.Outcome() != "sent" {
				t.Errorf("sent: %+v", s)
			}
		})},
	{name: "watch: no copy yet: wait PollDelay(looks)", from: lookNow, ans: noCopy, at: time.Second, phase: Looking, kind: Wait, wait: time.Second},
	{name: "watch of 2 s: the last look is at its end, not past it", from: twoSecondLook, ans: noCopy, at: 1500 * time.Millisecond, phase: Looking, kind: Wait, wait: 500 * time.Millisecond},
	{name: "watch of 2 s: nothing at its end: pending", from: twoSecondLook.then(noCopy, 1500*time.Millisecond).then(Tick, 2*time.Second), ans: noCopy, at: 2 * time.Second, phase: Pending, kind: Forget},
	{name: "watch: passing trouble: keep looking", from: lookNow, ans: status(503), at: time.Second, phase: Looking, kind: Wait, wait: time.Second},
	{name: "watch: looking refused: pending, forgotten (a 202 is definite)", from: lookNow, ans: lookRefuse, at: time.Second, phase: Pending, kind: Forget,
		check: summaryHas("accepted by Outlook; do not send it again (Sent Items could not be checked")},
	{name: "watch: no copy at the deadline: pending, forgotten (a 202 is definite)", from: sendNow(Options{}).then(draftOK, 0).then(done, 0).then(done, 0).then(Tick, 2*time.Minute), ans: noCopy, at: 2 * time.Minute, phase: Pending, kind: Forget,
		check: summaryHas("accepted by Outlook, not in Sent Items yet; do not send it again (looked for 120.0 s)")},
	{name: "watch: no copy at the deadline, Watch > 0: late", from: watching, ans: noCopy, at: 2 * time.Minute, phase: Late, kind: Wait, wait: LateDelay},
	{name: "late: a tick looks", from: late, ans: Tick, at: 2*time.Minute + LateDelay, phase: Late, kind: FindCopy},
	{name: "late: no copy: wait LateDelay", from: lateLook, ans: noCopy, at: 2*time.Minute + LateDelay, phase: Late, kind: Wait, wait: LateDelay},
	{name: "late: copy found: sent", from: lateLook, ans: copyFound, at: 2*time.Minute + LateDelay, phase: Sent, kind: Forget},
	{name: "late: no copy at deadline + Watch: pending, forgotten (a 202 is definite)", from: lateLook, ans: noCopy, at: 17 * time.Minute, phase: Pending, kind: Forget},
	{name: "interrupt while watching: pending, forgotten (a 202 is definite)", from: looking, op: interrupt, at: time.Second, phase: Pending, kind: Forget},
	{name: "interrupt while late: pending, forgotten (a 202 is definite)", from: late, op: interrupt, at: 3 * time.Minute, phase: Pending, kind: Forget},
	{name: "send later taken: gone from Drafts: scheduled", from: laterLooking, ans: draftGone, phase: Scheduled, kind: Forget,
		check: all(summaryHas("scheduled for", "Exchange holds it until then"), func(t *testing.T, s Send) {
			if s.Outcome() != "scheduled" || s.Reconciled {
				t.Errorf("outcome %q reconciled %v", s.Outcome(), s.Reconciled)
			}
		})},
	{name: "send later taken: in Drafts with its time (Outlook.com): scheduled", from: laterLooking, ans: draftWithTime, phase: Scheduled, kind: Forget},
	{name: "send later taken: in Drafts without its time: look again", from: laterLooking, ans: draftOK, at: time.Second, phase: Looking, kind: Wait, wait: time.Second},
	{name: "send later: a tick looks in Drafts", from: laterLooking.then(draftOK, time.Second), ans: Tick, at: 2 * time.Second, phase: Looking, kind: CheckDraft},
	{name: "send later: not taken by the deadline, even with Watch: pending", from: sendLater(Options{Watch: time.Hour}).then(draftOK, 0).then(done, 0).then(done, 0).then(done, 0), ans: draftOK, at: 2 * time.Minute, phase: Pending, kind: Forget},
	{name: "send later, Deadline < 0: one look", from: sendLater(Options{Deadline: -1}).then(draftOK, 0).then(done, 0).then(done, 0).then(done, 0), ans: draftOK, phase: Pending, kind: Forget},

	// Recover: a send an earlier run left in the journal; looked for, never posted.
	{name: "recover: look for the copy", from: recovered(interrupted, Options{}), op: asStarted, phase: Checking, kind: FindCopy,
		check: all(errIs(ErrInterrupted), func(t *testing.T, s Send) {
			if !s.Recovered || !s.Reconciled || s.Posts != 1 || !s.Start.Equal(interrupted.Started) || s.Draft.InternetMessageID != draftIMID {
				t.Errorf("recovered: %+v", s)
			}
		})},
	{name: "recover a send later: look in Drafts", from: recovered(interruptedAt, Options{}), op: asStarted, phase: CheckingDraft, kind: CheckDraft,
		check: func(t *testing.T, s Send) {
			if !s.At.Equal(later) {
				t.Errorf("At %v", s.At)
			}
		}},
	{name: "recovered, copy found: sent", from: recovered(interrupted, settleOnce), ans: copyFound, phase: Sent, kind: Forget, check: summaryHas("an interrupted send went out: it is in Sent Items")},
	{name: "recovered, draft still there: not sent", from: recovered(interrupted, settleOnce).then(noCopy, 0), ans: draftOK, phase: NotSent, kind: Forget, check: summaryHas("an interrupted send did not go out; the draft is still in Drafts")},
	{name: "recovered, draft gone, settling once: pending, kept", from: recovered(interrupted, settleOnce).then(noCopy, 0), ans: draftGone, phase: Pending, kind: None, check: summaryHas("do not send it again")},
	{name: "recovered, draft gone, watching: wait for the copy", from: recovered(interrupted, Options{}).then(noCopy, 0), ans: draftGone, phase: Looking, kind: Wait, wait: time.Second},
	{name: "recovered, draft gone, older than MaxPendingAge: pending, forgotten", from: recovered(interruptedOld, settleOnce).then(noCopy, 0), ans: draftGone, phase: Pending, kind: Forget, check: summaryHas("not in Sent Items yet")},
	{name: "recovered, Sent Items unreadable: unknown, kept", from: recovered(interrupted, settleOnce), ans: lookFailed, phase: Unknown, kind: None, check: summaryHas("could not be checked")},
	{name: "recovered send later, gone: scheduled", from: recovered(interruptedAt, settleOnce), ans: draftGone, phase: Scheduled, kind: Forget, check: summaryHas("an interrupted send later was taken")},
	{name: "recovered send later, in Drafts with its time: unknown, kept", from: recovered(interruptedAt, settleOnce), ans: draftWithTime, phase: Unknown, kind: None, check: summaryHas("not known whether an interrupted send later was taken")},

	// Forget: the journal entry of a final send.
	{name: "forgotten", from: lookNow.then(copyFound, time.Second), ans: done, at: time.Second, phase: Sent, kind: None,
		check: func(t *testing.T, s Send) {
			if s.ForgetErr != nil {
				t.Errorf("ForgetErr %v", s.ForgetErr)
			}
		}},
	{name: "forgetting failed: still sent, the error kept", from: lookNow.then(copyFound, time.Second), ans: journalFull, at: time.Second, phase: Sent, kind: None,
		check: func(t *testing.T, s Send) {
			if s.ForgetErr != journalFull.Err {
				t.Errorf("ForgetErr %v", s.ForgetErr)
			}
		}},
	{name: "a final send stays as it is", from: verifying.then(draftGone, 0), ans: copyFound, at: time.Minute, phase: NotSent, kind: None, check: errIs(ErrGone)},
}

func TestMachineTransitions(t *testing.T) {
	seen := map[Phase]bool{}
	for _, tt := range transitions {
		t.Run(tt.name, func(t *testing.T) {
			s, a := tt.from()
			seen[s.Phase] = true
			wasFinal := s.Phase.Final()
			now := t0.Add(tt.at)
			if tt.op != nil {
				s, a = tt.op(s, a, now)
			} else {
				s, a = s.Step(tt.ans, now)
				// A send on its way always has something to do; a final one at most its Forget.
				if s.Phase.Final() != (a.Kind == None || a.Kind == Forget) {
					t.Errorf("phase %v with action %v", s.Phase, a.Kind)
				}
			}
			if s.Phase != tt.phase || a.Kind != tt.kind {
				t.Fatalf("→ %v/%v, want %v/%v (Err %v)", s.Phase, a.Kind, tt.phase, tt.kind, s.Err)
			}
			if a.Kind == Wait && a.Wait != tt.wait {
				t.Errorf("waits %v, want %v", a.Wait, tt.wait)
			}
			if a.Kind == SetDeferred && !a.At.Equal(tt.setAt) {
				t.Errorf("sets the deferred time %v, want %v", a.At, tt.setAt)
			}
			if s.Phase.Final() && !wasFinal && !s.Ended.Equal(now) {
				t.Errorf("Ended %v, want %v", s.Ended, now)
			}
			if tt.check != nil {
				tt.check(t, s)
			}
		})
	}
	for p := Held; p <= Undone; p++ {
		if !seen[p] && p < Sent {
			t.Errorf("no transition from %v in the table", p)
		}
	}
}

func TestPhaseAndActionNames(t *testing.T) {
	for p := Held; p <= Undone; p++ {
		if s := p.String(); s == "" || strings.Contains(s, "?") {
			t.Errorf("phase %d has no name", p)
		}
		if p.Final() != (p >= Sent) {
			t.Errorf("%v.Final() = %v", p, p.Final())
		}
	}
	for k := None; k <= Forget; k++ {
		if s := k.String(); s == "" || strings.Contains(s, "?") {
			t.Errorf("action %d has no name", k)
		}
	}
	outcomes := map[Phase]string{Sent: "sent", Scheduled: "scheduled", Pending: "pending", NotSent: "not-sent",
		Changed: "not-sent", Undone: "not-sent", Unknown: "unknown", Looking: ""}
	for p, want := range outcomes {
		if got := (Send{Phase: p}).Outcome(); got != want {
			t.Errorf("Outcome of %v = %q, want %q", p, got, want)
		}
	}
}

// TestMachineSendsAtMostOnce walks the machine through many random histories and checks its
// rules on every one: a send goes out at most once (a POST is repeated only after a 429, and
// at most maxPosts in all); an unclear answer is checked (Sent Items, Drafts), never posted
// again; nothing is posted without a Verify and a Record first; the journal is told to forget
// exactly the sends whose outcome is known; a send later that did not go out does not keep its
// time; and every history ends.
func TestMachineSendsAtMostOnce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	pick := func(as ...Answer) Answer { return as[r.IntN(len(as))] }
	postAnswers := []Answer{done, throttled(2 * time.Second), throttled(0), throttled(time.Hour), status(400), status(401),
		status(403), status(404), status(408), status(500), status(503), dropped, unreachable}
	for i := range 20000 {
		o := Options{}
		if r.IntN(2) == 0 {
			o.Undo = 5 * time.Second
		}
		o.Deadline = []time.Duration{-1, 0, 30 * time.Second}[r.IntN(3)]
		if r.IntN(2) == 0 {
			o.Watch = time.Minute
		}
		var s Send
		var a Action
		var at time.Time
		if r.IntN(3) == 0 {
			at = later
		}
		recov := r.IntN(5) == 0
		if recov {
			e := interrupted
			e.At = at
			s, a = Recover(e, o)
		} else {
			s, a = New(testDraft(), at, t0, o)
		}
		now := t0
		var history []string
		posts, verified, recorded, forgets := 0, false, false, 0
		var lastPost Answer
		timeSet, timeReset := false, false
		for steps := 0; a.Kind != None; steps++ {
			if steps > 500 {
				t.Fatalf("history %d does not end: %v", i, history)
			}
			history = append(history, s.Phase.String()+":"+a.Kind.String())
			if a.Kind == Wait && r.IntN(8) == 0 {
				s, a = s.Interrupt(now)
				continue
			}
			var ans Answer
			switch a.Kind {
			case Wait:
				now = now.Add(a.Wait)
			case Verify:
				verified = true
				ans = pick(draftOK, draftOK, draftOK, draftEdited, draftGone, draftHeld, lookFailed)
			case SetDeferred:
				ans = pick(done, done, done, lookFailed)
				if a.At.Equal(graph.DeferredReset) {
					timeReset = true
				} else if ans.Err == nil {
					timeSet = true
				}
			case Record:
				recorded = true
				ans = pick(done, done, done, journalFull)
			case Post:
				if !recov && (!verified || !recorded) {
					t.Fatalf("history %d posts without a Verify and a Record: %v", i, history)
				}
				if recov {
					t.Fatalf("history %d posts a recovered send: %v", i, history)
				}
				if posts > 0 && !graph.IsThrottled(lastPost.Err) {
					t.Fatalf("history %d posts again after %v: %v", i, lastPost.Err, history)
				}
				posts++
				ans = pick(postAnswers...)
				lastPost = ans
			case FindCopy:
				ans = pick(noCopy, noCopy, copyFound, status(503), lookRefuse)
			case CheckDraft:
				ans = pick(draftOK, draftGone, draftGone, draftWithTime, lookFailed)
			case Forget:
				forgets++
				ans = pick(done, journalFull)
			}
			now = now.Add(time.Duration(r.IntN(3)) * time.Second)
			prev := s
			s, a = s.Step(ans, now)
			if prev.Phase == Posting && graph.SendOutcomeUnclear(ans.Err) && a.Kind != FindCopy && a.Kind != CheckDraft {
				t.Fatalf("history %d: an unclear answer (%v) led to %v/%v, not to a look: %v", i, ans.Err, s.Phase, a.Kind, history)
			}
		}
		if !s.Phase.Final() {
			t.Fatalf("history %d ends in %v: %v", i, s.Phase, history)
		}
		if posts > maxPosts || (!recov && s.Posts != posts) {
			t.Fatalf("history %d: %d POSTs, Posts = %d: %v", i, posts, s.Posts, history)
		}
		if posts == 0 && !recov && s.Phase != NotSent && s.Phase != Changed && s.Phase != Undone {
			t.Fatalf("history %d: never posted but %v: %v", i, s.Phase, history)
		}
		wantForget := s.Posted() && (s.Phase == Sent || s.Phase == Scheduled || s.Phase == NotSent ||
			s.Phase == Pending && (!s.Reconciled || s.Recovered && s.Ended.Sub(s.Start) > DefaultMaxPendingAge) ||
			s.Phase == Unknown && s.Recovered && s.Ended.Sub(s.Start) > DefaultMaxPendingAge)
		if (forgets == 1) != wantForget || forgets > 1 {
			t.Fatalf("history %d ends %v with %d Forgets: %v", i, s.Phase, forgets, history)
		}
		if !s.Reconciled && s.Err != nil && (s.Phase == Sent || s.Phase == Scheduled || s.Phase == Pending) {
			t.Fatalf("history %d: %v with Err %v: %v", i, s.Phase, s.Err, history)
		}
		if s.Phase == NotSent && timeSet && !timeReset && (s.InDrafts || !s.Reconciled) {
			t.Fatalf("history %d: a send later not sent keeps its time: %v", i, history)
		}
		if s.Phase.Final() && s.Summary() == "" {
			t.Fatalf("history %d: no summary", i)
		}
	}
}

// ExampleSend_Step drives a send by hand, as the screen does: every action is done elsewhere
// (Perform, or a timer) and its answer fed back.
func ExampleSend_Step() {
	now := t0
	s, a := New(testDraft(), time.Time{}, now, Options{})
	answers := map[ActionKind]Answer{Verify: draftOK, Record: done, Post: done, FindCopy: copyFound, Forget: done}
	for a.Kind != None {
		fmt.Println(s.Phase, a.Kind)
		if a.Kind == Wait {
			now = now.Add(a.Wait)
		}
		s, a = s.Step(answers[a.Kind], now)
	}
	fmt.Println(s.Summary())
	// Output:
	// verifying verify
	// recording record
	// posting post
	// looking wait
	// looking find-copy
	// sent forget
	// sent: in Sent Items after 0.5 s
}
