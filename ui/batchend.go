package ui

import (
	"strings"

	"github.com/draftsmail/drafts/graph/sending"
)

// How a batch ended: once every send of it has an outcome (in Sent Items, accepted but not seen
// by the end of the watch, not sent, unknown, or stopped by u), one status line says it for
// all of them, and Sent Items marks every copy the batch put there.

// settledPhase reports whether a send in phase p has an outcome the batch's end can count.
func settledPhase(p sending.Phase) bool {
	switch p {
	case sending.Sent, sending.Late, sending.Pending, sending.NotSent, sending.Changed, sending.Unknown, sending.Undone:
		return true
	}
	return false
}

// ended counts a send of the batch going from phase before to after.
func (b batchInfo) ended(before, after sending.Phase) batchInfo {
	waiting := func(p sending.Phase) bool { return p == sending.Late || p == sending.Pending }
	if waiting(before) && !waiting(after) {
		b.late-- // seen after all, or found out otherwise
	}
	switch {
	case after == sending.Sent:
		b.seen++
	case waiting(after) && !waiting(before):
		b.late++
	case after == sending.Unknown:
		b.unknown++
	case after == sending.Undone && b.started:
		b.stopped++
	}
	return b
}

// done reports whether every send of the batch has an outcome, after some were sent (a batch
// taken back whole during its countdown was never under way: its undo says so).
func (b batchInfo) done() bool { return b.started && b.seen+b.late+b.failed+b.stopped >= b.total }

// summary is the status that says how the batch ended.
func (b batchInfo) summary() status {
	if b.seen == b.total {
		if b.total == 1 {
			return success("The draft is in Sent Items")
		}
		return success("All " + thousands(b.total) + " drafts are in Sent Items")
	}
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, thousands(n)+" "+what)
		}
	}
	add(b.seen, "in Sent Items")
	add(b.late, "accepted, not in Sent Items yet (do not send again)")
	add(b.failed-b.unknown, "not sent (still drafts)")
	add(b.unknown, "with an unknown outcome (look in Sent Items before sending again)")
	add(b.stopped, "stopped (still drafts)")
	text := "Of the " + thousands(b.total) + " drafts sent together: " + strings.Join(parts, ", ")
	if b.total == 1 {
		text = "The draft sent: " + strings.Join(parts, ", ")
	}
	if b.late+b.failed > 0 {
		return warning(text)
	}
	return info(text)
}
