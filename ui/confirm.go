package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/draftsmail/drafts/graph"
)

// confirmDialog asks before a send. It shows the subject, every recipient
// (to, cc and bcc, one per line) and whether files are attached; when the
// recipients do not fit, the middle scrolls and the question stays.
type confirmDialog struct {
	draft  graph.Message
	note   string // a warning to read before answering, or ""
	offset int    // first middle line shown

	// The pre-send checks, shown as they arrive; they warn, never block.
	local      []graph.Check // of the draft itself
	tips       []graph.Check // from the recipients' mail tips
	tipsFailed bool          // the mail tips could not be had

	// editable: e can open the draft in the editor (a draft with no recipients is fixed there).
	editable bool

	// at is when a send later goes out (zero: send now), shown in loc.
	at  time.Time
	loc *time.Location

	// gen tells this opening of the dialog from an earlier one, so that
	// the checks asked for by an earlier one are not taken for its own.
	gen int

	// mid is the middle as last wrapped (reflow), for the inputs in midFor: a draft with
	// 50,000 recipients is wrapped once, not on every key and frame.
	mid    []string
	midFor midKey
}

// midKey is everything the wrapped middle depends on.
type midKey struct {
	w             int
	dark          bool
	id, changeKey string
	modified      time.Time
	note          string
	at            time.Time
	local, tips   int
	tipsFailed    bool
	files         int
}

func (c confirmDialog) key(st styles, w int) midKey {
	return midKey{w: w, dark: st.isDark, id: c.draft.ID, changeKey: c.draft.ChangeKey, modified: c.draft.LastModified,
		note: c.note, at: c.at, local: len(c.local), tips: len(c.tips), tipsFailed: c.tipsFailed, files: len(c.draft.Attachments)}
}

// reflow wraps the middle for a body of width w (when anything it depends on changed) and
// keeps it. The root calls it after every update while the dialog is open.
func (c confirmDialog) reflow(st styles, w int) confirmDialog {
	tw := c.textWidth(w)
	if k := c.key(st, tw); c.mid == nil || c.midFor != k {
		c.mid, c.midFor = c.wrap(st, tw), k
	}
	return c
}

func newConfirm(d graph.Message, note string) confirmDialog {
	return confirmDialog{draft: d, note: note, local: graph.Warnings(d)}
}

// sendable reports whether the draft can be sent at all: Outlook refuses a draft without a
// recipient in To, Cc or Bcc, so the dialog offers no 'y' for one.
func (c confirmDialog) sendable() bool { return len(c.draft.Recipients()) > 0 }

// withDraft shows a newer version of the draft, keeping the mail tips
// (a changed recipient list brings its own when the dialog is reopened).
func (c confirmDialog) withDraft(d graph.Message) confirmDialog {
	n := newConfirm(d, c.note)
	n.tips, n.tipsFailed = c.tips, c.tipsFailed
	n.at, n.loc, n.gen, n.editable = c.at, c.loc, c.gen, c.editable
	if len(n.draft.Attachments) == 0 && n.draft.HasAttachments {
		n.draft.Attachments = c.draft.Attachments
	}
	if !d.HasBody && c.draft.HasBody {
		n.local = c.local
	}
	return n
}

// Dialog geometry: border and padding around the text, and the widest text.
const (
	dialogFrameW = 6 // border 2 + padding 4
	dialogFrameH = 2
	dialogMargin = 2 // a blank column each side, so the list does not touch the border
	dialogMaxW   = 64
)

// textWidth is the width of the dialog's text for a body of w cells.
func (c confirmDialog) textWidth(w int) int {
	return max(min(w-dialogFrameW-dialogMargin, dialogMaxW), 10)
}

// middle is the scrolling part: subject, recipients, attachments, notes, wrapped to w cells
// (as kept by reflow, when it is still true).
func (c confirmDialog) middle(st styles, w int) []string {
	if c.mid != nil && c.midFor == c.key(st, w) {
		return c.mid
	}
	return c.wrap(st, w)
}

