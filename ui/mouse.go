package ui

import (
	tea "charm.land/bubbletea/v2"
)

// The mouse: the View asks for cell-motion reports (tea.MouseModeCellMotion); the wheel
// scrolls what is under it, a left click selects the row under it.

// updateWheel scrolls what is under the mouse.
func (m model) updateWheel(msg tea.MouseWheelMsg) (model, tea.Cmd) {
	if m.tooSmall {
		return m, nil
	}
	step := 0
	switch msg.Button {
	case tea.MouseWheelUp:
		step = -1
	case tea.MouseWheelDown:
		step = 1
	}
	if c, ok := m.confirmOpen(); ok {
		bw, bh := m.bodySize()
		m.setTop(c.scroll(step, m.styles, bw, bh))
		return m, nil
	}
	if m.top() != nil {
		return m, nil
	}
	switch m.view {
	case stateList:
		if m.drafts.filtering() {
			return m, nil
		}
		if m.wide && msg.X >= m.drafts.width {
			var cmd tea.Cmd
			m.preview, cmd = m.preview.update(msg)
			return m, cmd
		}
		m.drafts.moveBy(step)
		return m.synced()
	case stateFull:
		var cmd tea.Cmd
		m.preview, cmd = m.preview.update(msg)
		return m, cmd
	case stateRead:
		var cmd tea.Cmd
		m.reader.pane, cmd = m.reader.pane.update(msg)
		return m, cmd
	case stateSent:
		m.sent.list.moveBy(step)
	case stateInbox:
		m.inbox.list.moveBy(step)
	}
	return m, nil
}

// updateClick selects the row under a left click in a list (the drafts, Sent Items, the
// Inbox). A click anywhere else, under a dialog, or while the filter is typed, does nothing:
// a click never sends, opens or answers anything.
func (m model) updateClick(msg tea.MouseClickMsg) (model, tea.Cmd) {
	if m.tooSmall || m.top() != nil || msg.Button != tea.MouseLeft {
		return m, nil
	}
	y := msg.Y - chromeTop // the body starts under the header and the sub-header
	switch m.view {
	case stateList:
		if m.drafts.filtering() || m.wide && msg.X >= m.drafts.width {
			return m, nil
		}
		if i, ok := m.drafts.rowAt(y); ok {
			m.drafts.selectIndex(i)
			return m.synced()
		}
	case stateSent, stateInbox:
		l := &m.sent.list
		if m.view == stateInbox {
			l = &m.inbox.list
		}
		if i, ok := l.rowAt(y); ok && !l.filtering() {
			l.selectIndex(i)
		}
	}
	return m, nil
}

// chromeTop is the number of lines above the body: the header and the sub-header.
const chromeTop = 2

// rowAt is the visible message drawn at line y of the list (0: its first line), if any: the
// blank line between two rows is none.
func (l messageList) rowAt(y int) (int, bool) {
	if y < 0 || y >= l.height || y%(rowLines+rowSpacing) >= rowLines {
		return 0, false
	}
	i := l.pageStart() + y/(rowLines+rowSpacing)
	if i >= l.visibleLen() || i >= l.pageStart()+l.perPage() {
		return 0, false
	}
	return i, true
}

// pageStart is the first visible message on the page that holds the selection.
func (l messageList) pageStart() int {
	per := l.perPage()
	return min(l.index/per*per, max(l.visibleLen()-1, 0)/per*per)
}
