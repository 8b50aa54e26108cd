package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// updateKey routes a key press: ctrl+c and the undo keys first (they work in every state, at
// every size), then the dialog on top, then the view.
func (m model) updateKey(k tea.KeyPressMsg) (model, tea.Cmd) {
	if key.Matches(k, m.keys.Interrupt) {
		return m.interrupt()
	}
	if m, cmd, ok := m.updateUndoKeys(k); ok {
		return m, cmd
	}
	if m.tooSmall {
		return m.updateTooSmall(k)
	}
	if m.top() != nil {
		return m.updateOverlay(k)
	}
	switch m.view {
	case stateFull:
		return m.updateFull(k)
	case stateSent:
		return m.updateSent(k)
	case stateInbox:
		return m.updateInbox(k)
	case stateRead:
		return m.updateRead(k)
	}
	return m.updateList(k)
}

// interrupt is ctrl+c: it quits, asking first while a send is unsettled; under the quit
// question it quits at once (held sends were never posted: they are not sent). A dialog that
// answers for a draft is closed unanswered.
func (m model) interrupt() (model, tea.Cmd) {
	if m.state() == stateQuit {
		return m, tea.Quit
	}
	m.closeAnswers()
	return m.askQuit()
}

// updateTooSmall handles keys while the screen is too small to show what they act on: nothing
// may be confirmed or sent blind, so only quitting works (the undo keys too, before this), and
// the quit question still answers its keys (the too-small screen shows it and them).
func (m model) updateTooSmall(k tea.KeyPressMsg) (model, tea.Cmd) {
	if m.state() == stateQuit {
		return m.updateOverlay(k)
	}
	if !key.Matches(k, tooSmallQuit) {
		return m, nil
	}
	m.closeAnswers() // the dialog was not seen: close it unanswered
	return m.askQuit()
}

// tooSmallQuit is q on the too-small screen, in every state under it (a dialog or the filter
// that cannot be seen does not take it): the screen says "q quits".
var tooSmallQuit = key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit"))

// updateList handles keys on the drafts list.
func (m model) updateList(k tea.KeyPressMsg) (model, tea.Cmd) {
	if m, cmd, ok := m.updateNavList(k, m.drafts); ok {
		return m, cmd
	}
	if !m.drafts.filtering() {
		switch {
		case key.Matches(k, m.keys.Quit):
			return m.askQuit()
		case key.Matches(k, m.keys.Send):
			if ds := m.markedDrafts(); len(ds) > 0 {
				return m.askSendMany(ds)
			}
			if d, ok := m.drafts.selected(); ok {
				return m.askSend(d)
			}
			return m, nil
		case key.Matches(k, m.keys.Mark):
			return m.toggleMark()
		case key.Matches(k, m.keys.MarkAll):
			return m.markAllShown()
		case key.Matches(k, m.keys.SendLater):
			if d, ok := m.drafts.selected(); ok {
				return m.askWhen(d)
			}
			return m, nil
		case key.Matches(k, m.keys.Edit):
			if d, ok := m.drafts.selected(); ok {
				return m.startEdit(d)
			}
			return m, nil
		case key.Matches(k, m.keys.Discard):
			if d, ok := m.drafts.selected(); ok {
				return m.startDiscard(d)
			}
			return m, nil
		case key.Matches(k, m.keys.New):
			return m.startNew()
		case key.Matches(k, m.keys.Thread):
			return m.toggleThread()
		case key.Matches(k, m.keys.SaveFiles):
			return m.saveFiles()
		case key.Matches(k, m.keys.Open):
			m.setView(stateFull)
			return m.synced()
		case key.Matches(k, m.keys.SwitchView):
			m.setView(stateSent)
			cmd := m.loadSent()
			return m, cmd
		case key.Matches(k, m.keys.Refresh):
			m.openFailed = map[string]bool{} // try those again; the sub-header shows the progress
			m, cmd := m.reload()
			m.status = relisting
			return m, tea.Batch(cmd, pendingSendsCmd(m.ctx, m.opts.Journal), m.spinner.Tick) // and what other processes send
		case key.Matches(k, m.keys.Help):
			return m.openHelp()
		case key.Matches(k, m.keys.ScrollDown):
			m.preview.vp.HalfPageDown()
			return m, nil
		case key.Matches(k, m.keys.ScrollUp):
			m.preview.vp.HalfPageUp()
			return m, nil
		}
	}
	// Navigation and the filter belong to the list.
	var cmd tea.Cmd
	m.drafts, cmd = m.drafts.update(k)
	m, sync := m.synced()
	return m, tea.Batch(cmd, sync)
}