// wrap makes the middle for a width of w cells.
func (c confirmDialog) wrap(st styles, w int) []string {
	d := c.draft
	var lines []string
	field := func(label, value string, vs lipgloss.Style) {
		wrapped := strings.Split(ansi.Wrap(value, max(w-labelWidth, 1), " "), "\n")
		for i, l := range wrapped {
			prefix := strings.Repeat(" ", labelWidth)
			if i == 0 {
				prefix = st.label.Render(label + strings.Repeat(" ", labelWidth-width(label)))
			}
			lines = append(lines, truncate(prefix+vs.Render(l), w))
		}
	}
	plain := lipgloss.NewStyle()
	field("Subject", subjectOf(d), st.dialogTitle)
	if !c.at.IsZero() {
		field("When", "scheduled for "+c.at.In(c.loc).Format(whenFormat), st.ok)
	}
	if d.Kind != graph.KindNew {
		field("Kind", d.Kind.String(), st.meta)
	}
	switch {
	case len(d.Attachments) > 0:
		field("Files", attachMrk+" "+filesLine(d)+": they go with it", st.meta)
	case d.HasAttachments:
		field("Files", attachMrk+" attached, they go with it", st.meta)
	}
	if d.Importance == graph.ImportanceHigh {
		field("Flag", importantMrk+" high importance", st.important)
	}
	groups := []struct {
		label string
		rs    []graph.Recipient
	}{{"To", d.To}, {"Cc", d.Cc}, {"Bcc", d.Bcc}}
	for _, g := range groups {
		for i, r := range g.rs {
			label := g.label
			if i > 0 {
				label = ""
			}
			field(label, r.String(), plain)
		}
	}
	if !c.sendable() {
		fix := "add one in Outlook first"
		if c.editable {
			fix = "press e to add one"
		}
		field("To", "nobody — Outlook refuses a draft without recipients, so it cannot be sent: "+fix, st.warn)
	}
	if checks := append(append([]graph.Check(nil), c.local...), c.tips...); len(checks) > 0 || c.tipsFailed {
		lines = append(lines, "")
		for _, ch := range checks {
			for i, l := range strings.Split(ansi.Wrap(ch.Text, max(w-2, 1), " "), "\n") {
				prefix := "  "
				if i == 0 {
					prefix = warnMrk + " "
				}
				lines = append(lines, truncate(st.warn.Render(prefix+l), w))
			}
		}
		if c.tipsFailed {
			lines = append(lines, truncate(st.faint.Render("mail tips unavailable: recipients not checked"), w))
		}
	}
	if c.note != "" {
		lines = append(lines, "")
		for _, l := range strings.Split(ansi.Wrap(c.note, w, " "), "\n") {
			lines = append(lines, st.warn.Render(l))
		}
	}
	return lines
}

// dialogRoom is how many text lines fit between the title and the keys of
// a dialog in a body of h lines. tight reports that the blank lines around
// them were given up so that at least two fit (a short terminal).
func dialogRoom(h int) (n int, tight bool) {
	if n = h - dialogFrameH - 4; n >= 2 { // title, blank, blank, keys
		return n, false
	}
	return max(h-dialogFrameH-2, 1), true
}

// dialogBox draws a dialog of text width tw that fits a body of h lines:
// the title, the text, and the keys. Text beyond the room is cut, the last
// line kept ending in an ellipsis.
func dialogBox(st styles, tw, h int, title string, text []string, keys string) string {
	room, tight := dialogRoom(h)
	if len(text) > room && !tight { // the blank lines around the text give way to it first
		room, tight = room+2, true
	}
	if len(text) > room {
		text = append(text[:room-1:room-1], ansi.Truncate(text[room-1], tw-1, "")+ellipsis)
	}
	lines := []string{st.dialogTitle.Render(title)}
	if !tight {
		lines = append(lines, "")
	}
	lines = append(lines, text...)
	if !tight {
		lines = append(lines, "")
	}
	lines = append(lines, truncate(keys, tw))
	return st.dialog.Width(tw + dialogFrameW).Render(strings.Join(lines, "\n"))
}

// scroll moves the middle by n lines within what there is to see.
func (c confirmDialog) scroll(n int, st styles, w, h int) confirmDialog {
	room, _ := dialogRoom(h)
	c.offset = scrolled(c.offset, n, len(c.middle(st, c.textWidth(w))), room)
	return c
}

// overflows reports whether the middle needs scrolling in a w×h body.
func (c confirmDialog) overflows(st styles, w, h int) bool {
	room, _ := dialogRoom(h)
	return len(c.middle(st, c.textWidth(w))) > room
}

