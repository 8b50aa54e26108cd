package ui

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// confirmMany asks once before the marked drafts are sent together: every draft with its
// recipients and its warnings (its own, then its recipients' mail tips, as they arrive, one
// draft at a time), the drafts left out and why, and how the batch goes out. y sends them as
// one batch (sendbatch.go); the checks warn, never block.
type confirmMany struct {
	drafts  []graph.Message // the drafts to send, in the list's order
	skipped []skippedDraft  // marked drafts that cannot be sent now
	checks  map[string][]graph.Check
	checked int // how many drafts have been checked
	gen     int // tells this opening's checks from an earlier one's
	offset  int // the first middle line shown

	mid    []string // the middle as last wrapped, for midFor
	midFor manyKey
	// blocks are each draft's lines as last wrapped for blocksFor (its checked field unused);
	// nil for a draft whose checks came since. A check of 1,000 drafts wraps one draft again,
	// not all of them.
	blocks    [][]string
	blocksFor manyKey
}

// skippedDraft is a marked draft left out of a batch, and why.
type skippedDraft struct {
	draft graph.Message
	why   string
}

// manyKey is everything the wrapped middle depends on.
type manyKey struct {
	w, checked int
	dark       bool
}

// manyCheckMsg carries the warnings of one draft of the batch, the checks' next step.
type manyCheckMsg struct {
	gen    int
	i      int
	checks []graph.Check
}

// askSendMany opens the question for the marked drafts; one marked draft gets the dialog of
// one draft.
func (m model) askSendMany(ds []graph.Message) (model, tea.Cmd) {
	if len(ds) == 1 {
		return m.askSend(ds[0])
	}
	c := confirmMany{checks: map[string][]graph.Check{}}
	for _, d := range ds {
		if why := m.cannotSend(d); why != "" {
			c.skipped = append(c.skipped, skippedDraft{d, why})
			continue
		}
		c.drafts = append(c.drafts, d)
	}
	if len(c.drafts) == 0 {
		m.status = warning("None of the marked drafts can be sent now: " + c.skippedText())
		return m, nil
	}
	m.confirmGen++
	c.gen = m.confirmGen
	m.status = status{}
	m.push(c)
	return m, manyCheckCmd(m.ctx, m.mb, c.drafts, 0, c.gen)
}

// cannotSend says why a draft cannot be sent now, or "".
func (m model) cannotSend(d graph.Message) string {
	switch {
	case len(d.Recipients()) == 0:
		return "no recipients"
	case m.sends.discarding(d.ID):
		return "being discarded"
	case m.sends.sendingElsewhere(d.ID):
		return "being sent by another drafts"
	case m.sendLocked(d.ID):
		return "already being sent"
	}
	if m.unsavedEdit(d.ID) {
		return "your last edit of it is not saved: send it alone, or go on with the edit first"
	}
	if s, ok := m.sends.job(d.ID); ok && s.Phase == sending.Unknown {
		// Its last send may have gone out: it is sent again only alone, after the dialog of
		// one draft has said to look in Sent Items first.
		return "its last send has an unknown outcome: look in Sent Items, then send it alone"
	}
	return ""
}

// manyCheckCmd checks draft i of the batch: its own warnings (its body read) and its
// recipients' mail tips.
func manyCheckCmd(ctx context.Context, mb Mailbox, ds []graph.Message, i, gen int) tea.Cmd {
	d := ds[i]
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, checksTimeout)
		defer cancel()
		if full, err := mb.Message(ctx, d.ID); err == nil && full.ID == d.ID {
			d = full
		}
		checks := graph.Warnings(d)
		tips, err := mb.TipWarnings(ctx, d)
		checks = append(checks, tips...)
		if err != nil {
			checks = append(checks, graph.Check{Text: "mail tips unavailable: recipients not checked"})
		}
		return manyCheckMsg{gen: gen, i: i, checks: checks}
	}
}

