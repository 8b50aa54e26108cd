package sending

import (
	"errors"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// This file is the machine's vocabulary: the phases a send goes through, the actions a driver
// performs for it, the answers it feeds back, the options, and the errors a send can end with.
// machine.go is the transitions between them.

// Phase is where one send stands.
type Phase int

// The phases of a send. Held through Late are on the way; the rest are final.
const (
	// Held: confirmed, counting down to the POST; nothing has been sent and Undo takes it back.
	Held Phase = iota
	// Verifying: re-reading the draft's changeKey, so that what is sent is what was confirmed.
	Verifying
	// Clearing: taking a deferred-send time left on the draft off before a send now, so
	// Exchange does not hold it.
	Clearing
	// Deferring: setting the deferred-send time of a send later.
	Deferring
	// Recording: writing the journal entry that must exist before the POST.
	Recording
	// Posting: the POST is in flight.
	Posting
	// Throttled: Graph answered 429 (it did nothing); waiting Retry-After before the POST again.
	Throttled
	// Checking: the answer to the POST was unclear (or a run was interrupted); looking for the
	// copy in Sent Items.
	Checking
	// CheckingDraft: no copy yet; looking whether the draft is still in Drafts.
	CheckingDraft
	// CheckingDeleted: Graph said 404 to the POST, the draft is gone and no copy is in Sent
	// Items yet: looking in Deleted Items, to tell "deleted elsewhere" from "sent elsewhere,
	// its copy on its way".
	CheckingDeleted
	// Looking: accepted; watching Sent Items for the copy (Drafts for a send later).
	Looking
	// Late: accepted, past the deadline, still watching slowly (Options.Watch).
	Late
	// Resetting: a send later did not go out; taking its deferred-send time off again.
	Resetting
	// Pacing: recorded, waiting for the mailbox's next slot for its POST (Options.Pacer).
	// Nothing is posted yet: an interrupt ends it not sent, and its record is forgotten.
	Pacing

	// Sent: the copy is in Sent Items.
	Sent
	// Scheduled: a send later was taken; Exchange holds it until Send.At.
	Scheduled
	// Pending: accepted (or the draft left Drafts), the copy not seen by the end of the watch.
	// Not an error; do not send again.
	Pending
	// NotSent: nothing went out; Err says why. The draft is as it was.
	NotSent
	// Changed: not sent, because the draft changed on the server after it was confirmed.
	Changed
	// Unknown: not known whether it went out (the answer was unclear and looking failed).
	Unknown
	// Undone: taken back during the countdown; nothing was sent.
	Undone
)

var phaseNames = [...]string{"held", "verifying", "clearing", "deferring", "recording", "posting",
	"throttled", "checking", "checking-draft", "checking-deleted", "looking", "late", "resetting", "pacing",
	"sent", "scheduled", "pending", "not-sent", "changed", "unknown", "undone"}

// String names the phase for logs, tests and scripts.
func (p Phase) String() string {
	if int(p) < len(phaseNames) {
		return phaseNames[p]
	}
	return "Phase(?)"
}

// Final reports whether the phase ends the send (nothing more happens, except forgetting it in
// the journal).
func (p Phase) Final() bool { return p >= Sent }

// ActionKind is the work a driver must do next for a send.
type ActionKind int

// The actions. Every one but None and Wait is one request (or one journal write); the driver
// performs it (Perform) and feeds back what came of it.
const (
	None        ActionKind = iota // nothing: the send is final, or waits for the user
	Wait                          // wait Action.Wait (a countdown, Retry-After, a poll delay), then Step with Tick
	Verify                        // read the draft's state (graph.Client.DraftState)
	SetDeferred                   // set the draft's deferred-send time to Action.At
	Record                        // write the journal entry
	Post                          // POST .../send, once
	FindCopy                      // look once in Sent Items for the copy
	CheckDraft                    // read the draft's state, to see if it left Drafts
	FindDeleted                   // look once in Deleted Items for the draft
	Forget                        // remove the journal entry: the outcome is known
)

var actionNames = [...]string{"none", "wait", "verify", "set-deferred", "record", "post", "find-copy", "check-draft", "find-deleted", "forget"}

// String names the action.
func (k ActionKind) String() string {
	if int(k) < len(actionNames) {
		return actionNames[k]
	}
	return "ActionKind(?)"
}

// Action is the next thing to do for a send.
type Action struct {
	Kind ActionKind
	Wait time.Duration // Wait: how long
	At   time.Time     // SetDeferred: the time to set
}

// Answer is what came of an action, fed back to Step. The zero Answer is the end of a Wait.
type Answer struct {
	Err   error            // the request failed (or the journal could not be written)
	Draft graph.DraftState // Verify, CheckDraft
	Copy  *graph.Message   // FindCopy: the copy, or nil when there is none yet
}

// Tick is the Answer that ends a Wait.
var Tick = Answer{}

// Options tune the machine. The zero value sends at once and watches Sent Items for
// graph.DefaultSendDeadline.
type Options struct {
	// Undo is the countdown before the POST, while Undo takes the send back (0: none).
	Undo time.Duration
	// Deadline bounds the watch for the copy after the send is accepted. Negative: do not watch
	// (the send ends Pending as soon as it is accepted). Zero: graph.DefaultSendDeadline.
	Deadline time.Duration
	// Watch is how long after the deadline the copy is still looked for, every LateDelay,
	// while the send shows as Late (the screen goes on watching in the background; the
	// command line stops at the deadline).
	Watch time.Duration
	// PollDelay gives the wait before look n (default graph.PollDelay).
	PollDelay func(n int) time.Duration
	// MaxRetryAfter is the longest Retry-After waited before posting again after a 429
	// (default 30 s); a longer one ends the send NotSent, with the wait in the reason.
	MaxRetryAfter time.Duration
	// MaxPendingAge is how old an interrupted send may be and still be kept in the journal
	// while its outcome is not known (default 7 days).
	MaxPendingAge time.Duration
	// Settle is how long after an unclear answer to the POST (a 5xx, a timeout, a reset) a
	// draft still in Drafts is looked at again, with its copy, before the send is called not
	// sent: Exchange may have taken the send and not yet moved the draft (default 30 s, or a
	// quarter of a shorter Deadline).
	Settle time.Duration
	// Pacer, if set, spaces the POSTs of the sends that share it (a mailbox's): each waits for
	// its slot, Pace after the one before (Exchange takes at most 30 messages a minute).
	Pacer *Pacer
}

// Defaults of Options.
const (
	// LateDelay is the wait between looks while a send is Late.
	LateDelay = 5 * time.Second
	// maxPosts bounds the POSTs of one send: the first, and reposts after a 429 (Graph did
	// nothing with a throttled request).
	maxPosts = 3
	// defaultMaxRetryAfter is Options.MaxRetryAfter's default.
	defaultMaxRetryAfter = 30 * time.Second
	// defaultSettle is Options.Settle's default. A guess: Exchange moves a sent draft out of
	// Drafts within seconds; 30 s leaves room for a slow one.
	defaultSettle = 30 * time.Second
	// DefaultMaxPendingAge is Options.MaxPendingAge's default.
	DefaultMaxPendingAge = 7 * 24 * time.Hour
)

func (o Options) withDefaults() Options {
	if o.Deadline == 0 {
		o.Deadline = graph.DefaultSendDeadline
	}
	if o.PollDelay == nil {
		o.PollDelay = graph.PollDelay
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = defaultMaxRetryAfter
	}
	if o.Settle <= 0 {
		o.Settle = defaultSettle
		if o.Deadline > 0 {
			o.Settle = min(o.Settle, o.Deadline/4)
		}
	}
	if o.MaxPendingAge <= 0 {
		o.MaxPendingAge = DefaultMaxPendingAge
	}
	return o
}

// Errors the machine gives as a send's Err.
var (
	// ErrInterrupted: a previous run started this send and stopped before its answer came.
	ErrInterrupted = errors.New("the program stopped before the answer to the send came")
	// ErrChanged: the draft changed on the server after it was confirmed; it was not sent.
	ErrChanged = errors.New("the draft was changed (in Outlook?) after you confirmed it; nothing was sent: look at it again")
	// ErrGone: the draft was no longer in Drafts when the send was about to start.
	ErrGone = errors.New("the draft is no longer in Drafts (sent or deleted elsewhere); nothing was sent: refresh the list")
	// ErrNoRecipients: the draft has no recipient in To, Cc or Bcc; Outlook refuses such a
	// draft, so the engine does not try.
	ErrNoRecipients = errors.New("this draft has no recipients (To, Cc and Bcc are empty), and Outlook refuses it; add one in Outlook first")
	// ErrTimePassed: a send later's time came while it was being confirmed or counted down;
	// Exchange would send it at once, which is not what was asked.
	ErrTimePassed = errors.New("the time chosen to send it has passed; nothing was sent: choose a later time, or send it now")
	// ErrNotRecorded wraps a journal failure before the POST; nothing was sent.
	ErrNotRecorded = errors.New("the send could not be recorded first, so it was not made")
	// ErrStoppedWaiting: stopped while waiting for the mailbox's next slot (Pacing).
	ErrStoppedWaiting = errors.New("stopped while it waited for its turn; nothing was sent")
)