// updateFull handles keys in the full view of one draft.
func (m model) updateFull(k tea.KeyPressMsg) (model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Back):
		m.setView(stateList)
		return m.synced()
	case key.Matches(k, m.keys.NextDraft):
		return m.stepDraft(1)
	case key.Matches(k, m.keys.PrevDraft):
		return m.stepDraft(-1)
	case key.Matches(k, m.keys.Send):
		return m.askSend(m.preview.msg)
	case key.Matches(k, m.keys.SendLater):
		return m.askWhen(m.preview.msg)
	case key.Matches(k, m.keys.Edit):
		return m.startEdit(m.preview.msg)
	case key.Matches(k, m.keys.Thread):
		return m.toggleThread()
	case key.Matches(k, m.keys.SaveFiles):
		return m.saveFiles()
	case key.Matches(k, m.keys.Discard):
		return m.startDiscard(m.preview.msg)
	case key.Matches(k, m.keys.Help):
		return m.openHelp()
	case key.Matches(k, m.keys.Top):
		m.preview.vp.GotoTop()
		return m, nil
	case key.Matches(k, m.keys.Bottom):
		m.preview.vp.GotoBottom()
		return m, nil
	}
	if m, cmd, ok := m.updateNav(k, m.preview.msg, m.preview.has); ok {
		return m, cmd
	}
	var cmd tea.Cmd
	m.preview, cmd = m.preview.update(k)
	return m, cmd
}

// updateSent handles keys on the Sent Items view: its own, then those of every folder view.
func (m model) updateSent(k tea.KeyPressMsg) (model, tea.Cmd) {
	if !m.sent.list.filtering() {
		switch {
		case key.Matches(k, m.keys.SwitchView):
			m.setView(stateInbox)
			load := m.inbox.load(m.ctx, m.mb) // before m is returned: load changes it
			return m, tea.Batch(load, m.spinner.Tick)
		case key.Matches(k, m.keys.Refresh):
			cmd := m.loadSent()
			return m, cmd
		case key.Matches(k, m.keys.CancelScheduled):
			return m.cancelScheduled(false)
		case key.Matches(k, m.keys.SendLater):
			return m.cancelScheduled(true)
		}
	}
	return m.updateFolder(k, stateSent, func(m *model) *messageList { return &m.sent.list })
}

// openHelp shows every key of the current view.
func (m model) openHelp() (model, tea.Cmd) {
	m.push(helpScreen{})
	return m, nil
}

