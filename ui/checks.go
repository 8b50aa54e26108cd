package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// warnMrk marks a pre-send warning.
const warnMrk = "⚠"

// checksTimeout bounds the requests behind the pre-send checks. They only
// add warnings to an open dialog, so they never hold anything up.
const checksTimeout = 20 * time.Second

// Results of the pre-send checks of the draft in the confirm dialog, by
// draft id and the dialog's generation (confirmDialog.gen). They arrive
// after the dialog is open, and a late one for a dialog that was closed,
// even if it was reopened for the same draft since, is dropped.
type (
	// localChecksMsg carries the checks of the draft itself, once its
	// body is known.
	localChecksMsg struct {
		id     string
		gen    int
		checks []graph.Check
	}
	// confirmFilesMsg carries the names and sizes of the draft's files, for a draft whose
	// confirmation came before it was opened: the confirmation is where the names matter.
	confirmFilesMsg struct {
		id    string
		gen   int
		files []graph.Attachment
	}
	// tipChecksMsg carries the mail tips of the recipients as warnings,
	// or the error that kept them away.
	tipChecksMsg struct {
		id     string
		gen    int
		checks []graph.Check
		err    error
	}
)

// checksCmd starts the pre-send checks of d that need the server: the
// body, when d has none yet (the local checks need it), and the mail tips
// of every recipient. Each comes back as its own message, for the dialog
// of generation gen.
func checksCmd(ctx context.Context, mb Mailbox, d graph.Message, gen int) tea.Cmd {
	var cmds []tea.Cmd
	if !d.HasBody {
		id := d.ID
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, checksTimeout)
			defer cancel()
			full, err := mb.Message(ctx, id)
			if err != nil || full.ID != id {
				return nil // the dialog keeps the checks it has; opening the draft says why
			}
			return localChecksMsg{id: id, gen: gen, checks: graph.Warnings(full)}
		})
	}
	if d.HasAttachments && len(d.Attachments) == 0 {
		id, draft := d.ID, d
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, checksTimeout)
			defer cancel()
			if draft.Kind == graph.KindForward && draft.ConversationIndex == "" {
				// From the list, which keeps no conversation: the original is found by it.
				if full, err := mb.Message(ctx, id); err == nil && full.ID == id {
					draft = full
				}
			}
			files, err := messageFiles(ctx, mb, draft)
			if err != nil || len(files) == 0 {
				return nil // the dialog says "attached" without the names
			}
			return confirmFilesMsg{id: id, gen: gen, files: files}
		})
	}
	if len(d.Recipients()) > 0 {
		id := d.ID
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, checksTimeout)
			defer cancel()
			checks, err := mb.TipWarnings(ctx, d)
			return tipChecksMsg{id: id, gen: gen, checks: checks, err: err}
		})
	}
	return tea.Batch(cmds...)
}

// updateChecks takes the results of the checks into the open dialog.
func (m model) updateChecks(msg tea.Msg) (model, tea.Cmd) {
	c, ok := m.confirmOpen()
	if !ok {
		return m, nil
	}
	switch msg := msg.(type) {
	case localChecksMsg:
		if msg.id == c.draft.ID && msg.gen == c.gen {
			c.local = msg.checks
		}
	case confirmFilesMsg:
		if msg.id == c.draft.ID && msg.gen == c.gen {
			c.draft.Attachments = msg.files
		}
	case tipChecksMsg:
		if msg.id == c.draft.ID && msg.gen == c.gen {
			c.tips, c.tipsFailed = msg.checks, msg.err != nil
		}
	}
	m.setTop(c)
	return m, nil
}
