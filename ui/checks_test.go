package ui

import (
	"net/http"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/emulator"
)

// runCmds runs cmd and the batches in it once, returning their messages
// undelivered, so a test chooses when they reach the model.
func runCmds(t *testing.T, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			out = append(out, msg)
		}
	}
	return out
}

func TestChecksDialogOpensAtOnceAndTipsArriveLater(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	e.emu.SetMailTip("megan.bowen@contoso.example", emulator.MailTip{AutomaticReply: "<p>Out until Monday.</p>"})
	m := start(t, e.model(t), 80, 40)
	m = selectSubject(t, m, "Team lunch on Thursday?")
	m, cmd := pressOnly(m, "s")
	if m.state() != stateConfirm {
		t.Fatalf("state %v after s, want the dialog at once", m.state())
	}
	if s := screen(m); strings.Contains(s, "automatic reply") {
		t.Fatalf("tips shown before they were asked for:\n%s", s)
	}
	for _, msg := range runCmds(t, cmd) {
		m, _ = deliver(t, m, msg)
	}
	s := screen(m)
	for _, want := range []string{"megan.bowen@contoso.example has an automatic", "Out until", "outside your organization"} {
		if !strings.Contains(s, want) {
			t.Errorf("dialog lacks %q:\n%s", want, s)
		}
	}
}

func TestChecksYesBeforeTipsArrive(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := start(t, e.model(t), 80, 24)
	m = selectSubject(t, m, "Team lunch on Thursday?")
	m, checks := pressOnly(m, "s")
	m, send := pressOnly(m, "y")
	if m.state() == stateConfirm || send == nil {
		t.Fatalf("y did not send while the checks were out (state %v)", m.state())
	}
	// The late tips find no dialog and change nothing.
	for _, msg := range runCmds(t, checks) {
		m, _ = deliver(t, m, msg)
	}
	m, _ = drive(t, m, send)
	if n := e.emu.Count("POST", "/send"); n != 1 {
		t.Fatalf("%d POSTs, want 1", n)
	}
	if strings.Contains(screen(m), "outside your organization") {
		t.Fatalf("late tips drawn after the dialog closed:\n%s", screen(m))
	}
}

func TestChecksOfAnEarlierOpeningAreDropped(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	e.emu.SetMailTip("megan.bowen@contoso.example", emulator.MailTip{AutomaticReply: "<p>Out until Monday.</p>"})
	m := start(t, e.model(t), 80, 40)
	m = selectSubject(t, m, "Team lunch on Thursday?")
	m, first := pressOnly(m, "s")
	m = press(t, m, "n")
	m, second := pressOnly(m, "s")
	for _, msg := range runCmds(t, second) {
		m, _ = deliver(t, m, msg)
	}
	if s := screen(m); !strings.Contains(s, "megan.bowen@contoso.example has an automatic") || strings.Contains(s, "mail tips unavailable") {
		t.Fatalf("the dialog lacks its own tips:\n%s", s)
	}
	// The first opening's answer comes last, and failed: it is not this
	// dialog's, and changes nothing.
	e.emu.Inject(emulator.Rule{Method: "POST", Path: "getMailTips", Fault: emulator.Fault{Status: http.StatusForbidden, Code: "ErrorAccessDenied"}})
	for _, msg := range runCmds(t, first) {
		m, _ = deliver(t, m, msg)
	}
	if s := screen(m); !strings.Contains(s, "megan.bowen@contoso.example has an automatic") || strings.Contains(s, "mail tips unavailable") {
		t.Fatalf("an earlier opening's checks landed on this dialog:\n%s", s)
	}
}

func TestChecksLocalNeedTheBody(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	e.emu.AddDraft(emulator.Draft{Subject: "Contract", Body: "Please see the attached contract.", To: []emulator.Recipient{legal}, LastModified: e.clock.Now(), Created: e.clock.Now()})
	m := start(t, e.model(t), 80, 24)
	m = press(t, selectSubject(t, m, "Contract"), "s")
	if s := screen(m); !strings.Contains(s, `the text says "attached" but nothing is attached`) {
		t.Fatalf("no attachment warning:\n%s", s)
	}
}

func TestChecksTipsFailOneFaintLine(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	e.emu.Inject(emulator.Rule{Method: "POST", Path: "getMailTips", Fault: emulator.Fault{Status: http.StatusForbidden, Code: "ErrorAccessDenied"}})
	m := start(t, e.model(t), 80, 24)
	m = press(t, selectSubject(t, m, "Team lunch on Thursday?"), "s")
	s := screen(m)
	if m.state() != stateConfirm || !strings.Contains(s, "mail tips unavailable") {
		t.Fatalf("state %v, want the dialog with one line about the tips:\n%s", m.state(), s)
	}
	if m.status.text != "" {
		t.Fatalf("status %q: a failed mail-tips call is no error", m.status.text)
	}
}

// TestGoldenChecks is the dialog with warnings of every source.
func TestGoldenChecks(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	e.emu.SetMailTip("megan.bowen@contoso.example", emulator.MailTip{AutomaticReply: "<p>Out until Monday.</p>"})
	e.emu.SetMailTip("lee.gu@contoso.example", emulator.MailTip{MailboxFull: true})
	m := start(t, e.model(t), 80, 30)
	m = press(t, selectSubject(t, m, "Team lunch on Thursday?"), "s")
	golden(t, "confirm_checks_80x30", screen(m))
}
