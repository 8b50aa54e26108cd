package ui

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/compose"
	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/graph/sending"
)

// editModel is the list of one draft, with an editor that runs script (sh; $0 is the file) and
// a keeper in a temporary directory. before, if set, runs just before the editor (to change the
// draft on the server meanwhile).
func editModel(t *testing.T, script string, before func()) (*env, model, emulator.Message, *compose.Keeper) {
	t.Helper()
	e := newEnv(t, emulator.Options{})
	d := e.emu.AddDraft(emulator.Draft{Subject: "Q3 numbers", Body: "Hi Megan,\n\nnumbers attached.", To: []emulator.Recipient{megan}, LastModified: epoch.Add(-time.Hour)})
	k, err := compose.OpenKeeper(t.TempDir(), "test")
	if err != nil {
		t.Fatal(err)
	}
	m := e.model(t)
	m.opts.Editor = []string{"sh", "-c", script}
	m.opts.Edits = k
	m.exec = func(c *exec.Cmd, done tea.ExecCallback) tea.Cmd {
		return func() tea.Msg {
			if before != nil {
				before()
			}
			return done(c.Run())
		}
	}
	return e, start(t, m, 80, 24), d, k
}

func TestEditChangesOnlyWhatChanged(t *testing.T) {
	e, m, d, k := editModel(t, `sed -i -e 's/^Subject: .*/Subject: Q3 numbers (final)/' -e 's/^Cc:.*/Cc: Alex Wilber <alex.wilber@contoso.example>/' "$0"`, nil)
	m = press(t, m, "e")
	got := e.emu.Drafts("")
	if len(got) != 1 || got[0].ID != d.ID || got[0].Subject != "Q3 numbers (final)" || len(got[0].CcRecipients) != 1 ||
		!strings.Contains(got[0].Body.Content, "numbers attached") {
		t.Fatalf("the draft on the server: %+v", got)
	}
	if n := e.emu.Count("PATCH", ""); n != 1 {
		t.Fatalf("%d PATCHes, want 1", n)
	}
	wantStatus(t, m, kindOK, "Saved “Q3 numbers (final)”")
	if _, _, kept := k.Load(d.ID); kept {
		t.Fatal("the text is still kept after the save")
	}
	if sel, _ := m.drafts.selected(); sel.ID != d.ID || sel.Subject != "Q3 numbers (final)" {
		t.Fatalf("selected %+v after the save", sel)
	}
}

func TestEditBadAddressKeepsTheTextAndOffersItBack(t *testing.T) {
	e, m, d, k := editModel(t, `sed -i 's/^Cc:.*/Cc: bob@/' "$0"`, nil)
	m = press(t, m, "e")
	wantStatus(t, m, kindErr, `Not saved: Cc: "bob@" is not an address`)
	if !strings.Contains(m.status.text, "press e") || e.emu.Count("PATCH", "") != 0 {
		t.Fatalf("status %q, %d PATCHes", m.status.text, e.emu.Count("PATCH", ""))
	}
	if text, _, ok := k.Load(d.ID); !ok || !strings.Contains(string(text), "Cc: bob@") {
		t.Fatalf("kept %q %v", text, ok)
	}
	// The next e opens what was typed; fixed, it is saved.
	m.opts.Editor = []string{"sh", "-c", `grep -q 'Cc: bob@' "$0" && sed -i 's/^Cc:.*/Cc: bob@contoso.example/' "$0"`}
	m = press(t, m, "e")
	wantStatus(t, m, kindOK, "Saved")
	if got := e.emu.Drafts("")[0]; len(got.CcRecipients) != 1 || got.CcRecipients[0].EmailAddress.Address != "bob@contoso.example" {
		t.Fatalf("cc %+v", got.CcRecipients)
	}
}

