package ui

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/draftsmail/drafts/graph"
)

// heldSend is a confirmed send in its undo countdown: nothing is posted
// until it ends, and 'u' takes it back.
type heldSend struct {
	draft graph.Message
	until time.Time // when the POST is made
	gen   int       // tells this countdown's ticks from an earlier one's
}

// undoTickMsg is the tick of a countdown, re-armed each second until it
// ends.
type undoTickMsg struct {
	id  string
	gen int
}

// undoTick arms the next tick of a countdown.
func undoTick(id string, gen int, d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return undoTickMsg{id: id, gen: gen} })
}

// holdSend starts the undo countdown of a confirmed send, or sends at once
// when undo is off (Options.UndoSend 0).
func (m model) holdSend(d graph.Message) (model, tea.Cmd) {
	if m.opts.UndoSend <= 0 {
		return m.startSend(d)
	}
	if m.sendLocked(d.ID) {
		return m, nil
	}
	m.heldGen++
	h := heldSend{draft: d, until: m.now().Add(m.opts.UndoSend), gen: m.heldGen}
	m.held = maps.Clone(m.held)
	if m.held == nil {
		m.held = map[string]heldSend{}
	}
	m.held[d.ID] = h
	m.status = m.countdownStatus(h)
	return m, undoTick(d.ID, h.gen, m.nextTick(h))
}

// left is the countdown's time to go, in whole seconds rounded up.
func (m model) left(h heldSend) int {
	r := h.until.Sub(m.now())
	return int((r + time.Second - 1) / time.Second)
}

// nextTick is the wait until the shown number of seconds changes.
func (m model) nextTick(h heldSend) time.Duration {
	r := h.until.Sub(m.now())
	if d := r % time.Second; d > 0 {
		return d
	}
	return min(r, time.Second)
}

func (m model) countdownStatus(h heldSend) status {
	return info(fmt.Sprintf("Sending %s in %d s — press u to undo", quoted(h.draft), m.left(h)))
}

// undoTicked counts down, and makes the POST when the countdown ends.
func (m model) undoTicked(msg undoTickMsg) (model, tea.Cmd) {
	h, ok := m.held[msg.id]
	if !ok || h.gen != msg.gen {
		return m, nil // undone, or sent now from the quit question
	}
	if m.now().Before(h.until) {
		if m.status.text == "" || strings.HasPrefix(m.status.text, "Sending “") {
			m.status = m.countdownStatus(h)
		}
		return m, undoTick(msg.id, msg.gen, m.nextTick(h))
	}
	return m.release(msg.id)
}

// release ends a countdown early or on time: the draft is posted now.
func (m model) release(id string) (model, tea.Cmd) {
	h, ok := m.held[id]
	if !ok {
		return m, nil
	}
	m.held = maps.Clone(m.held)
	delete(m.held, id)
	return m.startSend(h.draft)
}

// undo takes back the latest send still counting down: nothing was posted.
func (m model) undo() (model, tea.Cmd) {
	var last *heldSend
	for _, h := range m.held {
		if last == nil || h.gen > last.gen {
			last = &h
		}
	}
	if last == nil {
		return m, nil
	}
	m.held = maps.Clone(m.held)
	delete(m.held, last.draft.ID)
	m.status = info("Not sent: " + quoted(last.draft) + " is still a draft")
	return m.synced()
}

// heldSubjects names the drafts counting down, in order.
func (m model) heldSubjects() []string {
	var out []string
	for _, h := range m.held {
		out = append(out, "“"+subjectOf(h.draft)+"”")
	}
	slices.Sort(out)
	return out
}

// updateQuitHeld answers the quit question while sends count down: send
// them now, cancel them (and quit unless another send is unsettled), or
// stay.
func (m model) updateQuitHeld(k tea.KeyPressMsg) (model, tea.Cmd) {
	switch {
	case k.String() == "ctrl+c":
		return m, tea.Quit // nothing was posted: they are not sent
	case k.String() == "s":
		var cmds []tea.Cmd
		for _, id := range slices.Sorted(maps.Keys(m.held)) {
			var cmd tea.Cmd
			m, cmd = m.release(id)
			cmds = append(cmds, cmd)
		}
		return m, tea.Batch(cmds...) // the question now asks about the sends in flight
	case k.String() == "u":
		m.held = nil
		m.status = info("Not sent: the drafts are unchanged")
		if !m.anyUnsettled() {
			return m, tea.Quit
		}
		return m, nil
	case k.String() == "n", k.Code == tea.KeyEscape:
		m.setState(m.back)
		return m.synced()
	}
	return m, nil
}

// quitHeldView is the quit question while sends count down.
func quitHeldView(st styles, w, h int, subjects []string) string {
	tw := max(min(w-dialogFrameW-dialogMargin, 56), 10)
	text := strings.Join(subjects, ", ") + " will be sent when the countdown ends. Nothing has been sent yet."
	keys := st.keyHint.Render("s") + " send now   " + st.keyHint.Render("u") + " cancel send   " +
		st.keyHint.Render("n") + "/" + st.keyHint.Render("esc") + " stay"
	return dialogBox(st, tw, h, "Quit before sending?", strings.Split(ansi.Wrap(text, tw, " "), "\n"), keys)
}