// askSend opens the confirm dialog for d, unless the send key is dead for
// it because an earlier send is in flight or went through.
func (m model) askSend(d graph.Message) (model, tea.Cmd) {
	if d.ID == "" {
		return m, nil
	}
	note := ""
	if m.sends.discarding(d.ID) {
		m.status = info(quoted(d) + " is counting down to its discard: " + m.keys.Undo.Help().Key + " takes it back")
		return m, nil
	}
	if m.sends.sendingElsewhere(d.ID) {
		m.status = info(quoted(d) + " is being sent by another drafts (its outcome shows there); press r to look again")
		return m, nil
	}
	if s, ok := m.sends.job(d.ID); ok {
		switch {
		case s.Phase == sending.Held:
			m.status = info(quoted(d) + " is counting down to its send")
			return m, nil
		case s.Locks() && !s.Active():
			m.status = info(quoted(d) + " was already sent")
			return m, nil
		case s.Locks():
			m.status = info(quoted(d) + " is being sent")
			return m, nil
		case s.Phase == sending.Unknown:
			note = "The last send of this draft has an unknown outcome: look in Sent Items (tab) before sending it again."
		}
	}
	if b, ok := m.bodies[d.ID]; ok && !b.LastModified.Before(d.LastModified) {
		d = b // the opened copy has the body the local checks read
	}
	if m.unsavedEdit(d.ID) {
		note = strings.TrimSpace(note + " Your last edit of this draft was not saved (it is kept): y sends the version in Outlook, without it; n, then " +
			m.keys.Edit.Help().Key + ", goes on with your edit.")
	}
	m.confirmGen++
	c := newConfirm(d, note)
	c.gen, c.editable = m.confirmGen, m.canEdit()
	m.status = status{} // the dialog is the news now; an older status is not about it
	m.push(c)
	return m, checksCmd(m.ctx, m.mb, d, c.gen)
}

// askQuit quits, or asks first while quitting would lose a countdown or leave a send's outcome
// unknown.
func (m model) askQuit() (model, tea.Cmd) {
	if !m.mustAskToQuit() {
		return m, tea.Quit
	}
	if m.state() != stateQuit {
		m.push(quitQuestion{})
	}
	return m, nil
}

// setView changes the view and lays the screen out for it.
func (m *model) setView(v state) {
	m.view = v
	m.layout()
}

// syncKeys switches on exactly the keys that do something now, so that
// neither the handling nor the help offers a dead key.
func (m *model) syncKeys() {
	k := &m.keys
	k.Yes.SetHelp("y", "send")
	k.No.SetHelp("n/esc", "keep draft")
	k.SwitchView.SetHelp("tab", "sent")
	k.Help.SetHelp("?", "help")
	k.Send.SetHelp("s", "send")
	k.SendLater.SetHelp("S", "send later")
	k.Edit.SetHelp("e", "edit")
	k.Undo.SetHelp("u", "undo send")
	k.Open.SetHelp("enter", "open")
	k.Back.SetHelp("esc", "back")
	k.resetNavKeys()
	k.UndoAll.SetHelp("U", "undo all")
	k.Refresh.SetKeys("r")
	k.Refresh.SetHelp("r", "refresh")
	k.PageDown.SetKeys("pgdown", "space", "ctrl+f")
	k.PageDown.SetHelp("pgdn/space", "page down")
	defer m.syncUndoKeys()
	if o := m.top(); o != nil {
		k.enable(o.bindings(k, m.dialogCtx())...)
		return
	}
	switch m.view {
	case stateList:
		if m.drafts.filtering() {
			on := []*key.Binding{&k.CancelFilter}
			if m.drafts.visibleLen() > 0 || strings.TrimSpace(m.drafts.filterText()) == "" {
				on = append(on, &k.ApplyFilter) // with nothing matching, there is nothing to apply
			}
			k.enable(on...)
			return
		}
		on := []*key.Binding{&k.SwitchView, &k.Refresh, &k.Help, &k.Quit}
		if m.canEdit() {
			on = append(on, &k.New)
		}
		k.PageDown.SetKeys("pgdown", "ctrl+f") // space marks here
		k.PageDown.SetHelp("pgdn/ctrl+f", "page down")
		if n := len(m.marked); n > 0 {
			k.Send.SetHelp("s", fmt.Sprintf("send %d marked", n))
			on = append(on, &k.Send)
		}
		if m.drafts.visibleLen() > 0 {
			on = append(on, &k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.Open, &k.Mark, &k.MarkAll)
			on = m.navKeys(on, true)
			if d, ok := m.drafts.selected(); ok && !m.sendLocked(d.ID) && !m.sends.discarding(d.ID) {
				on = append(on, &k.Send, &k.SendLater, &k.Discard)
				if m.canEdit() {
					on = append(on, &k.Edit)
				}
			}
		}
		if m.drafts.len() > 0 {
			on = append(on, &k.Filter)
		}
		if m.drafts.filtered() {
			on = append(on, &k.ClearFilter)
		}
		if m.wide && m.preview.has {
			on = append(on, &k.ScrollUp, &k.ScrollDown)
			if m.preview.hasThread() {
				on = append(on, &k.Thread)
			}
			if m.canSaveFiles() {
				on = append(on, &k.SaveFiles)
			}
		}
		k.enable(on...)
	case stateFull:
		on := m.fullKeys()
		if m.preview.hasThread() {
			on = append(on, &k.Thread)
		}
		if m.canSaveFiles() {
			on = append(on, &k.SaveFiles)
		}
		if id := m.preview.msg.ID; m.preview.has && !m.sendLocked(id) && !m.sends.discarding(id) {
			on = append(on, &k.Send, &k.SendLater, &k.Discard)
			if m.canEdit() {
				on = append(on, &k.Edit)
			}
		}
		k.enable(on...)
	case stateInbox:
		k.SwitchView.SetHelp("tab", "drafts")
		k.Refresh.SetKeys("ctrl+r") // r is reply here
		k.Refresh.SetHelp("ctrl+r", "refresh")
		_, answers := m.inbox.list.selected()
		k.enable(m.mailListKeys(&m.inbox.list, answers)...)
	case stateSent:
		k.SwitchView.SetHelp("tab", "inbox")
		k.Refresh.SetKeys("ctrl+r") // r is reply here
		k.Refresh.SetHelp("ctrl+r", "refresh")
		sel, ok := m.sent.list.selected()
		on := m.mailListKeys(&m.sent.list, ok && !sel.IsDraft && !sel.IsScheduled(m.now()))
		if ok && !m.sent.list.filtering() && sel.IsScheduled(m.now()) {
			k.SendLater.SetHelp("S", "reschedule")
			on = append(on, &k.CancelScheduled, &k.SendLater)
		}
		k.enable(on...)
	case stateRead:
		k.enable(m.readKeys()...)
	}
}