func TestEditConflictOverwritesNothing(t *testing.T) {
	var e *env
	var d emulator.Message
	changed := func() { // Outlook saves the draft while the editor is open
		subject := "changed in Outlook"
		if _, err := e.mb.UpdateDraft(context.Background(), d.ID, "", graph.DraftFields{Subject: &subject}); err != nil {
			panic(err)
		}
	}
	e, m, d, k := editModel(t, `sed -i 's/^Subject: .*/Subject: my subject/' "$0"`, func() { changed() })
	m = press(t, m, "e")
	wantStatus(t, m, kindWarn, "was changed elsewhere while you edited it; nothing was overwritten")
	if got := e.emu.Drafts("")[0].Subject; got != "changed in Outlook" {
		t.Fatalf("the server's version was overwritten: %q", got)
	}
	if text, _, ok := k.Load(d.ID); !ok || !strings.Contains(string(text), "Subject: my subject") {
		t.Fatal("the user's text was not kept")
	}
	// The next e opens the new version with the user's text below it, as comments.
	seen := ""
	m.opts.Editor = []string{"sh", "-c", `cat "$0" > "$0.seen"`}
	m.exec = func(c *exec.Cmd, done tea.ExecCallback) tea.Cmd {
		return func() tea.Msg {
			err := c.Run()
			b, _ := os.ReadFile(c.Args[len(c.Args)-1] + ".seen")
			seen = string(b)
			return done(err)
		}
	}
	m = press(t, m, "e")
	if !strings.Contains(seen, "Subject: changed in Outlook") || !strings.Contains(seen, "# Subject: my subject") {
		t.Fatalf("the editor was given:\n%s", seen)
	}
	// Closed untouched, the user's text is not dropped: it stays kept, and the next e offers
	// it again.
	wantStatus(t, m, kindInfo, "your earlier text is still kept")
	if text, _, ok := k.Load(d.ID); !ok || !strings.Contains(string(text), "Subject: my subject") {
		t.Fatalf("the user's text is gone after an untouched editor: %q %v", text, ok)
	}
	seen = ""
	m = press(t, m, "e")
	if !strings.Contains(seen, "# Subject: my subject") {
		t.Fatalf("the second e after the conflict was given:\n%s", seen)
	}
}

// A save that fails names the draft edited, not the row selected meanwhile.
func TestFailedSaveNamesTheDraftEdited(t *testing.T) {
	e, m, d, _ := editModel(t, `true`, nil)
	e.emu.AddDraft(emulator.Draft{Subject: "Another draft", To: []emulator.Recipient{megan}})
	m = press(t, m, "r", "k") // the other draft is newer: above
	other, _ := m.drafts.selected()
	if other.ID == d.ID {
		t.Fatalf("the new draft is not the one selected: %+v", other)
	}
	m, _ = m.saved(editSavedMsg{draft: graph.Message{ID: d.ID, Subject: d.Subject}, err: &graph.Error{Status: 412, Code: "ErrorIrresolvableConflict"}})
	if !strings.Contains(m.status.text, "“Q3 numbers” was changed elsewhere") || !m.edit.conflicted[d.ID] || m.edit.conflicted[other.ID] {
		t.Fatalf("status %q, conflicted %v", m.status.text, m.edit.conflicted)
	}
}

func TestNewDraftAndAnUntouchedOne(t *testing.T) {
	e, m, _, _ := editModel(t, `printf 'To: lee.gu@contoso.example\nSubject: Lunch?\n\nTomorrow at noon?\n' > "$0"`, nil)
	m = press(t, m, "n")
	var made *emulator.Message
	for _, d := range e.emu.Drafts("") {
		if d.Subject == "Lunch?" {
			made = &d
		}
	}
	if made == nil || len(made.ToRecipients) != 1 || !strings.Contains(made.Body.Content, "Tomorrow at noon?") {
		t.Fatalf("drafts %+v", e.emu.Drafts(""))
	}
	wantStatus(t, m, kindOK, "Created “Lunch?”")
	if sel, _ := m.drafts.selected(); sel.ID != made.ID {
		t.Fatalf("selected %q, want the new draft", sel.Subject)
	}
	posts := e.emu.Count("POST", "/messages")
	m.opts.Editor = []string{"true"}
	m = press(t, m, "n")
	wantStatus(t, m, kindInfo, "Not created")
	if e.emu.Count("POST", "/messages") != posts || len(e.emu.Drafts("")) != 2 {
		t.Fatal("an untouched new draft was created")
	}
}

