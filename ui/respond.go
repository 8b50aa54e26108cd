package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// From Sent Items, r, R and f make a reply, a reply to all or a forward of the selected message:
// a draft in Drafts with the quoted thread (Graph's createReply…), selected there, to write in
// (e) and send (s): it has no text of its own yet, which the confirm dialog warns of.

// respondedMsg is the draft made, or why it could not be.
type respondedMsg struct {
	kind graph.ReplyKind
	msg  graph.Message
	err  error
}

// respondCmd makes the draft.
func respondCmd(ctx context.Context, mb Mailbox, id string, kind graph.ReplyKind) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, editTimeout)
		defer cancel()
		m, err := mb.CreateReply(ctx, id, kind, "")
		return respondedMsg{kind: kind, msg: m, err: err}
	}
}

// respondKey is the kind of draft a key of the Sent Items view makes, if it is one of them.
func (m model) respondKey(k tea.KeyPressMsg) (graph.ReplyKind, bool) {
	switch {
	case key.Matches(k, m.keys.Reply):
		return graph.Reply, true
	case key.Matches(k, m.keys.ReplyAll):
		return graph.ReplyAll, true
	case key.Matches(k, m.keys.Forward):
		return graph.Forward, true
	}
	return "", false
}

// respond starts making the draft from the selected message.
func (m model) respond(kind graph.ReplyKind, from messageList) (model, tea.Cmd) {
	sel, ok := from.selected()
	if !ok || sel.IsDraft || sel.ID == "" {
		return m, nil
	}
	word := map[graph.ReplyKind]string{graph.Reply: "a reply to", graph.ReplyAll: "a reply to all of", graph.Forward: "a forward of"}[kind]
	m.status = info("Making " + word + " " + quoted(sel) + "…").working()
	return m, tea.Batch(respondCmd(m.ctx, m.mb, sel.ID, kind), m.spinner.Tick)
}

// responded shows the new draft, selected in Drafts.
func (m model) responded(msg respondedMsg) (model, tea.Cmd) {
	if msg.err != nil {
		m.status = failure("Could not make the draft: " + graph.Describe(msg.err))
		return m, nil
	}
	// Said so that it stays true wherever the user goes next: no key named.
	// A reply is made with no text of its own; a forward with nobody to send it to.
	next := "selected; write your reply before sending"
	if len(msg.msg.Recipients()) == 0 {
		next = "selected; add its recipients before sending"
	}
	m.status = success(quoted(msg.msg) + " is in Drafts, with the quoted thread, " + next)
	m.selectAfterLoad = msg.msg.ID
	m.setView(stateList)
	return m.reload()
}
