package sending

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// Outcome names a final send as scripts see it: "sent", "scheduled", "pending", "not-sent",
// "unknown"; "" while the send is on its way.
func (s Send) Outcome() string {
	switch s.Phase {
	case Sent, Scheduled, Pending, Unknown:
		return s.Phase.String()
	case NotSent, Changed, Undone:
		return "not-sent"
	}
	return ""
}

// Elapsed is the time from the first POST to the end (or to now, for a send on its way).
func (s Send) Elapsed(now time.Time) time.Duration {
	if s.Start.IsZero() {
		return 0
	}
	if !s.Ended.IsZero() {
		now = s.Ended
	}
	return now.Sub(s.Start)
}

// Summary says in one line, for a person, what is true of a final send. What is true and what
// to do come first: a terminal's status line may show only the start.
func (s Send) Summary() string {
	if s.Recovered {
		return s.interruptedSummary()
	}
	switch s.Phase {
	case Sent:
		switch {
		case !s.Reconciled:
			return fmt.Sprintf("sent: in Sent Items after %s", seconds(s.Elapsed(s.Ended)))
		case graph.IsNotFound(s.Err):
			return "sent: the draft had already left Drafts, and its copy is in Sent Items"
		}
		return fmt.Sprintf("sent: the copy is in Sent Items (the answer to the send was unclear: %s)", shortReason(s.Err))
	case Scheduled:
		at := s.At.Local().Format("Mon 2 Jan 15:04")
		if s.Reconciled {
			return fmt.Sprintf("scheduled for %s: Exchange has it (the answer to the send was unclear: %s)", at, shortReason(s.Err))
		}
		return fmt.Sprintf("scheduled for %s: Exchange holds it until then", at)
	case Pending, Late:
		return s.pendingSummary()
	case Unknown:
		if !s.At.IsZero() && s.InDrafts {
			return fmt.Sprintf("not known whether it was scheduled: the draft is still in Drafts with its send time; open it in Outlook before sending it again (the answer to the send was unclear: %s)", shortReason(s.Err))
		}
		if !s.At.IsZero() {
			return fmt.Sprintf("not known whether it was scheduled: look in Drafts and the Outbox in Outlook before sending it again; the next start of drafts checks it (the answer to the send was unclear: %s; Drafts could not be checked: %s)",
				shortReason(s.Err), lookReason(s.LookErr))
		}
		if s.InDrafts && s.LookErr == nil {
			return fmt.Sprintf("not known whether it was sent: it was still in Drafts, with no copy in Sent Items yet, when the wait was cut short; look in Sent Items before sending again, the next start of drafts checks it (the answer to the send was unclear: %s)", shortReason(s.Err))
		}
		return fmt.Sprintf("not known whether it was sent: look in Sent Items before sending again (the answer to the send was unclear: %s; Sent Items could not be checked: %s)",
			shortReason(s.Err), lookReason(s.LookErr))
	case Changed:
		return "not sent: " + ErrChanged.Error()
	case Undone:
		return "not sent: undone; the draft is unchanged"
	case NotSent:
		switch {
		case !s.Reconciled:
			return "not sent: " + graph.Describe(s.Err) + s.ResetNote()
		case s.InDrafts:
			return fmt.Sprintf("not sent: the draft is still in Drafts; send it again when ready (the answer to the send was unclear: %s)", shortReason(s.Err))
		}
		return "not sent: this draft no longer exists in Drafts and has no copy in Sent Items (deleted, or sent elsewhere moments ago); refresh the list"
	}
	return s.Phase.String()
}

// pendingSummary describes a send accepted (or gone from Drafts) whose copy was not seen.
func (s Send) pendingSummary() string {
	lead, why := "accepted by Outlook", ""
	if s.Reconciled {
		lead = "probably sent: the draft has left Drafts"
		why = "; the answer to the send was unclear: " + shortReason(s.Err)
	}
	switch {
	case s.LookErr != nil:
		return fmt.Sprintf("%s; do not send it again (Sent Items could not be checked: %s%s)", lead, graph.Describe(s.LookErr), why)
	case s.Looks == 0:
		return fmt.Sprintf("%s; do not send it again (Sent Items not checked%s)", lead, why)
	}
	return fmt.Sprintf("%s, not in Sent Items yet; do not send it again (looked for %s%s)", lead, seconds(s.Elapsed(s.Ended)), why)
}

// interruptedSummary describes the settling of a send a previous run left unsettled.
func (s Send) interruptedSummary() string {
	switch s.Phase {
	case Sent:
		return "an interrupted send went out: it is in Sent Items"
	case Scheduled:
		if !s.Ended.IsZero() && !s.At.After(s.Ended) {
			return "an interrupted send later was taken; its time (" + s.At.Local().Format("Mon 2 Jan 15:04") + ") has passed: look for it in Sent Items"
		}
		return "an interrupted send later was taken: Exchange holds it until " + s.At.Local().Format("Mon 2 Jan 15:04")
	case NotSent:
		if s.InDrafts {
			return "an interrupted send did not go out; the draft is still in Drafts"
		}
		return "an interrupted send did not go out, and the draft is no longer in Drafts"
	case Pending, Late, Looking:
		if s.LookErr != nil {
			return fmt.Sprintf("an interrupted send went out (the draft has left Drafts), but Sent Items could not be checked (%s); do not send it again", graph.Describe(s.LookErr))
		}
		return "an interrupted send went out (the draft has left Drafts), not in Sent Items yet; do not send it again"
	case Unknown:
		if !s.At.IsZero() && s.InDrafts {
			return "not known whether an interrupted send later was taken: the draft is still in Drafts with its send time; open it in Outlook before sending it again"
		}
	}
	return fmt.Sprintf("not known whether an interrupted send went out: Sent Items could not be checked (%s); look in Sent Items before sending it again", lookReason(s.LookErr))
}

// shortReason names an unclear answer to a send in a few words.
func shortReason(err error) string {
	if errors.Is(err, ErrInterrupted) {
		return "the program stopped before the answer came"
	}
	if e, ok := graph.AsError(err); ok {
		if e.Code != "" {
			return fmt.Sprintf("Graph answered %d %s", e.Status, e.Code)
		}
		return fmt.Sprintf("Graph answered HTTP %d", e.Status)
	}
	if err == nil {
		return "no answer"
	}
	s := graph.Describe(err)
	if i := strings.Index(s, "; "); i > 0 {
		s = s[:i]
	}
	return s
}

// lookReason says why looking failed.
func lookReason(err error) string {
	if why := graph.Describe(err); why != "" {
		return why
	}
	return "no answer"
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// ResetNote is what a send later that did not go out leaves behind, when taking its send time
// off the draft failed: "" otherwise.
func (s Send) ResetNote() string {
	if s.ResetErr == nil {
		return ""
	}
	return fmt.Sprintf("; its send time (%s) could not be taken off the draft (%s): sent from Outlook, Exchange would hold it until then",
		s.At.Local().Format("Mon 2 Jan 15:04"), graph.Describe(s.ResetErr))
}