func TestEditorThatFailsSavesNothing(t *testing.T) {
	e, m, _, _ := editModel(t, `exit 3`, nil)
	m = press(t, m, "e")
	wantStatus(t, m, kindErr, "The editor ended with an error; nothing was saved")
	if e.emu.Count("PATCH", "") != 0 {
		t.Fatal("saved after a failed editor")
	}
}

func TestDiscardWaitsForTheCountdownAndUndoKeepsIt(t *testing.T) {
	e, m, d, _ := editModel(t, "true", nil)
	m.sends.opts.Undo = 5 * time.Second
	m, _ = pressOnly(m, "d")
	if line := m.sendsLine().text; !strings.Contains(line, "Discarding “Q3 numbers” in 5 s — u undo") {
		t.Fatalf("sends line %q", line)
	}
	m = press(t, m, "u")
	wantStatus(t, m, kindInfo, "Not discarded: “Q3 numbers” stays in Drafts")
	if e.emu.Count("DELETE", "") != 0 || len(e.emu.Drafts("")) != 1 {
		t.Fatal("undone, yet deleted")
	}
	m, _ = pressOnly(m, "d")
	tick := discardTickMsg{id: d.ID, seq: m.sends.discards[d.ID].seq}
	e.clock.Advance(5 * time.Second)
	m, cmd := deliver(t, m, tick)
	m, _ = drive(t, m, cmd)
	wantStatus(t, m, kindOK, "“Q3 numbers” was moved to Deleted Items")
	if len(e.emu.Drafts("")) != 0 || len(e.emu.Messages("", "deleteditems")) != 1 || e.emu.Count("DELETE", "") != 1 {
		t.Fatalf("drafts %d, deleted items %d", len(e.emu.Drafts("")), len(e.emu.Messages("", "deleteditems")))
	}
}

func TestEditorNotFoundSaysWhatToSet(t *testing.T) {
	e, m, _, _ := editModel(t, "true", nil)
	m.opts.Editor = []string{"no-such-editor-anywhere"}
	m = press(t, m, "e")
	wantStatus(t, m, kindErr, "No editor “no-such-editor-anywhere” was found: set VISUAL or EDITOR")
	if e.emu.Count("PATCH", "") != 0 {
		t.Fatal("saved without an editor")
	}
}

// A draft with no recipients cannot be sent; its dialog names e, and e there opens the editor:
// the recipient added, the draft can be sent.
func TestNoRecipientsDialogOffersTheEditor(t *testing.T) {
	e, m, d, _ := editModel(t, `sed -i 's/^To:.*/To: Megan Bowen <megan.bowen@contoso.example>/' "$0"`, nil)
	none := []graph.Recipient{}
	if _, err := e.mb.UpdateDraft(context.Background(), d.ID, "", graph.DraftFields{To: &none}); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "r", "s")
	s := screen(m)
	if !strings.Contains(s, "This draft cannot be sent") || !strings.Contains(s, "press e to add one") || !strings.Contains(s, "e edit") {
		t.Fatalf("the dialog of a draft without recipients:\n%s", s)
	}
	m = press(t, m, "y") // no y here
	if e.posts() != 0 {
		t.Fatal("y sent a draft without recipients")
	}
	m = press(t, m, "e")
	wantStatus(t, m, kindOK, "Saved")
	if got := e.emu.Drafts("")[0]; len(got.ToRecipients) != 1 {
		t.Fatalf("to %+v after the edit", got.ToRecipients)
	}
	m = press(t, m, "s")
	if !strings.Contains(screen(m), "Send this draft now?") {
		t.Fatalf("after the edit:\n%s", screen(m))
	}
}

// msgsOf runs cmd and the batches in it, and returns the messages for the model.
func msgsOf(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, msgsOf(c)...)
		}
		return out
	case nil:
		return nil
	default:
		if deliverable(msg) {
			return []tea.Msg{msg}
		}
		return nil
	}
}

