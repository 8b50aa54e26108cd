package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// replyEnv is a mailbox whose newest draft is a reply (with a file) to a sent message, made
// through createReply as Outlook makes them, and a forward of it.
func replyEnv(t *testing.T) (*env, graph.Message) {
	t.Helper()
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	ctx := context.Background()
	d := e.emu.AddDraft(emulator.Draft{Subject: "Quarterly review", Body: "Shall we meet on Thursday at 10?",
		To: []emulator.Recipient{megan}, LastModified: epoch.Add(-3 * time.Hour)})
	if err := e.mb.Send(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	sent := e.emu.Sent("")[0]
	fw, err := e.mb.CreateReply(ctx, sent.ID, graph.Forward, "FYI, the plan for Thursday.")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.mb.Attach(ctx, fw.ID, "agenda.pdf", "application/pdf", []byte("%PDF-1.4 agenda"), nil); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	r, err := e.mb.CreateReply(ctx, sent.ID, graph.Reply, "Thursday works, see you then.")
	if err != nil {
		t.Fatal(err)
	}
	return e, r
}

func TestReplyShowsItsKindAndFoldsItsThread(t *testing.T) {
	e, r := replyEnv(t)
	m := start(t, e.model(t), 120, 40)
	m = showDraft(t, m, r.Subject)
	s := screen(m)
	for _, want := range []string{"Kind     reply", "Thursday works, see you then.", "▸ quoted: Adele Vance", "t to unfold"} {
		if !strings.Contains(s, want) {
			t.Fatalf("no %q on screen:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Shall we meet on Thursday") {
		t.Fatalf("the quoted thread is not folded:\n%s", s)
	}
	golden(t, "reply_folded_120x40", s)
	m = press(t, m, "t")
	if s := screen(m); !strings.Contains(s, "Shall we meet on Thursday") {
		t.Fatalf("t did not unfold the thread:\n%s", s)
	}
	m = press(t, m, "t")
	// Under the confirm dialog, t does nothing: the fold line does not name it.
	m = press(t, m, "s")
	if s := screen(m); strings.Contains(s, "t to unfold") || !strings.Contains(s, "Kind     reply") {
		t.Fatalf("under the dialog:\n%s", s)
	}
}

func TestForwardNamesItsFilesEverywhere(t *testing.T) {
	e, _ := replyEnv(t)
	m := start(t, e.model(t), 80, 24)
	m = showDraft(t, m, "FW: Quarterly review")
	m = press(t, m, "enter")
	s := screen(m)
	if !strings.Contains(s, "Kind     forward") || !strings.Contains(s, "agenda.pdf (15 B)") {
		t.Fatalf("full view:\n%s", s)
	}
	golden(t, "forward_full_80x24", s)
	m = press(t, m, "s")
	if s := screen(m); !strings.Contains(s, "agenda.pdf") || !strings.Contains(flatScreen(s), "they go with it") {
		t.Fatalf("confirm:\n%s", s)
	}
}

// flatScreen is the screen's words on one line, the dialog's borders removed.
func flatScreen(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ").Replace(s)), " ")
}

// showDraft selects the draft with the subject, as moving to it would, and waits for its body.
func showDraft(t *testing.T, m model, subject string) model {
	t.Helper()
	m = selectSubject(t, m, subject)
	cmd := m.syncPreview()
	next, _ := m.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height})
	m, _ = drive(t, next.(model), cmd)
	return m
}

func TestReplyFromSentItems(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := start(t, e.model(t), 100, 30)
	m = press(t, selectSubject(t, m, "Team lunch on Thursday?"), "s", "y")
	m = press(t, m, "tab")
	sent := e.emu.Sent("")
	if len(sent) != 1 {
		t.Fatalf("%d sent", len(sent))
	}
	for _, tt := range []struct {
		key    string
		kind   graph.Kind
		prefix string
	}{{"r", graph.KindReply, "RE: "}, {"f", graph.KindForward, "FW: "}} {
		if m.state() != stateSent {
			m = press(t, m, "tab")
		}
		m = press(t, m, tt.key)
		sel, _ := m.drafts.selected()
		conversation := ""
		for _, d := range e.emu.Drafts("") {
			if d.ID == sel.ID {
				conversation = d.ConversationID
			}
		}
		if m.state() != stateList || sel.Subject != tt.prefix+"Team lunch on Thursday?" || sel.Kind != tt.kind ||
			conversation != sent[0].ConversationID {
			t.Fatalf("%s: state %v, selected %+v in conversation %q", tt.key, m.state(), sel, conversation)
		}
		wantStatus(t, m, kindOK, "is in Drafts, with the quoted thread, selected")
		if tt.key == "r" {
			wantStatus(t, m, kindOK, "write your reply before sending")
			m = press(t, m, "s") // nothing written yet: the dialog says so
			if s := flatScreen(screen(m)); !strings.Contains(s, "nothing is written above the quoted message") {
				t.Fatalf("the dialog of an empty reply:\n%s", screen(m))
			}
			m = press(t, m, "n")
		}
	}
}

func TestInboxListsReceivedMailAndAnswersIt(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.emu.SeedDemo()
	m := start(t, e.model(t), 100, 30)
	drafts := m.drafts.len()
	m = press(t, m, "tab", "tab")
	wantState(t, m, stateInbox)
	s := screen(m)
	if !strings.Contains(s, fmt.Sprintf("All %d messages in the Inbox", m.inbox.list.len())) || !strings.Contains(s, "From: ") || !strings.Contains(s, "r reply") {
		t.Fatalf("inbox:\n%s", s)
	}
	sel, _ := m.inbox.list.selected()
	m = press(t, m, "R")
	wantState(t, m, stateList)
	got, _ := m.drafts.selected()
	if m.drafts.len() != drafts+1 || got.ConversationID != sel.ConversationID || got.Kind != graph.KindReply {
		t.Fatalf("after R: %d drafts (was %d), selected %+v", m.drafts.len(), drafts, got)
	}
}

func TestSaveFilesNeverOverwrites(t *testing.T) {
	e, _ := replyEnv(t)
	m := e.model(t)
	dir := t.TempDir()
	m.opts.Downloads = dir
	m = start(t, m, 80, 24)
	m = showDraft(t, m, "FW: Quarterly review")
	m = press(t, m, "enter")
	if !strings.Contains(screen(m), "w save files") && !m.keys.SaveFiles.Enabled() {
		t.Fatalf("w is not offered:\n%s", screen(m))
	}
	m = press(t, m, "w")
	wantStatus(t, m, kindOK, "Saved 1 file in "+dir+": agenda.pdf")
	got, err := os.ReadFile(filepath.Join(dir, "agenda.pdf"))
	if err != nil || string(got) != "%PDF-1.4 agenda" {
		t.Fatalf("%q %v", got, err)
	}
	m = press(t, m, "w")
	wantStatus(t, m, kindErr, "“agenda.pdf” exists already in "+dir+"; nothing saved")
}

func TestDemoReplyAllShowsAsReplyAll(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.emu.SeedDemo()
	m := start(t, e.model(t), 120, 40)
	for _, d := range m.drafts.all {
		if strings.HasPrefix(d.subject(), "RE: Northwind API contract") {
			m = showDraft(t, m, d.subject())
			if s := screen(m); !strings.Contains(s, "Kind     reply all") {
				t.Fatalf("the demo's reply all:\n%s", s)
			}
			return
		}
	}
	t.Fatal("no reply-all draft in the demo")
}

// A forward's files that came with the original are marked so, in the preview and the dialog;
// a file the user added is not.
func TestForwardMarksTheFilesOfTheOriginal(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	ctx := context.Background()
	d := e.emu.AddDraft(emulator.Draft{Subject: "Site photos", Body: "Photos from the visit.",
		To: []emulator.Recipient{megan}, LastModified: epoch.Add(-3 * time.Hour)})
	if err := e.mb.Attach(ctx, d.ID, "site.jpg", "image/jpeg", []byte("jpeg bytes of the site"), nil); err != nil {
		t.Fatal(err)
	}
	if err := e.mb.Send(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	fw, err := e.mb.CreateReply(ctx, e.emu.Sent("")[0].ID, graph.Forward, "See the photo.")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.mb.Attach(ctx, fw.ID, "notes.txt", "text/plain", []byte("my notes"), nil); err != nil {
		t.Fatal(err)
	}
	m := start(t, e.model(t), 120, 30)
	m = showDraft(t, m, "FW: Site photos")
	want := "site.jpg (from the original, 22 B), notes.txt (8 B)"
	if s := flatScreen(screen(m)); !strings.Contains(s, want) {
		t.Fatalf("want %q in the preview:\n%s", want, screen(m))
	}
	m = press(t, m, "s")
	if s := flatScreen(screen(m)); !strings.Contains(s, want) {
		t.Fatalf("want %q in the dialog:\n%s", want, screen(m))
	}
	// Not opened first (no preview at this width): the dialog still finds the original.
	narrow := start(t, e.model(t), 80, 30)
	narrow = press(t, selectSubject(t, narrow, "FW: Site photos"), "s")
	if s := flatScreen(screen(narrow)); !strings.Contains(s, want) {
		t.Fatalf("want %q in the dialog of a draft not opened:\n%s", want, screen(narrow))
	}
}

// The demo's German reply (in the Inbox, its quote under "Von:" and "Gesendet:") folds its
// quoted thread in the reader, as an English one does.
func TestDemoGermanReplyFoldsItsThread(t *testing.T) {
	_, m := demoFixture(t, 120, 40)
	m = press(t, m, "tab", "tab")
	for i := range m.inbox.list.visibleLen() {
		if m.inbox.list.at(i).subject() == "AW: Lieferantenliste Q3" {
			m.inbox.list.selectIndex(i)
		}
	}
	m = press(t, m, "enter")
	if s := screen(m); !strings.Contains(s, "AW: Lieferantenliste Q3") || !strings.Contains(s, "▸ quoted: Adele Vance") || !strings.Contains(flatScreen(s), "— t to unfold") {
		t.Fatalf("the demo's German reply:\n%s", s)
	}
}
