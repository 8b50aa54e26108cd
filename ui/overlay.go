package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// overlay is a dialog drawn over the view: the confirm dialog, the send-later prompt, the help
// and the quit question. Each is a concrete type with its own update, which returns what came
// of the key (an outcome) for the root to act on. The root keeps the open ones in a stack
// (model.overlays), routes keys to the top one after the few that work everywhere (ctrl+c,
// undo), and draws the top one over the view.
type overlay interface {
	// kind names the overlay for the code that asks what is on screen.
	kind() state
	// update handles a key.
	update(k tea.KeyPressMsg, c dialogCtx) (overlay, tea.Cmd, outcome)
	// view draws the dialog to fit a body of c.w×c.h cells.
	view(c dialogCtx) string
	// bindings are the keys that work in the dialog now, with their help set.
	bindings(k *keyMap, c dialogCtx) []*key.Binding
}

// dialogCtx is what a dialog may read of the program: the styles, the keys, the clock, the
// body's size, and the sends the quit question asks about.
type dialogCtx struct {
	st        styles
	keys      keyMap
	now       time.Time
	loc       *time.Location
	w, h      int      // the body
	held      []string // subjects of the sends counting down, in the order they were confirmed
	unsettled []string // subjects of the sends in flight
	queued    int      // sends waiting for their turn (a batch's, or for the mailbox's next slot)
	takeBack  int      // of them, those u still takes back (a batch's, still counting down)
	posting   bool     // a POST among them has no clear answer yet
	under     keyMap   // the keys of the view under the help
	help      help.Model
}

// outcome is what a dialog's key came to, for the root; nil when there is nothing to do.
type outcome any

// The outcomes.
type (
	// closed: the dialog closes; status, if not empty, says what happened.
	closed struct{ status status }
	// sendConfirmed: y in the confirm dialog: send the draft (at: later, or zero for now).
	sendConfirmed struct {
		draft graph.Message
		at    time.Time
	}
	// batchConfirmed: y in the question for the marked drafts: send them as one batch.
	batchConfirmed struct{ drafts []graph.Message }
	// timeChosen: enter in the send-later prompt: confirm the draft for that time.
	timeChosen struct {
		draft graph.Message
		at    time.Time
	}
	// editChosen: e in the dialog of a draft that cannot be sent: open it in the editor.
	editChosen struct{ draft graph.Message }
	// quitAsked: q in the help: quit, or ask first.
	quitAsked struct{}
	// quitChosen: y (or ctrl+c) in the quit question.
	quitChosen struct{}
	// sendNowChosen: s in the quit question: end the countdowns now.
	sendNowChosen struct{}
	// sendsCancelled: u in the quit question: take back the countdowns, and quit if nothing
	// else is in flight.
	sendsCancelled struct{}
)

// top is the open dialog on top, or nil.
func (m model) top() overlay {
	if len(m.overlays) == 0 {
		return nil
	}
	return m.overlays[len(m.overlays)-1]
}

// push opens a dialog over what is on screen.
func (m *model) push(o overlay) {
	m.overlays = append(m.overlays[:len(m.overlays):len(m.overlays)], o)
	m.layout()
}

// pop closes the dialog on top.
func (m *model) pop() {
	if len(m.overlays) > 0 {
		m.overlays = m.overlays[: len(m.overlays)-1 : len(m.overlays)-1]
		m.layout()
	}
}

// setTop replaces the dialog on top (a dialog's update returns its next value).
func (m *model) setTop(o overlay) {
	if len(m.overlays) > 0 {
		overlays := append([]overlay(nil), m.overlays...)
		overlays[len(overlays)-1] = o
		m.overlays = overlays
	}
}

// state is what the screen shows: the dialog on top, or the view.
func (m model) state() state {
	if o := m.top(); o != nil {
		return o.kind()
	}
	return m.view
}

// dialogCtx is what the dialogs read of the program now.
func (m model) dialogCtx() dialogCtx {
	w, h := m.bodySize()
	subjects, posting := m.unsettledSubjects()
	under := m
	under.overlays = nil
	under.syncKeys()
	return dialogCtx{st: m.styles, keys: m.keys, now: m.now(), loc: m.loc, w: w, h: h,
		held: m.heldSubjects(), unsettled: subjects, queued: len(m.sends.queued()), takeBack: m.sends.queuedHeld(), posting: posting, under: under.keys, help: m.help}
}

// updateOverlay routes a key to the dialog on top and acts on what came of it.
func (m model) updateOverlay(k tea.KeyPressMsg) (model, tea.Cmd) {
	next, cmd, out := m.top().update(k, m.dialogCtx())
	m.setTop(next)
	m, act := m.apply(out)
	return m, tea.Batch(cmd, act)
}