// While a save is in flight, e on the same draft waits: a finished save never drops the text
// of a newer edit.
func TestEditWaitsForTheSaveInFlight(t *testing.T) {
	e, m, d, k := editModel(t, `sed -i 's/^Subject: .*/Subject: first edit/' "$0"`, nil)
	next, cmd := m.Update(keyMsg("e"))
	m = next.(model)
	var save []tea.Msg
	for len(save) == 0 {
		msgs := msgsOf(cmd)
		if len(msgs) == 0 {
			t.Fatal("the edit ended before its save")
		}
		if _, ok := msgs[0].(editSavedMsg); ok {
			save = msgs
			break
		}
		next, cmd = m.Update(msgs[0])
		m = next.(model)
	}
	m = press(t, m, "e") // the save has not come back
	if !strings.Contains(m.status.text, "is still being saved") {
		t.Fatalf("e during a save: %q", m.status.text)
	}
	next, cmd = m.Update(save[0])
	m, _ = drive(t, next.(model), cmd)
	wantStatus(t, m, kindOK, "Saved “first edit”")
	if _, _, kept := k.Load(d.ID); kept || e.emu.Count("PATCH", "") != 1 {
		t.Fatalf("kept %v, %d PATCHes", kept, e.emu.Count("PATCH", ""))
	}
	m = press(t, m, "e") // and once it is saved, e works again
	if strings.Contains(m.status.text, "still being saved") {
		t.Fatalf("e after the save: %q", m.status.text)
	}
}

// A countdown does not run out while the editor has the terminal: nobody can see it or undo it
// then. It goes on from where it was when the screen comes back.
func TestCountdownsWaitWhileTheEditorIsOpen(t *testing.T) {
	var e *env
	e, m, _, _ := editModel(t, `true`, func() { e.clock.Advance(time.Minute) })
	other := e.emu.AddDraft(emulator.Draft{Subject: "Held meanwhile", Body: "Hello.", To: []emulator.Recipient{alex}, LastModified: epoch.Add(time.Minute)})
	m.sends.opts.Undo = 5 * time.Second
	m = press(t, m, "r")
	m = press(t, selectSubject(t, m, "Held meanwhile"), "s")
	m, _ = pressOnly(m, "y")
	e.clock.Advance(2 * time.Second)
	m = press(t, selectSubject(t, m, "Q3 numbers"), "e") // a minute in the editor
	s, ok := m.sends.job(other.ID)
	if !ok || s.Phase != sending.Held || e.posts() != 0 {
		t.Fatalf("after the editor: %v, %d POSTs", s.Phase, e.posts())
	}
	if left := s.Until.Sub(e.clock.Now()); left != 3*time.Second {
		t.Fatalf("the countdown has %v left after a minute in the editor, want the 3 s it had", left)
	}
	if !strings.Contains(screen(m), "in 3 s — u undo") {
		t.Fatalf("the countdown is not shown going on:\n%s", screen(m))
	}
}

// A send confirmed while the draft is being read for the editor keeps the editor closed: the
// text confirmed is the text sent.
func TestNoEditorForADraftWhoseSendBeganMeanwhile(t *testing.T) {
	e, m, d, _ := editModel(t, `echo changed >> "$0"`, nil)
	m.sends.opts.Undo = 5 * time.Second
	m, read := pressOnly(m, "e") // the draft is being read
	m = press(t, m, "s")
	m, _ = pressOnly(m, "y") // its countdown starts meanwhile
	m, _ = drive(t, m, read)
	if e.emu.Count("PATCH", "") != 0 || !strings.Contains(m.status.text, "is being sent or discarded") {
		t.Fatalf("%d PATCHes, status %q", e.emu.Count("PATCH", ""), m.status.text)
	}
	if s, _ := m.sends.job(d.ID); s.Phase != sending.Held {
		t.Fatalf("the send: %v", s.Phase)
	}
}

