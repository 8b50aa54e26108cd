package ui

import tea "charm.land/bubbletea/v2"

// The preview follows the selection: the draft selected is shown at once from the list, and its
// body fetched (one draft at a time) when the preview is on screen.

// previewShown reports whether the preview is on screen.
func (m model) previewShown() bool {
	return m.view == stateFull || m.wide && m.view == stateList
}

// synced is m after syncPreview, and its command. (In
// "return m, m.syncPreview()" Go leaves open whether m is copied before or
// after the call.)
func (m model) synced() (model, tea.Cmd) {
	m.seen()
	cmd := m.syncPreview()
	return m, cmd
}

// syncPreview shows the selected draft in the preview and fetches its
// body, one draft at a time: when a fetch is in flight, the next one starts
// when it ends, for whatever is selected then.
func (m *model) syncPreview() tea.Cmd {
	if m.view == stateFull {
		return m.fetch(m.preview.msg.ID)
	}
	d, ok := m.drafts.selected()
	if !ok {
		if m.preview.has {
			m.preview.clear()
		}
		return nil
	}
	if d.ID != m.preview.msg.ID || !m.preview.has {
		m.showDraft(d)
	}
	if !m.previewShown() {
		return nil
	}
	return m.fetch(d.ID)
}

// fetch opens the draft unless it is cached, failed, or another fetch is
// in flight.
func (m *model) fetch(id string) tea.Cmd {
	if id == "" || m.opening != "" || m.openFailed[id] {
		return nil
	}
	if _, ok := m.bodies[id]; ok {
		return nil
	}
	m.opening = id
	return tea.Batch(openCmd(m.ctx, m.mb, id), m.spinner.Tick)
}