// typing reports whether keys are text being typed (the filter, the send-later prompt).
func (m model) typing() bool {
	switch m.state() {
	case stateWhen:
		return true
	case stateList:
		return m.drafts.filtering()
	case stateSent:
		return m.sent.list.filtering()
	case stateInbox:
		return m.inbox.list.filtering()
	}
	return false
}

// sendLocked reports whether the send key is dead for the draft.
func (m model) sendLocked(id string) bool { return m.sends.locks(id) }

// canEdit reports whether e and n can open an editor: one is set, and there is a place to keep
// the user's text.
func (m model) canEdit() bool { return len(m.opts.Editor) > 0 && m.opts.Edits != nil }

// toggleThread folds or unfolds the quoted thread in the preview.
func (m model) toggleThread() (model, tea.Cmd) {
	m.preview.unfolded = !m.preview.unfolded
	m.preview.render(m.styles, m.now(), m.loc)
	return m, nil
}

// syncThreadKey names the thread key in the preview's fold line only where it works, and
// re-renders the preview when that changes.
func (m *model) syncThreadKey() {
	key := ""
	if m.keys.Thread.Enabled() {
		key = m.keys.Thread.Help().Key
	}
	unfolded := m.preview.unfolded
	if m.view == stateRead { // the reader of Sent Items and the Inbox has a thread of its own
		unfolded = m.reader.pane.unfolded
	}
	if unfolded {
		m.keys.Thread.SetHelp("t", "fold thread")
	} else {
		m.keys.Thread.SetHelp("t", "unfold thread")
	}
	if m.view == stateRead {
		if key != m.reader.pane.threadKey {
			m.reader.pane.threadKey = key
			m.reader.pane.render(m.styles, m.now(), m.loc)
		}
		return
	}
	if key != m.preview.threadKey {
		m.preview.threadKey = key
		m.preview.render(m.styles, m.now(), m.loc)
	}
}
