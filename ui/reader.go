package ui

import (
	"context"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// The reader: a message of Sent Items or the Inbox on the whole screen, to read it (enter in
// those lists). It shows the message selected in the list it came from: J and K step through
// that list, q and esc go back to it, and r, R, f, c and o act on the message shown.

// reader is the message read, and the list it belongs to.
type reader struct {
	from    state   // stateSent or stateInbox
	pane    preview // the message, with its body once read
	opening string  // the id whose body is being read, or ""
	bodies  map[string]graph.Message
	failed  map[string]error
}

// readOpenedMsg is the body of a message read, or why it could not be had.
type readOpenedMsg struct {
	id  string
	msg graph.Message
	err error
}

// readCmd reads one message with its body.
func readCmd(ctx context.Context, mb Mailbox, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, openTimeout)
		defer cancel()
		msg, err := mb.Message(ctx, id)
		if err == nil && msg.HasAttachments {
			// The files, to name them (a forward's marked as from the original); a failure
			// leaves the reader saying only that there are.
			if atts, err := messageFiles(ctx, mb, msg); err == nil {
				msg.Attachments = atts
			}
		}
		return readOpenedMsg{id: id, msg: msg, err: err}
	}
}

// readList is the list the reader steps through.
func (m *model) readList() *messageList {
	if m.reader.from == stateInbox {
		return &m.inbox.list
	}
	return &m.sent.list
}

// mailList is the list of Sent Items (v = stateSent) or of the Inbox.
func (m model) mailList(v state) messageList {
	if v == stateInbox {
		return m.inbox.list
	}
	return m.sent.list
}

// openReader shows the message selected in the list of view from on the whole screen.
func (m model) openReader(from state) (model, tea.Cmd) {
	m.reader.from = from
	if _, ok := m.readList().selected(); !ok {
		return m, nil
	}
	m.setView(stateRead)
	return m.showRead()
}

// showRead puts the list's selected message in the reader and reads its body once.
func (m model) showRead() (model, tea.Cmd) {
	sel, ok := m.readList().selected()
	if !ok {
		m.setView(m.reader.from) // the list emptied under the reader
		return m, nil
	}
	r := &m.reader
	if r.bodies == nil {
		r.bodies, r.failed = map[string]graph.Message{}, map[string]error{}
	}
	if full, ok := r.bodies[sel.ID]; ok {
		r.pane.show(full, true, nil)
	} else {
		r.pane.show(sel, false, r.failed[sel.ID])
	}
	r.pane.render(m.styles, m.now(), m.loc)
	if _, ok := r.bodies[sel.ID]; ok || r.failed[sel.ID] != nil || r.opening != "" {
		return m, nil
	}
	r.opening = sel.ID
	return m, tea.Batch(readCmd(m.ctx, m.mb, sel.ID), m.spinner.Tick)
}

// readOpened takes a body read: shown if its message is still the one read; the next one is
// read if the user has stepped on meanwhile.
func (m model) readOpened(msg readOpenedMsg) (model, tea.Cmd) {
	r := &m.reader
	r.opening = ""
	if msg.err != nil {
		r.failed[msg.id] = msg.err
	} else {
		r.bodies[msg.id] = msg.msg
	}
	if m.view != stateRead {
		return m, nil
	}
	return m.showRead()
}

