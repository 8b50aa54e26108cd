package ui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/compose"
)

// Editing a draft, or writing a new one, in the user's editor: the screen runs compose's edit
// session (graph/compose/session.go) with tea.ExecProcess, and comes back to the same row.
// What the user typed is kept (compose.Keeper) from the moment the editor closes until the
// draft is saved.

// editTimeout bounds the requests of an edit.
const editTimeout = 30 * time.Second

// Messages of an edit, by draft id ("" for a new draft).
type (
	// editSourceMsg: the draft as read to edit (or why it could not be).
	editSourceMsg struct {
		src graph.EditSource
		err error
	}
	// editorDoneMsg: the editor closed; file holds what it left.
	editorDoneMsg struct {
		src     graph.EditSource
		orig    compose.Draft
		offered []byte // the text the editor was opened on
		file    string
		err     error
	}
	// editSavedMsg: the draft was written (created, for a new one); draft is the one edited,
	// whatever the list has selected meanwhile.
	editSavedMsg struct {
		draft   graph.Message
		msg     graph.Message
		created bool
		err     error
	}
)

// editing is what the screen remembers between an edit's steps: the drafts whose last save met a
// conflict (the next e opens the new version with the user's text below it), and the saves in
// flight, by keepKey: while one is, that draft (or a new one) is not opened again, so a finished
// save never drops the text of a newer edit.
type editing struct {
	conflicted map[string]bool
	saving     map[string]bool
	// paused holds what each countdown had left when the editor took the terminal (pause.go);
	// nil while the editor is closed.
	paused []pausedCountdown
	// unlock gives up the editor lock of the draft being edited (compose.Keeper.LockEditor).
	unlock func()
}

// startSave marks a save of key in flight.
func (e *editing) startSave(key string) {
	e.saving = cloneSet(e.saving)
	e.saving[key] = true
}

// endSave marks the save of key done.
func (e *editing) endSave(key string) {
	if e.saving[key] {
		e.saving = cloneSet(e.saving)
		delete(e.saving, key)
	}
}

// editCmd reads the draft to edit.
func editCmd(ctx context.Context, mb Mailbox, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, editTimeout)
		defer cancel()
		src, err := mb.DraftForEdit(ctx, id)
		return editSourceMsg{src: src, err: err}
	}
}

// startEdit asks for the draft under the cursor, to edit it.
func (m model) startEdit(d graph.Message) (model, tea.Cmd) {
	switch {
	case d.ID == "":
		return m, nil
	case m.sendLocked(d.ID) || m.sends.discarding(d.ID):
		m.status = info(busyDraft(d))
		return m, nil
	case m.edit.saving[d.ID]:
		m.status = info(quoted(d) + " is still being saved; edit it again once it is")
		return m, nil
	case len(m.opts.Editor) == 0 || m.opts.Edits == nil:
		m.status = failure("No editor: set VISUAL or EDITOR (and a cache directory for your text)")
		return m, nil
	}
	m.status = info("Opening " + quoted(d) + " in your editor…").working()
	return m, tea.Batch(editCmd(m.ctx, m.mb, d.ID), m.spinner.Tick)
}

// startNew opens the editor on an empty draft.
func (m model) startNew() (model, tea.Cmd) {
	if len(m.opts.Editor) == 0 || m.opts.Edits == nil {
		m.status = failure("No editor: set VISUAL or EDITOR (and a cache directory for your text)")
		return m, nil
	}
	if m.edit.saving[keepKey("")] {
		m.status = info("The last new draft is still being created; press " + m.keys.New.Help().Key + " again once it is")
		return m, nil
	}
	return m.runEditor(graph.EditSource{Body: graph.Body{ContentType: "text"}})
}

// runEditor writes the editor's text to a private file and runs the editor on it.
func (m model) runEditor(src graph.EditSource) (model, tea.Cmd) {
	id := src.Message.ID
	unlock, free, err := m.opts.Edits.LockEditor(keepKey(id))
	if err != nil || !free {
		m.status = info(quoted(src.Message) + " is open in an editor in another drafts; finish it there first")
		if err != nil {
			m.status = failure("Cannot open the editor: " + err.Error())
		}
		return m, nil
	}
	file := m.opts.Edits.EditorFile(keepKey(id))
	var kept []byte
	// What is kept, or what an editor that never closed normally (drafts killed with it open)
	// left in its file: the newest text, offered back.
	k, at, ok := m.opts.Edits.Load(keepKey(id))
	if ok {
		kept = k
		// The draft changed on the server since the text was kept (a conflict, here or in an
		// earlier run): open its new version, with the user's text below it.
		v := m.opts.Edits.Version(keepKey(id))
		if id != "" && (m.edit.conflicted[id] || v != "" && v != src.ETag || v == "" && src.Message.LastModified.After(at)) {
			kept = compose.Conflict(src, k)
		}
	}
	text, orig, _ := compose.Start(src, kept)
	if err := writePrivate(file, text); err != nil {
		unlock()
		m.status = failure("Cannot open the editor: " + err.Error())
		return m, nil
	}
	m.edit.unlock = unlock // until the editor closes
	m.status = status{}
	m.sends, m.edit.paused = m.sends.pause(m.now()) // nobody sees them while the editor runs
	cmd := exec.Command(m.opts.Editor[0], append(m.opts.Editor[1:], file)...)
	return m, m.exec(cmd, func(err error) tea.Msg {
		return editorDoneMsg{src: src, orig: orig, offered: text, file: file, err: err}
	})
}

