package ui

// Screen geometry.
const (
	minWidth    = 40  // narrower than this, the screen says it is too small
	minHeight   = 10  // likewise for height
	wideWidth   = 100 // from this width on, the preview sits beside the list
	chromeLines = 3   // header, sub-header, help line (the status area's height varies)
	paneFrame   = 2   // the preview pane's left border and padding
	listGap     = 1   // blank column between the list and the preview
)

// bodySize is the size of the area between the header lines and the status
// line.
func (m model) bodySize() (w, h int) {
	return max(m.width, 1), max(m.height-chromeLines-max(m.statusRows, 1), 1)
}

// layout sizes every child for the terminal and the state. It is the only
// place sizes are computed.
func (m *model) layout() {
	m.tooSmall = m.width < minWidth || m.height < minHeight
	m.statusRows = m.statusHeight()
	w, h := m.bodySize()
	m.wide = w >= wideWidth
	listW := w
	if m.wide {
		listW = min(max(w*2/5, 44), 76)
	}
	if m.wide {
		m.drafts.setSize(listW-listGap, h)
	} else {
		m.drafts.setSize(listW, h)
	}
	m.sent.list.setSize(w, h)
	m.inbox.list.setSize(w, h)
	previewW := w
	if m.wide && m.view != stateFull {
		previewW = w - listW - paneFrame
	}
	m.preview.setSize(previewW, h)
	m.preview.render(m.styles, m.now(), m.loc)
	m.reader.pane.setSize(w, h)
	m.reader.pane.render(m.styles, m.now(), m.loc)
	m.help.SetWidth(w)
	m.drafts.setFilterWidth(max(w-len("Filter: ")-1, 1))
}