// updateRead handles keys in the reader.
func (m model) updateRead(k tea.KeyPressMsg) (model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Back):
		m.setView(m.reader.from)
		return m, nil
	case key.Matches(k, m.keys.NextDraft), key.Matches(k, m.keys.PrevDraft):
		step := 1
		if key.Matches(k, m.keys.PrevDraft) {
			step = -1
		}
		m.readList().moveBy(step)
		return m.showRead()
	case key.Matches(k, m.keys.Help):
		return m.openHelp()
	case key.Matches(k, m.keys.SaveFiles):
		return m.saveFilesOf(m.reader.pane.msg)
	case key.Matches(k, m.keys.CancelScheduled), key.Matches(k, m.keys.SendLater):
		m.setView(m.reader.from) // it leaves the Outbox: back to the list it was read from
		return m.cancelScheduled(key.Matches(k, m.keys.SendLater))
	case key.Matches(k, m.keys.Thread):
		m.reader.pane.unfolded = !m.reader.pane.unfolded
		m.reader.pane.render(m.styles, m.now(), m.loc)
		return m, nil
	case key.Matches(k, m.keys.Top):
		m.reader.pane.vp.GotoTop()
		return m, nil
	case key.Matches(k, m.keys.Bottom):
		m.reader.pane.vp.GotoBottom()
		return m, nil
	}
	if kind, ok := m.respondKey(k); ok {
		return m.respond(kind, *m.readList())
	}
	if m, cmd, ok := m.updateNav(k, m.reader.pane.msg, m.reader.pane.has); ok {
		return m, cmd
	}
	var cmd tea.Cmd
	m.reader.pane, cmd = m.reader.pane.update(k)
	return m, cmd
}

// readKeys are the reader's keys: those of the full view of a draft that read, and the
// answers (not to a message still waiting in the Outbox).
func (m *model) readKeys() []*key.Binding {
	k := &m.keys
	k.Back.SetKeys("esc", "q")
	k.Back.SetHelp("q/esc", "back")
	k.ScrollUp.SetKeys("ctrl+u")
	k.ScrollUp.SetHelp("ctrl+u", "scroll up")
	k.ScrollDown.SetKeys("ctrl+d")
	k.ScrollDown.SetHelp("ctrl+d", "scroll down")
	k.NextDraft.SetHelp("J", "next message")
	k.PrevDraft.SetHelp("K", "previous message")
	on := []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.ScrollUp, &k.ScrollDown, &k.Back, &k.Help}
	l := m.readList()
	if l.index > 0 {
		on = append(on, &k.PrevDraft)
	}
	if l.index < l.visibleLen()-1 {
		on = append(on, &k.NextDraft)
	}
	switch sel, ok := l.selected(); {
	case ok && m.reader.from == stateSent && sel.IsScheduled(m.now()):
		k.SendLater.SetHelp("S", "reschedule") // a send later waiting in the Outbox
		on = append(on, &k.CancelScheduled, &k.SendLater)
	case ok && !sel.IsDraft:
		on = append(on, &k.Reply, &k.ReplyAll, &k.Forward)
	}
	if m.reader.pane.hasThread() {
		on = append(on, &k.Thread)
	}
	if m.canSaveFilesOf(m.reader.pane.msg, m.reader.pane.has) {
		on = append(on, &k.SaveFiles)
	}
	return m.navKeys(on, m.reader.pane.has)
}

// mailListKeys are the keys of the Sent Items and Inbox lists: while the filter is typed only
// its own; else moving, enter (the reader), c and o on a selected message, the answers where
// they apply, and the filter.
func (m *model) mailListKeys(l *messageList, answers bool) []*key.Binding {
	k := &m.keys
	if l.filtering() {
		on := []*key.Binding{&k.CancelFilter}
		if l.visibleLen() > 0 || strings.TrimSpace(l.filterText()) == "" {
			on = append(on, &k.ApplyFilter) // with nothing matching, there is nothing to apply
		}
		return on
	}
	on := []*key.Binding{&k.SwitchView, &k.Refresh, &k.Help, &k.Quit}
	if l.visibleLen() > 0 {
		on = append(on, &k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.Open)
		on = m.navKeys(on, true)
		if answers {
			on = append(on, &k.Reply, &k.ReplyAll, &k.Forward)
		}
	}
	if l.len() > 0 {
		on = append(on, &k.Filter)
	}
	if l.filtered() {
		on = append(on, &k.ClearFilter)
	}
	return on
}

// readSubheader is the line under the header in the reader: the subject and where the text is.
func (m model) readSubheader() string {
	where := ""
	if vp := m.reader.pane.vp; vp.TotalLineCount() > vp.Height() {
		where = " · " + strconv.Itoa(int(vp.ScrollPercent()*100)) + "%"
	}
	return m.styles.faint.Render(subjectOf(m.reader.pane.msg) + where)
}