// keepKey is the Keeper's name for the text of a draft ("new" for one not created yet).
func keepKey(id string) string {
	if id == "" {
		return "new"
	}
	return id
}

// writePrivate writes a file only the user may read.
func writePrivate(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}

// editorDone takes what the editor left: kept first, then read, checked and written.
func (m model) editorDone(msg editorDoneMsg) (model, tea.Cmd) {
	var resume tea.Cmd
	m.sends, resume = m.sends.resume(m.edit.paused, m.now())
	m.edit.paused = nil
	if m.edit.unlock != nil {
		defer m.edit.unlock() // after what the editor left is kept (or named, when it cannot be)
		m.edit.unlock = nil
	}
	m, cmd := m.editorClosed(msg)
	return m, tea.Batch(resume, cmd)
}

// editorClosed takes what the editor left: kept first, then read, checked and written.
func (m model) editorClosed(msg editorDoneMsg) (model, tea.Cmd) {
	id, key := msg.src.Message.ID, keepKey(msg.src.Message.ID)
	text, rerr := os.ReadFile(msg.file)
	if rerr == nil && m.edit.conflicted[id] && bytes.Equal(text, msg.offered) {
		// The new version with the user's text below it, closed untouched: nothing to save,
		// and the text kept from before stays kept, for the next e.
		_ = os.Remove(msg.file)
		m.status = info("No changes to " + quoted(msg.src.Message) + " (your earlier text is still kept: press " + m.keys.Edit.Help().Key + " to go on)")
		return m, nil
	}
	if rerr == nil && msg.err == nil && compose.Emptied(text) {
		// The user gave up: nothing saved, nothing kept (an emptied text offered back would fail
		// at every edit after).
		_ = os.Remove(msg.file)
		_ = m.opts.Edits.Drop(key)
		if id == "" {
			m.status = info("Not created: the new draft was left empty")
		} else {
			m.status = info("Nothing saved: the text was emptied; " + quoted(msg.src.Message) + " is unchanged")
		}
		return m, nil
	}
	if rerr == nil {
		if msg.src.ETag != "" {
			_ = m.opts.Edits.SaveVersion(key, msg.src.ETag) // what the text was written against
		}
		if err := m.opts.Edits.Save(key, text); err != nil {
			// The editor's file is the only copy: it stays, and is named.
			m.status = failure("Your text could not be kept (" + err.Error() + "); nothing was saved; it is in " + msg.file)
			return m, nil
		}
	}
	_ = os.Remove(msg.file)
	where := " (your text is kept: press " + m.keys.Edit.Help().Key + " to go on)"
	if id == "" {
		where = " (your text is kept: press " + m.keys.New.Help().Key + " to go on)"
	}
	var notFound *exec.Error
	switch {
	case errors.As(msg.err, &notFound):
		m.status = failure("No editor " + quoteCmd(m.opts.Editor) + " was found: set VISUAL or EDITOR to your editor; nothing was saved")
		return m, nil
	case msg.err != nil:
		m.status = failure("The editor ended with an error; nothing was saved" + where)
		return m, nil
	case rerr != nil:
		m.status = failure("The editor's file could not be read; nothing was saved")
		return m, nil
	}
	fields, edited, err := compose.Finish(msg.src, msg.orig, text)
	if err != nil {
		m.status = failure("Not saved: " + err.Error() + where)
		return m, nil
	}
	if id == "" {
		if edited.Empty() {
			_ = m.opts.Edits.Drop(key)
			m.status = info("Not created: the new draft was left empty")
			return m, nil
		}
		m.edit.startSave(key)
		return m, saveCmd(m.ctx, m.mb, msg.src.Message, "", newFields(edited, fields))
	}
	if fields.Empty() {
		_ = m.opts.Edits.Drop(key)
		delete(m.edit.conflicted, id)
		m.status = info("No changes to " + quoted(msg.src.Message))
		return m, nil
	}
	m.status = info("Saving " + quoted(msg.src.Message) + "…").working()
	m.edit.startSave(key)
	return m, tea.Batch(saveCmd(m.ctx, m.mb, msg.src.Message, msg.src.ETag, fields), m.spinner.Tick)
}

