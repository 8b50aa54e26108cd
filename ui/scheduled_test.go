package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// scheduledEnv is the fixtures with "Old notes" scheduled for in two hours (waiting in the
// Outbox), shown in Sent Items with it selected.
func scheduledEnv(t *testing.T) (*env, model) {
	t.Helper()
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	ctx := context.Background()
	d := e.emu.AddDraft(emulator.Draft{Subject: "Board minutes", Body: "Attached.", To: []emulator.Recipient{megan}, LastModified: epoch.Add(-time.Hour)})
	if err := e.mb.SetDeferredSend(ctx, d.ID, e.clock.Now().Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := e.mb.Send(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	m := start(t, e.model(t), 100, 30)
	m = press(t, m, "tab")
	m = selectIn(t, m, func(m *model) *messageList { return &m.sent.list }, "Board minutes")
	s := screen(m)
	if !strings.Contains(s, "scheduled ·") || !strings.Contains(s, "1 scheduled (in the Outbox) · No messages in Sent Items") || !strings.Contains(s, "x cancel send") || !m.keys.SendLater.Enabled() || m.keys.SendLater.Help().Desc != "reschedule" {
		t.Fatalf("the scheduled send in Sent Items:\n%s", s)
	}
	return e, m
}

// selectIn selects the row with the subject in a list of m (list picks it) with the keys, as a
// person would.
func selectIn(t *testing.T, m model, list func(*model) *messageList, subject string) model {
	t.Helper()
	for range list(&m).visibleLen() {
		if d, ok := list(&m).selected(); ok && d.Subject == subject {
			return m
		}
		m = press(t, m, "j")
	}
	t.Fatalf("no %q in the list", subject)
	return m
}

// x takes a scheduled send back to Drafts: it never goes out, and its send time is off.
func TestCancelAScheduledSend(t *testing.T) {
	e, m := scheduledEnv(t)
	m = press(t, m, "x")
	if !strings.Contains(m.status.text, "“Board minutes” is back in Drafts: it will not be sent") {
		t.Fatalf("status %q", m.status.text)
	}
	var back bool
	for _, d := range e.emu.Drafts("") {
		back = back || d.Subject == "Board minutes" && d.IsDraft
	}
	if !back || len(e.emu.Messages("", "outbox")) != 0 {
		t.Fatalf("in Drafts again: %v; Outbox %d", back, len(e.emu.Messages("", "outbox")))
	}
	e.clock.Advance(3 * time.Hour)
	if n := len(e.emu.Sent("")); n != 0 {
		t.Fatalf("%d in Sent Items after the cancel", n)
	}
	if !m.drafts.contains(m.selectAfterLoad) && m.selectAfterLoad != "" {
		t.Fatalf("the draft is not listed in Drafts")
	}
}

// S takes it back and asks for the new time, for the draft back in Drafts.
func TestRescheduleAScheduledSend(t *testing.T) {
	e, m := scheduledEnv(t)
	m = press(t, m, "S")
	wantState(t, m, stateWhen)
	if len(e.emu.Messages("", "outbox")) != 0 {
		t.Fatal("still in the Outbox")
	}
	if s := screen(m); !strings.Contains(s, "Board minutes") {
		t.Fatalf("the prompt:\n%s", s)
	}
}

// A scheduled send that left the Outbox before x arrived (its time came on the server, or it was
// deleted in Outlook): x says so, and nothing changes.
func TestCancelTooLate(t *testing.T) {
	e, m := scheduledEnv(t)
	if err := e.emu.DeleteElsewhere("", e.emu.Messages("", "outbox")[0].ID); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "x")
	if !strings.Contains(m.status.text, "no longer in the Outbox") || len(e.emu.Drafts("")) != 6 {
		t.Fatalf("status %q, %d drafts", m.status.text, len(e.emu.Drafts("")))
	}
}

// In the reader of a scheduled message, x and S work as in the list (and r does not: it is not
// sent yet).
func TestCancelAScheduledSendFromTheReader(t *testing.T) {
	e, m := scheduledEnv(t)
	m = press(t, m, "enter")
	wantState(t, m, stateRead)
	if !m.keys.CancelScheduled.Enabled() || m.keys.Reply.Enabled() {
		t.Fatalf("in the reader: x %v, r %v", m.keys.CancelScheduled.Enabled(), m.keys.Reply.Enabled())
	}
	m = press(t, m, "x")
	if !strings.Contains(m.status.text, "is back in Drafts") || len(e.emu.Messages("", "outbox")) != 0 || m.state() == stateRead {
		t.Fatalf("status %q, state %v", m.status.text, m.state())
	}
}