func (c confirmDialog) kind() state { return stateConfirm }

// fixable reports whether e offers the editor: for a draft with no recipients, or one whose own
// text is what the warnings are about (nothing written, a file promised but not attached).
func (c confirmDialog) fixable() bool {
	if !c.editable {
		return false
	}
	if !c.sendable() {
		return true
	}
	for _, ch := range c.local {
		if ch.Kind == graph.CheckEmptyBody || ch.Kind == graph.CheckMissingAttachment {
			return true
		}
	}
	return false
}

// update answers the dialog: y sends (never for a draft without recipients), n/esc keeps the
// draft, j/k (and the page keys) scroll the recipients.
func (c confirmDialog) update(k tea.KeyPressMsg, ctx dialogCtx) (overlay, tea.Cmd, outcome) {
	switch {
	case key.Matches(k, ctx.keys.Yes) && c.sendable():
		return c, nil, sendConfirmed{draft: c.draft, at: c.at}
	case key.Matches(k, ctx.keys.Edit) && c.fixable():
		return c, nil, editChosen{draft: c.draft}
	case key.Matches(k, ctx.keys.No):
		if !c.sendable() {
			return c, nil, closed{}
		}
		return c, nil, closed{info("Not sent; the draft is unchanged")}
	}
	room, _ := dialogRoom(ctx.h)
	if n, ok := scrollBy(k, ctx.keys, room); ok {
		c = c.scroll(n, ctx.st, ctx.w, ctx.h)
	}
	return c, nil, nil
}

// bindings are y (when the draft can be sent), n/esc, and the scroll keys when the recipients
// scroll.
func (c confirmDialog) bindings(k *keyMap, ctx dialogCtx) []*key.Binding {
	k.Yes.SetHelp("y", "send")
	if !c.at.IsZero() {
		k.Yes.SetHelp("y", "schedule")
	}
	k.No.SetHelp("n/esc", "keep draft")
	on := []*key.Binding{&k.No}
	switch {
	case c.sendable():
		on = append(on, &k.Yes)
		if c.fixable() {
			k.Edit.SetHelp("e", "edit")
			on = append(on, &k.Edit)
		}
	case c.editable:
		k.No.SetHelp("n/esc", "close")
		k.Edit.SetHelp("e", "add recipients")
		on = append(on, &k.Edit)
	default:
		k.No.SetHelp("n/esc", "close")
	}
	if c.overflows(ctx.st, ctx.w, ctx.h) {
		on = append(on, scrollKeys(k)...)
	}
	return on
}

func (c confirmDialog) view(ctx dialogCtx) string { return c.draw(ctx.st, ctx.w, ctx.h) }

// draw draws the dialog box to fit a body of w×h cells.
func (c confirmDialog) draw(st styles, w, h int) string {
	tw := c.textWidth(w)
	room, _ := dialogRoom(h)
	mid, arrow := window(c.middle(st, tw), c.offset, room)
	keys := func(keep, more string) string {
		verb := " send   "
		if !c.at.IsZero() {
			verb = " schedule   "
		}
		s := st.keyHint.Render("y") + verb + st.keyHint.Render("n") + "/" + st.keyHint.Render("esc") + keep
		if c.sendable() && c.fixable() {
			s = st.keyHint.Render("y") + verb + st.keyHint.Render("e") + " edit   " + st.keyHint.Render("n") + "/" + st.keyHint.Render("esc") + keep
		}
		if !c.sendable() {
			s = st.keyHint.Render("n") + "/" + st.keyHint.Render("esc") + " close"
			if c.editable {
				s = st.keyHint.Render("e") + " edit   " + s
			}
		}
		if arrow != "" {
			s += st.faint.Render(fmt.Sprintf(more, arrow))
		}
		return s
	}
	k := keys(" keep as draft", "  %s more (j/k)")
	if width(k) > tw { // say how to scroll to every recipient, even on a narrow screen
		k = keys(" keep", "  %s j/k")
	}
	title := "Send this draft now?"
	switch {
	case !c.sendable():
		title = "This draft cannot be sent"
	case !c.at.IsZero():
		title = "Send this draft later?"
	}
	return dialogBox(st, tw, h, title, mid, k)
}