// updateManyChecks takes one draft's warnings into the open question and checks the next.
func (m model) updateManyChecks(msg manyCheckMsg) (model, tea.Cmd) {
	c, ok := m.top().(confirmMany)
	if !ok || c.gen != msg.gen || msg.i >= len(c.drafts) {
		return m, nil
	}
	c.checks = maps.Clone(c.checks)
	c.checks[c.drafts[msg.i].ID] = msg.checks
	c.checked = msg.i + 1
	if len(c.blocks) == len(c.drafts) {
		c.blocks = slices.Clone(c.blocks)
		c.blocks[msg.i] = nil // its warnings came: wrapped again at the next reflow
	}
	m.setTop(c)
	if c.checked < len(c.drafts) {
		return m, manyCheckCmd(m.ctx, m.mb, c.drafts, c.checked, c.gen)
	}
	return m, nil
}

func (confirmMany) kind() state { return stateConfirm }

// update: y sends the batch, n/esc keeps the drafts, j/k and the page keys scroll.
func (c confirmMany) update(k tea.KeyPressMsg, ctx dialogCtx) (overlay, tea.Cmd, outcome) {
	switch {
	case key.Matches(k, ctx.keys.Yes):
		return c, nil, batchConfirmed{drafts: c.drafts}
	case key.Matches(k, ctx.keys.No):
		return c, nil, closed{info("Not sent; the drafts are unchanged")}
	}
	room, _ := dialogRoom(ctx.h)
	if n, ok := scrollBy(k, ctx.keys, room); ok {
		c = c.scroll(n, ctx)
	}
	return c, nil, nil
}

func (c confirmMany) bindings(k *keyMap, ctx dialogCtx) []*key.Binding {
	k.Yes.SetHelp("y", "send "+thousands(len(c.drafts)))
	k.No.SetHelp("n/esc", "keep drafts")
	on := []*key.Binding{&k.Yes, &k.No}
	if room, _ := dialogRoom(ctx.h); len(c.middle(ctx.st, c.textWidth(ctx.w))) > room {
		on = append(on, scrollKeys(k)...)
	}
	return on
}

// textWidth is the width of the dialog's text for a body of w cells.
func (c confirmMany) textWidth(w int) int {
	return max(min(w-dialogFrameW-dialogMargin, dialogMaxW), 10)
}

// reflow wraps the middle for a body of width w when anything it depends on changed: only the
// drafts whose checks came since, unless the width or the colours changed.
func (c confirmMany) reflow(st styles, w int) confirmMany {
	tw := c.textWidth(w)
	k := manyKey{w: tw, checked: c.checked, dark: st.isDark}
	if c.mid != nil && c.midFor == k {
		return c
	}
	if bk := (manyKey{w: tw, dark: st.isDark}); c.blocksFor != bk || len(c.blocks) != len(c.drafts) {
		c.blocks, c.blocksFor = make([][]string, len(c.drafts)), bk
	} else {
		c.blocks = slices.Clone(c.blocks)
	}
	for i := range c.drafts {
		if c.blocks[i] == nil {
			c.blocks[i] = c.draftLines(st, tw, i)
		}
	}
	c.mid, c.midFor = c.wrap(st, tw), k
	return c
}

// middle is the wrapped middle for text width w, as kept by reflow when it is still true.
func (c confirmMany) middle(st styles, w int) []string {
	if c.mid != nil && c.midFor == (manyKey{w: w, checked: c.checked, dark: st.isDark}) {
		return c.mid
	}
	return c.wrap(st, w)
}

// wrapLines wraps text to w cells, indented, in style.
func wrapLines(text string, w, indent int, style func(...string) string) []string {
	var lines []string
	for _, l := range strings.Split(ansi.Wrap(text, max(w-indent, 1), " "), "\n") {
		lines = append(lines, truncate(strings.Repeat(" ", indent)+style(l), w))
	}
	return lines
}

// draftLines are draft i's lines: its subject, recipients, files and warnings.
func (c confirmMany) draftLines(st styles, w, i int) []string {
	d := c.drafts[i]
	// "12. Subject", its next lines and the lines under it at the subject's column.
	number := thousands(i+1) + ". "
	ind := width(number)
	lines := hanging(number, subjectOf(d), w, ind, st.dialogTitle.Render, st.dialogTitle.Render)
	lines = append(lines, wrapLines("To: "+recipientSummary(d.Recipients(), max(w-ind-4, 1)), w, ind, st.meta.Render)...)
	if d.HasAttachments {
		lines = append(lines, wrapLines(attachMrk+" files go with it", w, ind, st.meta.Render)...)
	}
	for _, ch := range c.checks[d.ID] {
		// "⚠ text", its next lines under the text, not under the mark.
		mark := strings.Repeat(" ", ind) + warnMrk + " "
		lines = append(lines, hanging(mark, ch.Text, w, width(mark), st.warn.Render, st.warn.Render)...)
	}
	return lines
}

