package sending

import (
	"errors"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// TestSummaryWording pins the one-line outcome of final sends, including the ones the driver
// tests reach only with long watches.
func TestSummaryWording(t *testing.T) {
	gateway := &graph.Error{Op: "send", Status: 504, Code: "GatewayTimeout"}
	lookErr := &graph.TransportError{Op: "find sent", Host: "graph.microsoft.com", Err: errors.New("connection reset")}
	ended := t0.Add(2 * time.Minute)
	at := later.Local().Format("Mon 2 Jan 15:04")
	tests := []struct {
		name string
		s    Send
		want string
	}{
		{"accepted, deadline passed",
			Send{Phase: Pending, Looks: 9, Start: t0, Ended: ended},
			"accepted by Outlook, not in Sent Items yet; do not send it again (looked for 120.0 s)"},
		{"accepted, not looked",
			Send{Phase: Pending},
			"accepted by Outlook; do not send it again (Sent Items not checked)"},
		{"unclear, draft gone, deadline passed",
			Send{Phase: Pending, Reconciled: true, Err: gateway, Looks: 9, Start: t0, Ended: ended},
			"probably sent: the draft has left Drafts, not in Sent Items yet; do not send it again (looked for 120.0 s; the answer to the send was unclear: Graph answered 504 GatewayTimeout)"},
		{"unclear, then found",
			Send{Phase: Sent, Reconciled: true, Err: gateway},
			"sent: the copy is in Sent Items (the answer to the send was unclear: Graph answered 504 GatewayTimeout)"},
		{"unclear, still in Drafts",
			Send{Phase: NotSent, Reconciled: true, InDrafts: true, Err: gateway},
			"not sent: the draft is still in Drafts; send it again when ready (the answer to the send was unclear: Graph answered 504 GatewayTimeout)"},
		{"send later, unclear, looking failed: advice for a scheduled send",
			Send{Phase: Unknown, At: later, Reconciled: true, Err: gateway, LookErr: lookErr},
			"not known whether it was scheduled: look in Drafts and the Outbox in Outlook before sending it again; the next start of drafts checks it (the answer to the send was unclear: Graph answered 504 GatewayTimeout; Drafts could not be checked: " + lookErr.Error() + ")"},
		{"interrupted send later taken, its time passed",
			Send{Phase: Scheduled, At: later, Recovered: true, Reconciled: true, Err: ErrInterrupted, Ended: later.Add(time.Hour)},
			"an interrupted send later was taken; its time (" + at + ") has passed: look for it in Sent Items"},
		{"unclear, looking failed",
			Send{Phase: Unknown, Reconciled: true, Err: gateway, LookErr: lookErr},
			"not known whether it was sent: look in Sent Items before sending again (the answer to the send was unclear: Graph answered 504 GatewayTimeout; Sent Items could not be checked: " + lookErr.Error() + ")"},
		{"scheduled",
			Send{Phase: Scheduled, At: later},
			"scheduled for " + at + ": Exchange holds it until then"},
		{"scheduled, unclear",
			Send{Phase: Scheduled, At: later, Reconciled: true, Err: gateway},
			"scheduled for " + at + ": Exchange has it (the answer to the send was unclear: Graph answered 504 GatewayTimeout)"},
		{"send later, unclear, still in Drafts with its time",
			Send{Phase: Unknown, At: later, InDrafts: true, Reconciled: true, Err: gateway},
			"not known whether it was scheduled: the draft is still in Drafts with its send time; open it in Outlook before sending it again (the answer to the send was unclear: Graph answered 504 GatewayTimeout)"},
		{"changed", Send{Phase: Changed, Err: ErrChanged}, "not sent: " + ErrChanged.Error()},
		{"undone", Send{Phase: Undone}, "not sent: undone; the draft is unchanged"},
		{"interrupted, went out, not seen yet",
			Send{Phase: Pending, Recovered: true, Reconciled: true, Err: ErrInterrupted},
			"an interrupted send went out (the draft has left Drafts), not in Sent Items yet; do not send it again"},
		{"interrupted, gone, not in Drafts",
			Send{Phase: NotSent, Recovered: true, Reconciled: true, Err: ErrInterrupted},
			"an interrupted send did not go out, and the draft is no longer in Drafts"},
		{"interrupted, could not look",
			Send{Phase: Unknown, Recovered: true, Reconciled: true, Err: ErrInterrupted, LookErr: lookErr},
			"not known whether an interrupted send went out: Sent Items could not be checked (" + lookErr.Error() + "); look in Sent Items before sending it again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Summary(); got != tt.want {
				t.Errorf("Summary() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
