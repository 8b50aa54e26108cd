package ui

import (
	"context"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// sentView lists the latest messages in Sent Items, with the copy of the
// message just sent highlighted.
type sentView struct {
	list    messageList
	gen     int // a listing answers only the latest request
	loading bool
	loaded  bool
	err     error
	// justSent are the copies of the message just sent, or of the batch just sent (newest
	// last), marked and shown even when the listing does not have them yet; justBatch is that
	// batch, or 0. jumpTo is the newest copy while the list has not selected it yet.
	justSent  []graph.Message
	justBatch int
	jumpTo    string
	// scheduled are the messages waiting in the Outbox, listed above the
	// sent ones; sentMsgs the latest listing of Sent Items.
	scheduled []graph.Message
	sentMsgs  []graph.Message
}

func newSentView(keys keyMap) sentView {
	return sentView{list: newMessageList(keys)}
}

// load asks for the latest sent messages.
func (s *sentView) load(ctx context.Context, mb Mailbox) tea.Cmd {
	s.gen++
	s.loading = true
	return tea.Batch(sentListCmd(ctx, mb, s.gen), scheduledListCmd(ctx, mb, s.gen))
}

// update takes the result of a listing, unless a newer one was asked for
// since.
func (s sentView) update(msg tea.Msg) sentView {
	switch msg := msg.(type) {
	case sentListedMsg:
		if msg.gen != s.gen {
			return s
		}
		s.loading, s.loaded, s.err = false, true, nil
		s.sentMsgs = withCopies(msg.msgs, s.justSent)
		s.show()
	case scheduledListedMsg:
		if msg.gen != s.gen {
			return s
		}
		s.scheduled = msg.msgs
		if s.loaded {
			s.show()
		}
	case sentListFailedMsg:
		if msg.gen == s.gen {
			s.loading, s.err = false, msg.err
		}
	}
	return s
}

// show lists the scheduled messages, then the sent ones.
func (s *sentView) show() {
	all := make([]graph.Message, 0, len(s.scheduled)+len(s.sentMsgs))
	all = append(append(all, s.scheduled...), s.sentMsgs...)
	s.list.setPages(newListPage(all))
	if s.jumpTo != "" && s.list.contains(s.jumpTo) {
		s.list.selectID(s.jumpTo, 0) // once: a listing every turn of a batch must not move the selection
		s.jumpTo = ""
	}
}

// withCopies is a listing of the latest sent messages with the copies just sent that it does not
// show yet (Sent Items can be a moment behind) on top, newest first, at most a listing's worth.
func withCopies(listed, copies []graph.Message) []graph.Message {
	var missing []graph.Message
	for i := len(copies) - 1; i >= 0 && len(missing) < sentPageSize; i-- {
		if !containsID(listed, copies[i].ID) {
			missing = append(missing, copies[i])
		}
	}
	if len(missing) == 0 {
		return listed
	}
	return append(missing, listed...)
}

// withJustSent marks copy as just sent: with the others of its batch, or alone.
func (s sentView) withJustSent(copy graph.Message, batch int) sentView {
	if batch == 0 || batch != s.justBatch {
		s.justSent = nil
	}
	s.justSent = append(slices.Clip(s.justSent), copy)
	s.justBatch, s.jumpTo = batch, copy.ID
	return s
}

// justSentIDs are the ids of the copies marked just sent.
func (s sentView) justSentIDs() map[string]bool {
	ids := make(map[string]bool, len(s.justSent))
	for _, c := range s.justSent {
		ids[c.ID] = true
	}
	return ids
}

func containsID(msgs []graph.Message, id string) bool {
	for _, m := range msgs {
		if m.ID == id {
			return true
		}
	}
	return false
}