// hanging wraps text to w cells after head, its next lines indented by ind, head in headStyle.
func hanging(head, text string, w, ind int, headStyle, style func(...string) string) []string {
	lines := wrapLines(text, w, ind, style)
	lines[0] = truncate(headStyle(head)+strings.TrimLeft(lines[0], " "), w)
	return lines
}

// wrap makes the middle: how the batch goes out, the drafts left out, each draft (its lines as
// reflow kept them for this width, else wrapped now), and the checks' progress.
func (c confirmMany) wrap(st styles, w int) []string {
	lines := wrapLines(paceNote(len(c.drafts)), w, 0, st.faint.Render)
	if len(c.skipped) > 0 { // first: the count in the title is smaller than the marks say
		lines = append(lines, "")
		lines = append(lines, wrapLines("Left out: "+c.skippedText(), w, 0, st.warn.Render)...)
	}
	lines = append(lines, "")
	fresh := c.blocksFor != (manyKey{w: w, dark: st.isDark}) || len(c.blocks) != len(c.drafts)
	for i := range c.drafts {
		if fresh || c.blocks[i] == nil {
			lines = append(lines, c.draftLines(st, w, i)...)
		} else {
			lines = append(lines, c.blocks[i]...)
		}
	}
	if c.checked < len(c.drafts) {
		lines = append(lines, wrapLines(fmt.Sprintf("checking %s of %s…", thousands(c.checked+1), thousands(len(c.drafts))), w, 0, st.faint.Render)...)
	}
	return lines
}

// paceNote says how n drafts go out: one countdown, then one every sending.Pace, and how long
// the last waits when that is more than a minute.
func paceNote(n int) string {
	note := "One countdown for all, then one every " + paceText + ": Exchange takes at most 30 messages a minute."
	if span := time.Duration(n-1) * sending.Pace; span > time.Minute {
		note = "One countdown for all, then one every " + paceText + " (Exchange takes at most 30 messages a minute): the last goes out " +
			aboutDuration(span) + " after the first."
	}
	return note
}

// aboutDuration says d in whole minutes, or hours and minutes.
func aboutDuration(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m < 60 {
		return fmt.Sprintf("about %d min", m)
	}
	return fmt.Sprintf("about %d h %d min", m/60, m%60)
}

// skippedText names the drafts left out and why.
func (c confirmMany) skippedText() string {
	parts := make([]string, len(c.skipped))
	for i, s := range c.skipped {
		parts[i] = quoted(s.draft) + " (" + s.why + ")"
	}
	return strings.Join(parts, ", ")
}

// scroll moves the middle by n lines within what there is to see.
func (c confirmMany) scroll(n int, ctx dialogCtx) confirmMany {
	room, _ := dialogRoom(ctx.h)
	c.offset = scrolled(c.offset, n, len(c.middle(ctx.st, c.textWidth(ctx.w))), room)
	return c
}

func (c confirmMany) view(ctx dialogCtx) string {
	st, tw := ctx.st, c.textWidth(ctx.w)
	room, _ := dialogRoom(ctx.h)
	mid, arrow := window(c.middle(st, tw), c.offset, room)
	more := map[string]string{"↓": "  ↓ more (j/k, space)", "↑": "  ↑ more (k, g)"}[arrow]
	keys := st.keyHint.Render("y") + " send " + thousands(len(c.drafts)) + "   " +
		st.keyHint.Render("n") + "/" + st.keyHint.Render("esc") + " keep drafts" + st.faint.Render(more)
	title := "Send these " + thousands(len(c.drafts)) + " drafts now?"
	if len(c.drafts) == 1 { // the others were left out
		title = "Send this draft now?"
	}
	return dialogBox(st, tw, ctx.h, title, mid, keys)
}