// newFields are the fields of a new draft: all of them (the body as text).
func newFields(d compose.Draft, f graph.DraftFields) graph.DraftFields {
	body := graph.Body{ContentType: "text", Content: d.Text}
	return graph.DraftFields{Subject: &d.Subject, To: &d.To, Cc: &d.Cc, Bcc: &d.Bcc, Body: &body}
}

// saveCmd writes the edit (creates the draft when id is "").
func saveCmd(ctx context.Context, mb Mailbox, d graph.Message, etag string, f graph.DraftFields) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, editTimeout)
		defer cancel()
		if d.ID == "" {
			msg, err := mb.CreateDraft(ctx, f)
			return editSavedMsg{draft: d, msg: msg, created: true, err: err}
		}
		msg, err := mb.UpdateDraft(ctx, d.ID, etag, f)
		if err == nil {
			msg.ID = d.ID
		}
		return editSavedMsg{draft: d, msg: msg, err: err}
	}
}

// updateEdit handles the steps of an edit.
func (m model) updateEdit(msg tea.Msg) (model, tea.Cmd) {
	switch msg := msg.(type) {
	case editSourceMsg:
		if msg.err != nil {
			m.status = failure("Cannot edit: " + graph.Describe(msg.err))
			return m, nil
		}
		if d := msg.src.Message; d.ID != "" && (m.sendLocked(d.ID) || m.sends.discarding(d.ID)) {
			// Its send or discard began while it was being read: editing it now would change
			// what was confirmed.
			m.status = info(busyDraft(d))
			return m, nil
		}
		return m.runEditor(msg.src)
	case editorDoneMsg:
		return m.editorDone(msg)
	case editSavedMsg:
		return m.saved(msg)
	}
	return m, nil
}

// saved ends an edit: the text kept is dropped, the list shows the new version, on the same row.
func (m model) saved(msg editSavedMsg) (model, tea.Cmd) {
	m.edit.endSave(keepKey(msg.draft.ID))
	id := msg.msg.ID
	if msg.err != nil {
		d := msg.draft // the draft edited, not the row selected now
		switch {
		case graph.IsConflict(msg.err) && d.ID != "":
			m.edit.conflicted = cloneSet(m.edit.conflicted)
			m.edit.conflicted[d.ID] = true
			m.status = warning(quoted(d) + " was changed elsewhere while you edited it; nothing was overwritten. Press " +
				m.keys.Edit.Help().Key + " to edit the new version (your text is kept below it)")
		case errors.Is(msg.err, context.Canceled):
			m.status = warning("Not saved: cancelled (your text is kept)")
		default:
			m.status = failure("Not saved: " + graph.Describe(msg.err) + " (your text is kept)")
		}
		m, reload := m.reload()
		return m, reload
	}
	key := keepKey(id)
	if msg.created {
		key = "new"
	}
	_ = m.opts.Edits.Drop(key)
	if m.edit.conflicted[id] {
		m.edit.conflicted = cloneSet(m.edit.conflicted)
		delete(m.edit.conflicted, id)
	}
	delete(m.bodies, id) // the body changed: fetch it again
	if msg.created {
		m.status = success("Created " + quoted(msg.msg) + " in Drafts")
	} else {
		m.status = success("Saved " + quoted(msg.msg))
	}
	m.selectAfterLoad = id
	m, reload := m.reload()
	return m, reload
}

func cloneSet(s map[string]bool) map[string]bool {
	out := make(map[string]bool, len(s)+1)
	for k, v := range s {
		out[k] = v
	}
	return out
}

// quoteCmd names an editor command for a status line.
func quoteCmd(argv []string) string {
	if len(argv) == 0 {
		return ""
	}
	return "“" + graph.CleanLine(argv[0]) + "”"
}

// unsavedEdit reports whether text the user typed for the draft is kept, not saved (a refused
// save, a conflict, a killed editor): sending the draft now would send it without that text.
func (m model) unsavedEdit(id string) bool {
	if m.opts.Edits == nil || id == "" {
		return false
	}
	_, _, ok := m.opts.Edits.Load(keepKey(id))
	return ok
}

// busyDraft says why a draft being sent or discarded cannot be edited.
func busyDraft(d graph.Message) string {
	return quoted(d) + " is being sent or discarded; it cannot be edited now"
}
