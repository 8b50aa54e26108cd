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
	say(discards, "not discarded: %s stays in Drafts", "not discarded: %d drafts stay in Drafts")
	for _, q := range onTheirWay {
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
