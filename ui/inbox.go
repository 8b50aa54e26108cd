package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// inboxView lists the latest messages of the Inbox, to answer one: r, R and f make a reply,
// reply-all or forward draft of the selected message, as in Sent Items.
type inboxView struct {
	list    messageList
	gen     int
	loading bool
	loaded  bool
	err     error
}

// Results of listing the Inbox.
type inboxListedMsg struct {
	gen  int
	msgs []graph.Message
	err  error
}

// inboxPageSize is how many messages the Inbox view lists.
const inboxPageSize = 25

func newInboxView(keys keyMap) inboxView { return inboxView{list: newMessageList(keys)} }

// load asks for the latest messages.
func (v *inboxView) load(ctx context.Context, mb Mailbox) tea.Cmd {
	v.gen++
	v.loading = true
	gen := v.gen
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, pageTimeout)
		defer cancel()
		msgs, err := mb.LatestInbox(ctx, inboxPageSize)
		return inboxListedMsg{gen: gen, msgs: msgs, err: err}
	}
}

// update takes a listing, unless a newer one was asked for since.
func (v inboxView) update(msg inboxListedMsg) inboxView {
	if msg.gen != v.gen {
		return v
	}
	v.loading = false
	if msg.err != nil {
		v.err = msg.err
		return v
	}
	v.loaded, v.err = true, nil
	v.list.setPages(newListPage(msg.msgs))
	return v
}

// updateInbox handles keys on the Inbox view: its own, then those of every folder view.
func (m model) updateInbox(k tea.KeyPressMsg) (model, tea.Cmd) {
	if !m.inbox.list.filtering() {
		switch {
		case key.Matches(k, m.keys.SwitchView):
			m.setView(stateList)
			return m.synced()
		case key.Matches(k, m.keys.Refresh):
			load := m.inbox.load(m.ctx, m.mb) // before m is returned: load changes it
			return m, tea.Batch(load, m.spinner.Tick)
		}
	}
	return m.updateFolder(k, stateInbox, func(m *model) *messageList { return &m.inbox.list })
}

// updateFolder handles the keys every folder view (Sent Items, the Inbox) shares: while the
// filter is typed every key is the filter's; else enter reads the selected message, q quits,
// ? helps, r/R/f answer it, the navigation keys act on it, and the list has the rest. list
// picks the view's list out of the model.
func (m model) updateFolder(k tea.KeyPressMsg, from state, list func(*model) *messageList) (model, tea.Cmd) {
	l := list(&m)
	if !l.filtering() {
		switch {
		case key.Matches(k, m.keys.Open):
			return m.openReader(from)
		case key.Matches(k, m.keys.Quit):
			return m.askQuit()
		case key.Matches(k, m.keys.Help):
			return m.openHelp()
		}
		if kind, ok := m.respondKey(k); ok {
			return m.respond(kind, *l)
		}
		if m, cmd, ok := m.updateNavList(k, *l); ok {
			return m, cmd
		}
	}
	var cmd tea.Cmd
	*l, cmd = l.update(k)
	return m, cmd
}

// inboxBody is the Inbox list or its designed screens.
func (m model) inboxBody(w, h int) string {
	st := m.styles
	if m.inbox.list.len() == 0 {
		switch {
		case m.inbox.loading || !m.inbox.loaded && m.inbox.err == nil:
			return notice(st, w, h, m.spinner.View()+" Loading the Inbox…")
		case m.inbox.err != nil:
			return errorNotice(st, w, h, m.inbox.err, m.keys.Refresh.Help().Key)
		}
		return notice(st, w, h, "The Inbox is empty")
	}
	if m.inbox.list.visibleLen() == 0 {
		return notice(st, w, h, "Nothing matches the filter")
	}
	d := m.rowDelegate(true)
	d.from = true
	return m.inbox.list.view(d)
}
