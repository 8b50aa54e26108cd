package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// Row markers. Each is one or two cells wide in every terminal.
const (
	selMarker    = "▌ "
	importantMrk = "!"
	attachMrk    = "📎"
	markedMrk    = "✓" // in the selection marker's second cell: marked to send with others
)

// rowDelegate draws one message as two lines:
//
//	▌ Subject                                   ! 📎 12 min ago
//	▌ To: Megan, Alex +2 more                        ⠋ sending
//
// It is rebuilt for every frame with the current clock, styles and sends,
// so it holds values only.
type rowDelegate struct {
	st    styles
	now   time.Time
	loc   *time.Location
	sends sendQueue
	spin  string
	// sent is set for rows of Sent Items; justSent are the ids of the copies
	// of the messages just sent (sentView.justSent).
	sent     bool
	justSent map[string]bool
	// from shows the sender on the second line (the Inbox), not the recipients.
	from bool
	// fresh marks the drafts that appeared or changed while the user looked.
	fresh map[string]freshness
	// marked are the drafts marked to send together (marks.go).
	marked map[string]bool
}

// render writes the row for msg, w cells wide; neither line is wider.
func (d rowDelegate) render(b *strings.Builder, msg graph.Message, selected bool, w int) {
	inner := w - width(selMarker)
	if inner < 1 {
		return
	}
	mark := "  "
	if selected {
		mark = d.st.marker.Render(selMarker)
	}
	first := mark
	if d.marked[msg.ID] {
		first = " " + d.st.ok.Render(markedMrk)
		if selected {
			first = d.st.marker.Render(strings.TrimSpace(selMarker)) + d.st.ok.Render(markedMrk)
		}
	}
	b.WriteString(first)
	b.WriteString(d.firstLine(msg, selected, inner))
	b.WriteString("\n")
	b.WriteString(mark)
	b.WriteString(d.secondLine(msg, selected, inner))
}

// firstLine is the subject with the markers and the age on the right.
func (d rowDelegate) firstLine(msg graph.Message, selected bool, w int) string {
	when := msg.LastModified
	if d.sent {
		when = msg.Sent
	}
	age := ago(when, d.now, d.loc)
	var flags []string
	if msg.Importance == graph.ImportanceHigh {
		flags = append(flags, importantMrk)
	}
	if msg.HasAttachments {
		flags = append(flags, attachMrk)
	}
	right := age
	for i := len(flags) - 1; i >= 0; i-- {
		right = flags[i] + " " + right
	}
	subj := subjectOf(msg)
	l, gap, r := spread(subj, right, w)
	st := d.st.subject
	switch {
	case msg.Subject == "" || l == "":
		st = d.st.noSubject
	case selected:
		st = d.st.subjectSel
	}
	if r != right { // the right side alone did not fit
		return st.Render(l) + gap + d.st.age.Render(r)
	}
	styled := ""
	for _, f := range flags {
		fs := d.st.attachment
		if f == importantMrk {
			fs = d.st.important
		}
		styled += fs.Render(f) + " "
	}
	return st.Render(l) + gap + styled + d.st.age.Render(age)
}

// secondLine is the recipients with the state of a send on the right.
func (d rowDelegate) secondLine(msg graph.Message, selected bool, w int) string {
	state, stStyle := d.state(msg)
	prefix := "To: "
	avail := w - width(prefix) - width(state) - 1
	who := recipientSummary(msg.Recipients(), max(avail, 1))
	if d.from {
		prefix, who = "From: ", truncate(msg.From.String(), max(avail-2, 1))
	}
	l, gap, r := spread(prefix+who, state, w)
	meta := d.st.meta
	if selected {
		meta = d.st.metaSel
	}
	return meta.Render(l) + gap + stStyle.Render(r)
}

// state is the short text on the right of a row's second line.
func (d rowDelegate) state(msg graph.Message) (string, lipgloss.Style) {
	if d.sent {
		switch {
		case d.justSent[msg.ID]:
			return "✓ just sent", d.st.justSent
		case msg.IsScheduled(d.now):
			return "scheduled · " + msg.DeferredUntil.In(d.loc).Format(whenShort), d.st.warn
		}
		return "", d.st.meta
	}
	if h, ok := d.sends.discards[msg.ID]; ok {
		left := int((h.until.Sub(d.now) + time.Second - 1) / time.Second)
		return fmt.Sprintf("discarding in %d s", max(left, 0)), d.st.warn
	}
	if d.sends.sendingElsewhere(msg.ID) {
		return d.spin + " being sent elsewhere", d.st.working
	}
	j, ok := d.sends.job(msg.ID)
	if !ok {
		switch d.fresh[msg.ID] {
		case freshNew:
			return "● new", d.st.ok
		case freshChanged:
			return "● changed", d.st.warn
		}
		if msg.IsScheduled(d.now) { // scheduled elsewhere (Outlook on the web keeps it in Drafts)
			return "scheduled · " + msg.DeferredUntil.In(d.loc).Format(whenShort), d.st.warn
		}
		return "", d.st.meta
	}
	switch j.Phase {
	case sending.Held:
		left := int((j.Until.Sub(d.now) + time.Second - 1) / time.Second)
		if !j.At.IsZero() {
			return fmt.Sprintf("scheduling in %d s", max(left, 0)), d.st.warn // a send later
		}
		return fmt.Sprintf("sending in %d s", max(left, 0)), d.st.warn
	case sending.Verifying, sending.Clearing, sending.Deferring, sending.Pacing, sending.Recording, sending.Posting, sending.Throttled:
		return d.spin + " sending", d.st.working
	case sending.Checking, sending.CheckingDraft, sending.CheckingDeleted, sending.Resetting:
		return d.spin + " checking", d.st.working
	case sending.Looking:
		return d.spin + " waiting for Sent Items", d.st.working
	case sending.Late, sending.Pending:
		if j.Reconciled {
			return "left Drafts, not in Sent Items yet", d.st.warn
		}
		return "accepted, not in Sent Items yet", d.st.warn
	case sending.Sent:
		return "✓ sent", d.st.ok
	case sending.Scheduled:
		return "scheduled · " + j.At.In(d.loc).Format(whenShort), d.st.warn
	case sending.NotSent, sending.Changed:
		return "✗ not sent", d.st.bad
	case sending.Unknown:
		return "? outcome unknown", d.st.warn
	}
	return "", d.st.meta
}