// apply does what a dialog's key came to.
func (m model) apply(out outcome) (model, tea.Cmd) {
	switch out := out.(type) {
	case closed:
		m.pop()
		if out.status.text != "" || m.status.text == "" {
			m.status = out.status
		}
		return m.synced()
	case sendConfirmed:
		m.pop()
		if m.sends.locks(out.draft.ID) || m.sends.discarding(out.draft.ID) {
			// Its send (recovered from the journal, or another's) or discard began while the
			// dialog was open: the y does nothing more, and says so.
			m.status = warning("Not sent again: " + quoted(out.draft) + " is already being sent or discarded")
			return m.synced()
		}
		var cmd tea.Cmd
		m.sends, cmd = m.sends.start(out.draft, out.at, m.now())
		m.status = status{} // the sends line shows the countdown or the send
		return m, tea.Batch(cmd, m.spinner.Tick)
	case batchConfirmed:
		m.pop()
		var cmd tea.Cmd
		var left []graph.Message
		m.sends, cmd, left = m.sends.startBatch(out.drafts, m.now())
		m.status = status{} // the sends line shows the countdown
		if len(left) > 0 {
			// Their send (another's, or a recovered one) or discard began while the question
			// was open: they stay marked, and the status says so.
			m.status = warning(fmt.Sprintf("Left out, being sent or discarded already: %s", quotedList(left)))
		}
		m.unmark(slices.DeleteFunc(slices.Clone(out.drafts), func(d graph.Message) bool {
			return slices.ContainsFunc(left, func(l graph.Message) bool { return l.ID == d.ID })
		}))
		return m, tea.Batch(cmd, m.spinner.Tick)
	case timeChosen:
		m.pop()
		m, cmd := m.askSend(out.draft)
		if c, ok := m.top().(confirmDialog); ok {
			c.at, c.loc = out.at, m.loc
			m.setTop(c)
		}
		return m, cmd
	case editChosen:
		m.pop()
		return m.startEdit(out.draft)
	case quitAsked:
		return m.askQuit()
	case quitChosen:
		return m, tea.Quit
	case sendNowChosen:
		q := quitQuestion{names: map[string]string{}}
		for _, h := range m.sends.held() {
			q.leaving = append(q.leaving, h.Draft.ID)
			q.names[h.Draft.ID] = quoted(h.Draft)
		}
		m.setTop(q)
		var cmd tea.Cmd
		m.sends, cmd = m.sends.releaseAll(m.now())
		return m, tea.Batch(cmd, m.spinner.Tick) // the question now asks about the sends in flight
	case sendsCancelled:
		m.sends, _ = m.sends.undoAll(m.now())
		m.status = info("Not sent: the drafts are unchanged")
		if !m.mustAskToQuit() {
			return m, tea.Quit
		}
		return m, nil
	}
	return m, nil
}

// closeAnswers closes the dialogs that answer for a draft (the confirm dialog, the send-later
// prompt): unanswered, when they cannot be read (a screen too small) or the user quits.
func (m *model) closeAnswers() {
	for {
		switch m.top().(type) {
		case confirmDialog, confirmMany, whenPrompt:
			m.pop()
			continue
		}
		return
	}
}

// confirmOpen returns the confirm dialog when it is on top.
func (m model) confirmOpen() (confirmDialog, bool) {
	c, ok := m.top().(confirmDialog)
	return c, ok
}

// quotedList names drafts by their quoted subjects.
func quotedList(ds []graph.Message) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = quoted(d)
	}
	return strings.Join(names, ", ")
}

// scrollBy is how far a key moves the middle of a dialog that scrolls, with room lines in
// view: a line (j/k), a page (pgdn/pgup), or to either end (g/G); ok is false for any other
// key.
func scrollBy(k tea.KeyPressMsg, keys keyMap, room int) (n int, ok bool) {
	page := max(room-1, 1)
	switch {
	case key.Matches(k, keys.Down):
		return 1, true
	case key.Matches(k, keys.Up):
		return -1, true
	case key.Matches(k, keys.PageDown):
		return page, true
	case key.Matches(k, keys.PageUp):
		return -page, true
	case key.Matches(k, keys.Bottom):
		return math.MaxInt32 / 2, true // past any end, and no overflow added to an offset
	case key.Matches(k, keys.Top):
		return math.MinInt32 / 2, true
	}
	return 0, false
}

// scrollKeys are the keys of a dialog that scrolls (scrollBy).
func scrollKeys(k *keyMap) []*key.Binding {
	return []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom}
}

// scrolled is offset moved by n lines within a middle of total lines shown room at a time.
func scrolled(offset, n, total, room int) int {
	return min(max(offset+n, 0), max(total-room, 0))
}

// window is the part of a dialog's middle in view from offset, room lines, and the arrow that
// says more is below ("↓") or only above ("↑"); no arrow when it all fits.
func window(mid []string, offset, room int) (shown []string, arrow string) {
	if len(mid) <= room {
		return mid, ""
	}
	off := min(offset, len(mid)-room)
	arrow = "↓"
	if off+room >= len(mid) {
		arrow = "↑"
	}
	return mid[off : off+room], arrow
}
