package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// typeText presses each character of s.
func typeText(t *testing.T, m model, s string) model {
	t.Helper()
	for _, r := range s {
		m = press(t, m, string(r))
	}
	return m
}

func TestSendLaterSchedules(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := start(t, e.model(t), 80, 24)
	m = press(t, selectSubject(t, m, "Team lunch on Thursday?"), "S")
	if m.state() != stateWhen {
		t.Fatalf("state %v after S", m.state())
	}
	m = typeText(t, m, "tomorrow 9:00")
	if s := screen(m); !strings.Contains(s, "→ Wed 11 Mar 09:00") {
		t.Fatalf("no live feedback:\n%s", s)
	}
	golden(t, "when_80x24", screen(m))
	m = press(t, m, "enter")
	if s := screen(m); m.state() != stateConfirm || !strings.Contains(s, "Send this draft later?") || !strings.Contains(s, "scheduled for Wed 11 Mar 09:00") {
		t.Fatalf("state %v:\n%s", m.state(), s)
	}
	id := confirmOf(t, m).draft.ID
	m = press(t, m, "y")
	if n := e.emu.Count("POST", "/send"); n != 1 {
		t.Fatalf("%d POSTs", n)
	}
	if !strings.Contains(m.status.text, "is scheduled for Wed 11 Mar 09:00") || m.drafts.contains(id) {
		t.Fatalf("status %q, still listed %v", m.status.text, m.drafts.contains(id))
	}
	out := e.emu.Messages("", "outbox")
	if len(out) != 1 || len(e.emu.Sent("")) != 0 {
		t.Fatalf("outbox %d, sent %d", len(out), len(e.emu.Sent("")))
	}
	// The Sent view lists it on top, with its time.
	m = press(t, m, "tab")
	if s := screen(m); !strings.Contains(s, "scheduled · Wed 09:00") || !strings.Contains(s, "Team lunch on Thursday?") {
		t.Fatalf("Sent view:\n%s", s)
	}
}

func TestSendLaterBadTimeStays(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := start(t, e.model(t), 80, 24)
	m = typeText(t, press(t, m, "S"), "whenever")
	m = press(t, m, "enter")
	if s := screen(m); m.state() != stateWhen || !strings.Contains(s, "cannot schedule") {
		t.Fatalf("state %v:\n%s", m.state(), s)
	}
	m = press(t, m, "esc")
	if m.state() != stateList || e.emu.Count("PATCH", "") != 0 {
		t.Fatalf("state %v, %d PATCHes", m.state(), e.emu.Count("PATCH", ""))
	}
}

func TestDraftsListShowsAScheduledDraft(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	d := e.emu.Drafts("")[0]
	if err := e.mb.SetDeferredSend(context.Background(), d.ID, epoch.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	m := start(t, e.model(t), 80, 24)
	if s := screen(m); !strings.Contains(s, "scheduled · Tue 17:00") {
		t.Fatalf("no time on the scheduled draft:\n%s", s)
	}
}

// A send later's countdown says it schedules, on the row and in the help, not that it sends.
func TestSendLaterCountdownSaysScheduling(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := start(t, e.model(t), 100, 30)
	m.sends.opts.Undo = 5 * time.Second
	m = press(t, selectSubject(t, m, "Team lunch on Thursday?"), "S")
	m = typeText(t, m, "tomorrow 9:00")
	m = press(t, m, "enter")
	m, _ = pressOnly(m, "y")
	s := screen(m)
	if !strings.Contains(s, "scheduling in 5 s") || strings.Contains(s, "sending in") || !strings.Contains(s, "u undo send later") {
		t.Fatalf("the countdown of a send later:\n%s", s)
	}
	if n := e.emu.Count("POST", "/send"); n != 0 {
		t.Fatalf("%d POSTs during the countdown", n)
	}
}
