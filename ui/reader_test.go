package ui

import (
	"os"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// demoFixture is the model on the demo mailbox (an Inbox of seven, Sent Items), w×h.
func demoFixture(t *testing.T, w, h int) (*env, model) {
	t.Helper()
	e := newEnv(t, emulator.Options{})
	e.emu.SeedDemo()
	return e, start(t, e.model(t), w, h)
}

// TestReaderReadsTheInbox: enter on a message of the Inbox shows it on the whole screen with
// its whole text (read once), in the Inbox's tab; J and K read the next and previous message
// of the list; q and esc go back to the list, not out; r makes a reply of the message read.
func TestReaderReadsTheInbox(t *testing.T) {
	_, m := demoFixture(t, 100, 30)
	m = press(t, m, "tab", "tab")
	wantState(t, m, stateInbox)
	m = press(t, m, "enter")
	wantState(t, m, stateRead)
	s := screen(m)
	if !strings.Contains(s, "From     Patti Fernandez") || !strings.Contains(s, "vegan option") || !strings.Contains(s, "q/esc back") {
		t.Fatalf("the reader:\n%s", s)
	}
	if m.keys.PrevDraft.Enabled() || !m.keys.NextDraft.Enabled() || !strings.Contains(screen(press(t, m, "?")), "next message") {
		t.Fatal("J/K on the first message of the Inbox")
	}
	m = press(t, m, "J")
	if s := screen(m); !strings.Contains(s, "room 2.14") || m.inbox.list.index != 1 {
		t.Fatalf("J did not read the next message:\n%s", s)
	}
	m = press(t, m, "K")
	if !strings.Contains(screen(m), "vegan option") {
		t.Fatalf("K did not read the previous message:\n%s", screen(m))
	}
	back := press(t, m, "q")
	wantState(t, back, stateInbox)
	wantState(t, press(t, m, "esc"), stateInbox)
	m = press(t, m, "J", "r")
	wantState(t, m, stateList)
	if d, _ := m.drafts.selected(); !strings.Contains(d.Subject, "Your laptop refresh is scheduled") || d.Subject[:3] != "RE:" {
		t.Fatalf("r in the reader made %q", d.Subject)
	}
}

// TestReaderReadsSentItems: enter in Sent Items reads the sent message, with its date as
// sent; the tab stays Sent Items.
func TestReaderReadsSentItems(t *testing.T) {
	_, m := demoFixture(t, 100, 30)
	m = press(t, m, "tab")
	sel, ok := m.sent.list.selected()
	if !ok {
		t.Fatal("Sent Items is empty")
	}
	m = press(t, m, "enter")
	wantState(t, m, stateRead)
	if s := screen(m); !strings.Contains(s, "Sent     ") || !strings.Contains(s, subjectOf(sel)) || !m.reader.pane.body {
		t.Fatalf("the reader of %q:\n%s", sel.Subject, s)
	}
	if m.headerView() != press(t, m, "esc").headerView() {
		t.Fatal("the reader is not in Sent Items' tab")
	}
}

// TestFilterSentItemsAndInbox: / filters Sent Items and the Inbox as it does Drafts (received
// mail by its sender too); while the filter is typed every key is text (q does not quit); enter
// keeps it, esc drops it.
func TestFilterSentItemsAndInbox(t *testing.T) {
	_, m := demoFixture(t, 100, 30)
	m = press(t, m, "tab", "tab", "/")
	if !m.inbox.list.filtering() || !m.typing() {
		t.Fatal("/ did not start the filter in the Inbox")
	}
	m = press(t, m, "f", "a", "b", "r", "i", "k", "a", "m", "q")
	wantState(t, m, stateInbox)
	if n := m.inbox.list.visibleLen(); n != 0 {
		t.Fatalf("%d messages match fabrikamq", n)
	}
	m = press(t, m, "esc", "/", "f", "a", "b", "r", "i", "k", "a", "m")
	if n := m.inbox.list.visibleLen(); n != 1 {
		t.Fatalf("%d messages match fabrikam, want the invoice (from Fabrikam's accounts payable)", n)
	}
	m = press(t, m, "enter")
	if s := screen(m); !m.inbox.list.filtered() || !strings.Contains(s, "Filter “fabrikam” · 1 of 7 · esc clears") || !strings.Contains(s, "Invoice INV-20417") {
		t.Fatalf("the applied filter:\n%s", s)
	}
	m = press(t, m, "esc")
	if m.inbox.list.filtered() || m.inbox.list.visibleLen() != 7 {
		t.Fatal("esc did not drop the filter")
	}
	m = press(t, m, "tab", "tab", "/", "b", "o", "a", "r", "d")
	if n := m.sent.list.visibleLen(); !m.sent.list.filtering() || n == 0 || n == m.sent.list.len() {
		t.Fatalf("Sent Items filtered by 'board': %d of %d", n, m.sent.list.len())
	}
}

// TestReaderNamesTheFiles: the reader names a received message's files, as the preview does a
// draft's, not only "attached".
func TestReaderNamesTheFiles(t *testing.T) {
	e, m := demoFixture(t, 120, 40)
	m = press(t, m, "tab", "tab")
	var with string
	for _, msg := range e.emu.Messages("", "inbox") {
		if msg.HasAttachments {
			with = msg.Subject
			break
		}
	}
	if with == "" {
		t.Fatal("no message with files in the demo's Inbox")
	}
	m = selectIn(t, m, func(m *model) *messageList { return &m.inbox.list }, with)
	m = press(t, m, "enter")
	if s := screen(m); !strings.Contains(s, "Files") || strings.Contains(s, "📎 attached") {
		t.Fatalf("the reader of %q does not name its files:\n%s", with, s)
	}
	// And w saves them, as it does a draft's.
	dir := t.TempDir()
	m.opts.Downloads = dir
	m = press(t, m, "J", "K") // the keys are those of the state: read again with a directory
	m = press(t, m, "w")
	if files, _ := os.ReadDir(dir); len(files) == 0 || !strings.Contains(m.status.text, "Saved") {
		t.Fatalf("w in the reader saved %d files; status %q", len(files), m.status.text)
	}
}

// Sent Items that could not be read say why, and do not claim to be empty.
func TestSentItemsUnreadIsNotCalledEmpty(t *testing.T) {
	e, m := demoFixture(t, 100, 30)
	e.emu.Inject(emulator.Rule{Method: "GET", Path: "/sentitems/messages", Fault: emulator.Denied("ErrorAccessDenied")})
	m = press(t, m, "tab")
	// ...and name the key that tries again here (r is reply in Sent Items).
	if s := screen(m); strings.Contains(s, "No messages in Sent Items") || !strings.Contains(s, "Not allowed to read this mailbox") ||
		!strings.Contains(s, "Press ctrl+r to try again") || !strings.Contains(s, "ctrl+r refresh") {
		t.Fatalf("Sent Items not read:\n%s", s)
	}
}

// A failed refresh of Sent Items keeps the list and says so, naming no key: r is reply there.
func TestSentItemsRefreshFailureNamesNoWrongKey(t *testing.T) {
	e, m := demoFixture(t, 100, 30)
	m = press(t, m, "tab")
	e.emu.Inject(emulator.Rule{Method: "GET", Path: "/sentitems/messages", Fault: emulator.Denied("ErrorAccessDenied")})
	m = ctrlKey(t, m, 'r')
	if !strings.Contains(m.status.text, "Could not list Sent Items") || !strings.Contains(m.status.text, "the list shown is the last one read") ||
		strings.Contains(m.status.text, "press r") {
		t.Fatalf("status %q", m.status.text)
	}
}
