package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/graph/sending"
)

// heldModel is the list with "Team lunch on Thursday?" confirmed under a
// 5 s undo countdown; the tick command is returned unrun (it sleeps).
func heldModel(t *testing.T) (*env, model, string) {
	t.Helper()
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := e.model(t)
	m.sends.opts.Undo = 5 * time.Second
	m = start(t, m, 80, 24)
	m = press(t, selectSubject(t, m, "Team lunch on Thursday?"), "s")
	id := confirmOf(t, m).draft.ID
	m, tick := pressOnly(m, "y")
	if s, _ := m.sends.job(id); tick == nil || s.Phase != sending.Held {
		t.Fatalf("no countdown after y (phase %v)", s.Phase)
	}
	return e, m, id
}

// tickAfter moves the clock by d and delivers the countdown's tick.
func tickAfter(t *testing.T, e *env, m model, id string, d time.Duration) (model, tea.Cmd) {
	t.Helper()
	e.clock.Advance(d)
	return deliver(t, m, countdownTick(m, id))
}

// countdownTick is the tick the countdown of the draft id has armed.
func countdownTick(m model, id string) sendStepMsg {
	return sendStepMsg{id: id, seq: m.sends.jobs[id].seq, ans: sending.Tick, tick: true}
}

// held is the number of sends counting down.
func held(m model) int { return len(m.sends.held()) }

func TestUndoNoPostBeforeTheCountdownEnds(t *testing.T) {
	e, m, id := heldModel(t)
	if s := screen(m); !strings.Contains(s, "sending in 5 s") || !strings.Contains(s, "in 5 s — u undo") {
		t.Fatalf("no countdown on screen:\n%s", s)
	}
	m, cmd := tickAfter(t, e, m, id, 2*time.Second)
	if cmd == nil || !strings.Contains(screen(m), "sending in 3 s") {
		t.Fatalf("the countdown is not re-armed or shown:\n%s", screen(m))
	}
	if n := e.emu.Count("POST", "/send"); n != 0 {
		t.Fatalf("%d POSTs during the countdown", n)
	}
	m, cmd = tickAfter(t, e, m, id, 3*time.Second)
	m, _ = drive(t, m, cmd)
	if n := e.emu.Count("POST", "/send"); n != 1 || !strings.Contains(m.status.text, "is in Sent Items") {
		t.Fatalf("%d POSTs, status %q after the countdown; want one, sent", n, m.status.text)
	}
}

func TestUndoKeyCancels(t *testing.T) {
	e, m, id := heldModel(t)
	armed := countdownTick(m, id)
	m = press(t, m, "u")
	if !strings.Contains(m.status.text, "Not sent") || held(m) != 0 {
		t.Fatalf("status %q, held %d", m.status.text, held(m))
	}
	e.clock.Advance(10 * time.Second)
	m, cmd := deliver(t, m, armed) // the tick already armed
	m, _ = drive(t, m, cmd)
	if n := e.emu.Count("POST", "/send"); n != 0 {
		t.Fatalf("%d POSTs after undo", n)
	}
	if !m.drafts.contains(id) || m.sendLocked(id) {
		t.Fatal("the draft is not back to sendable")
	}
}

func TestUndoZeroSendsAtOnce(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := start(t, e.model(t), 80, 24) // Options.UndoSend 0
	m = press(t, selectSubject(t, m, "Team lunch on Thursday?"), "s", "y")
	if n := e.emu.Count("POST", "/send"); n != 1 || held(m) != 0 {
		t.Fatalf("%d POSTs, held %d: undo 0 must send at once", n, held(m))
	}
}

func TestUndoQuitQuestion(t *testing.T) {
	t.Run("stay", func(t *testing.T) {
		e, m, id := heldModel(t)
		m = press(t, m, "q")
		if m.state() != stateQuit || !strings.Contains(screen(m), "Quit before sending?") || !strings.Contains(screen(m), "s send now") {
			t.Fatalf("no question:\n%s", screen(m))
		}
		m = press(t, m, "esc")
		if s, _ := m.sends.job(id); m.state() != stateList || s.Phase != sending.Held || e.emu.Count("POST", "/send") != 0 {
			t.Fatalf("state %v: staying must keep the countdown", m.state())
		}
	})
	t.Run("cancel send", func(t *testing.T) {
		e, m, _ := heldModel(t)
		m = press(t, m, "q")
		_, cmd := pressOnly(m, "u")
		if cmd == nil || cmd() != tea.Quit() {
			t.Fatal("cancel send does not quit")
		}
		if n := e.emu.Count("POST", "/send"); n != 0 {
			t.Fatalf("%d POSTs", n)
		}
	})
	t.Run("send now", func(t *testing.T) {
		e, m, id := heldModel(t)
		m = press(t, m, "q")
		m, cmd := pressOnly(m, "s")
		if s, _ := m.sends.job(id); held(m) != 0 || s.Phase != sending.Verifying {
			t.Fatalf("send now did not start the send (phase %v)", s.Phase)
		}
		m, quit := drive(t, m, cmd)
		// "send now" was a choice to quit: the program quits once the send is out.
		if n := e.emu.Count("POST", "/send"); n != 1 || !quit || !strings.Contains(m.status.text, "is in Sent Items") {
			t.Fatalf("%d POSTs, quit %v, status %q", n, quit, m.status.text)
		}
		// The screen is gone: the line it leaves says the draft went out.
		if got := m.farewell(); len(got) != 1 || !strings.HasPrefix(got[0], "sent: “") || !strings.HasSuffix(got[0], "” went out") {
			t.Fatalf("farewell %q", got)
		}
	})
}
