package ui

import (
	"maps"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// Marks pick drafts to send together: space marks or unmarks the selected draft (and moves to
// the next), * marks every draft the filter shows (or unmarks them all when they all are).
// With marks, s asks once for all of them (confirmMany) and sends them as one batch. Marks are
// by id, so they survive a refresh and a change of filter; a draft that leaves Drafts loses its
// mark. The map is copied on write: an older model keeps its own.

// toggleMark marks or unmarks the selected draft and moves the selection down one row.
func (m model) toggleMark() (model, tea.Cmd) {
	d, ok := m.drafts.selected()
	if !ok {
		return m, nil
	}
	m.cloneMarks()
	if m.marked[d.ID] {
		delete(m.marked, d.ID)
	} else {
		m.marked[d.ID] = true
	}
	m.drafts.moveBy(1)
	return m.synced()
}

// markAllShown marks every draft the filter shows, or, when all of them are marked already,
// unmarks them.
func (m model) markAllShown() (model, tea.Cmd) {
	n := m.drafts.visibleLen()
	all := true
	for i := range n {
		if !m.marked[m.drafts.at(i).id()] {
			all = false
			break
		}
	}
	m.cloneMarks()
	for i := range n {
		if id := m.drafts.at(i).id(); all {
			delete(m.marked, id)
		} else {
			m.marked[id] = true
		}
	}
	return m, nil
}

// markedDrafts are the marked drafts still listed, in the list's order.
func (m model) markedDrafts() []graph.Message {
	if len(m.marked) == 0 {
		return nil
	}
	var out []graph.Message
	for _, r := range m.drafts.all {
		if m.marked[r.id()] {
			out = append(out, r.message())
		}
	}
	return out
}

// pruneMarks drops the marks of drafts no longer listed (sent, discarded, gone elsewhere).
func (m *model) pruneMarks() {
	if len(m.marked) == 0 {
		return
	}
	listed := make(map[string]bool, len(m.marked))
	for _, r := range m.drafts.all {
		if id := r.id(); m.marked[id] {
			listed[id] = true
		}
	}
	m.marked = listed
}

// remarkBatch marks again the drafts of batch b that u took back (still listed): they were
// unmarked when the batch was confirmed.
func (m *model) remarkBatch(b int) {
	m.cloneMarks()
	for id, j := range m.sends.jobs {
		if j.batch == b && j.s.Phase == sending.Undone && m.drafts.contains(id) {
			m.marked[id] = true
		}
	}
}

// unmark drops the marks of the drafts given (they were confirmed for sending).
func (m *model) unmark(ds []graph.Message) {
	m.cloneMarks()
	for _, d := range ds {
		delete(m.marked, d.ID)
	}
}

// cloneMarks gives m marks of its own to change: an older model keeps its own.
func (m *model) cloneMarks() {
	m.marked = maps.Clone(m.marked)
	if m.marked == nil {
		m.marked = map[string]bool{}
	}
}