// The text of an editor that never closed normally (drafts killed with it open) is offered back
// by the next e, not written over.
func TestTextOfAnInterruptedEditorIsOfferedBack(t *testing.T) {
	e, m, d, k := editModel(t, `grep -q "my lost paragraph" "$0" || exit 3`, nil)
	if err := os.MkdirAll(filepath.Dir(k.Path(d.ID)), 0o700); err != nil {
		t.Fatal(err)
	}
	left := "To: Megan Bowen <megan.bowen@contoso.example>\nSubject: Q3 numbers\n\nHi Megan,\n\nmy lost paragraph\n"
	if err := os.WriteFile(k.Path(d.ID)+".edit.txt", []byte(left), 0o600); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "e")
	got := e.emu.Drafts("")
	if len(got) != 1 || !strings.Contains(got[0].Body.Content, "my lost paragraph") {
		t.Fatalf("the text left by the interrupted editor was not offered back; status %q, body %q", m.status.text, got[0].Body.Content)
	}
}

// While another drafts has the draft's text open in an editor, e does not open a second one
// over it.
func TestEditWaitsForAnotherEditorOfTheSameDraft(t *testing.T) {
	e, m, d, k := editModel(t, `echo changed >> "$0"`, nil)
	unlock, ok, err := k.LockEditor(d.ID)
	if err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	defer unlock()
	m = press(t, m, "e")
	if e.emu.Count("PATCH", "") != 0 || !strings.Contains(m.status.text, "is open in an editor in another drafts") {
		t.Fatalf("%d PATCHes, status %q", e.emu.Count("PATCH", ""), m.status.text)
	}
}

// After a refused save, the confirm dialog says the edit was not saved: y would send the version
// in Outlook, without what the user typed.
func TestSendAfterARefusedEditSaysSo(t *testing.T) {
	_, m, _, _ := editModel(t, `sed -i 's/^To: .*/To: not an address/' "$0"`, nil)
	m = press(t, m, "e")
	if !strings.Contains(m.status.text, "Not saved") {
		t.Fatalf("the edit was saved? status %q", m.status.text)
	}
	m = press(t, m, "s")
	if s := flatScreen(screen(m)); !strings.Contains(s, "Your last edit of this draft was not saved") {
		t.Fatalf("the dialog does not say the edit was not saved:\n%s", screen(m))
	}
}

// An emptied text: nothing saved, nothing kept, the next e starts from the draft.
func TestEditorEmptiedSavesAndKeepsNothing(t *testing.T) {
	e, m, d, k := editModel(t, `: > "$0"`, nil)
	m = press(t, m, "e")
	wantStatus(t, m, kindInfo, "Nothing saved: the text was emptied; “Q3 numbers” is unchanged")
	if _, _, ok := k.Load(d.ID); ok || e.emu.Count("PATCH", "") != 0 {
		t.Fatalf("kept %v, %d PATCHes", ok, e.emu.Count("PATCH", ""))
	}
	m = press(t, m, "n")
	wantStatus(t, m, kindInfo, "Not created: the new draft was left empty")
	if _, _, ok := k.Load("new"); ok || len(e.emu.Drafts("")) != 1 {
		t.Fatal("an emptied new draft was kept or made")
	}
}

// A confirm dialog warning of the draft's own text (here: "attached", nothing attached) offers
// e, which opens the editor on it.
func TestConfirmOffersTheEditorForATextWarning(t *testing.T) {
	e, m, _, _ := editModel(t, `sed -i 's/numbers attached./numbers below./' "$0"`, nil)
	m = press(t, m, "s")
	if s := flatScreen(screen(m)); !strings.Contains(s, "but nothing is attached") || !strings.Contains(s, "y send e edit n/esc keep as draft") {
		t.Fatalf("the dialog:\n%s", screen(m))
	}
	m = press(t, m, "e")
	if m.state() == stateConfirm || e.emu.Count("PATCH", "") != 1 {
		t.Fatalf("state %v, %d PATCHes after e", m.state(), e.emu.Count("PATCH", ""))
	}
}
