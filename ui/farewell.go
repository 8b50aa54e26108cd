package ui

import (
	"fmt"
	"io"

	"github.com/draftsmail/drafts/graph/sending"
)

// What the screen leaves said when it closes: the sends and discards quitting stopped (their
// countdowns, or their turns, never came), and the sends quitting left on their way. The screen
// that said it is gone; a line on standard error stays (ctrl+c twice, say, ends every countdown
// without another word on the screen).

// farewell are those lines, without the program's name.
func (m model) farewell() []string {
	var lines []string
	var sends, discards []string
	for _, it := range m.sends.heldItems() {
		if it.discard {
			discards = append(discards, quoted(it.draft))
		} else {
			sends = append(sends, quoted(it.draft))
		}
	}
	for _, s := range m.sends.queued() {
		if s.Phase == sending.Pacing { // recorded, not posted: the next start finds it a draft
			sends = append(sends, quoted(s.Draft))
		}
	}
	var onTheirWay []string
	for _, s := range m.sends.unsettled() {
		if s.Posted() {
			onTheirWay = append(onTheirWay, quoted(s.Draft))
		} else {
			sends = append(sends, quoted(s.Draft)) // still being checked: no POST was made
		}
	}
	say := func(names []string, one, many string) {
		switch len(names) {
		case 0:
		case 1:
			lines = append(lines, fmt.Sprintf(one, names[0]))
		default:
			lines = append(lines, fmt.Sprintf(many, len(names)))
		}
	}
	say(sends, "not sent: %s is still a draft (quitting ended its countdown)", "not sent: %d drafts are still drafts (quitting ended their countdowns)")
	if q, ok := m.top().(quitQuestion); ok { // "send now": drafts closed once they were out
		var seen, accepted []string
		for _, id := range q.leaving {
			s, known := m.sends.job(id)
			switch {
			case !known || s.Phase == sending.Sent: // (forgotten once its draft left Drafts)
				seen = append(seen, q.names[id])
			case s.Phase == sending.Looking || s.Phase == sending.Late || s.Phase == sending.Pending:
				accepted = append(accepted, q.names[id])
			}
		}
		say(seen, "sent: %s went out", "sent: %d drafts went out")
		say(accepted, "%s was accepted by Outlook, not in Sent Items yet: do not send it again", "%d drafts were accepted by Outlook, not in Sent Items yet: do not send them again")
	}
	say(discards, "not discarded: %s stays in Drafts", "not discarded: %d drafts stay in Drafts")
	for _, q := range onTheirWay {
		if m.opts.Ephemeral {
			lines = append(lines, q+" was on its way when drafts closed (the demo's mailbox closed with it)")
			continue
		}
		lines = append(lines, q+" was on its way when drafts closed: the next start looks in Sent Items and says what became of it")
	}
	return lines
}

// sayFarewell writes the farewell to w, one line each.
func (m model) sayFarewell(w io.Writer) {
	if w == nil {
		return
	}
	for _, l := range m.farewell() {
		fmt.Fprintln(w, "drafts: "+l)
	}
}
