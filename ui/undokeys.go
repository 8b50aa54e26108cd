package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The undo keys take back countdowns — sends', discards', a batch's — in every state but the
// quit question, and at every size.

// updateUndoKeys takes back held sends, in every state and at every size: the keys the sends
// line names (syncKeys enables them exactly when it names them). The quit question has keys of
// its own for the held sends, and is left to answer them.
func (m model) updateUndoKeys(k tea.KeyPressMsg) (model, tea.Cmd, bool) {
	switch {
	case m.state() == stateQuit:
		return m, nil, false
	case key.Matches(k, m.keys.Undo):
		var it heldItem
		var n int
		m.sends, it, n = m.sends.undo(m.now())
		switch {
		case n == 1 && it.discard:
			m.status = info("Not discarded: " + quoted(it.draft) + " stays in Drafts")
		case n == 1:
			m.status = info("Not sent: " + quoted(it.draft) + " is still a draft")
		case n > 1:
			m.status = info(fmt.Sprintf("Not sent: %d drafts are still drafts", n))
		}
		if it.batch != 0 {
			m.remarkBatch(it.batch) // taken back: marked again, ready to be sent together later
			m.batchEnded(it.batch)
		}
		m, cmd := m.synced()
		return m, cmd, true
	case key.Matches(k, m.keys.UndoAll):
		var n int
		batches := m.sends.heldBatches()
		m.sends, n = m.sends.undoAll(m.now())
		if n == 1 {
			m.status = info("Undone: the draft is unchanged")
		} else {
			m.status = info(fmt.Sprintf("Undone: %d drafts are unchanged", n))
		}
		for _, b := range batches {
			m.remarkBatch(b)
			m.batchEnded(b)
		}
		m, cmd := m.synced()
		return m, cmd, true
	}
	return m, nil, false
}

// syncUndoKeys switches on the keys that take back held sends, in every state but the quit
// question (which asks about them with keys of its own) and at every size. Where text is being
// typed, 'u' and 'U' are letters: only ctrl+z undoes there.
func (m *model) syncUndoKeys() {
	k := &m.keys
	items := m.sends.heldItems()
	held := len(items)
	if m.state() == stateQuit {
		k.Undo.SetEnabled(false) // the quit question asks about them with keys of its own
		k.UndoAll.SetEnabled(false)
		return
	}
	if held == 0 {
		k.Undo.SetEnabled(false)
		k.UndoAll.SetEnabled(false)
		return
	}
	if m.typing() {
		k.Undo.SetKeys("ctrl+z")
		k.Undo.SetHelp("ctrl+z", "undo "+undoWhat(items[len(items)-1]))
		k.Undo.SetEnabled(true)
		k.UndoAll.SetEnabled(false)
		return
	}
	k.Undo.SetKeys("u", "ctrl+z")
	k.Undo.SetHelp("u", "undo "+undoWhat(items[len(items)-1]))
	k.Undo.SetEnabled(true)
	k.UndoAll.SetEnabled(true) // with one countdown too: "undo all" must never let one go
}

// undoWhat names what u takes back: the latest countdown (a batch's sends are taken back
// together).
func undoWhat(it heldItem) string {
	switch {
	case it.discard:
		return "discard"
	case it.queued:
		return "the rest" // "u undo the rest": the batch's sends still waiting for their turn
	case it.batch != 0:
		return "sends"
	case it.later:
		return "send later"
	}
	return "send"
}

// batchEnded says how batch b ended, when u stopped the last of its sends (the others were
// sent already).
func (m *model) batchEnded(b int) {
	if info := m.sends.batches[b]; info.done() {
		m.status = info.summary()
	}
}
