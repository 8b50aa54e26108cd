package ui

import (
	"context"

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
	// highlight is the id of the copy of the message just sent; justSent
	// is that copy, shown even when the listing does not have it yet.
	highlight string
	justSent  graph.Message
	// scheduled are the messages waiting in the Outbox, listed above the
	// sent ones; sentMsgs the latest listing of Sent Items.
	scheduled []graph.Message
	sentMsgs  []graph.Message
}

func newSentView(keys keyMap) sentView {
	return sentView{list: newMessageList(keys, true)}
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
		msgs := msg.msgs
		if s.justSent.ID != "" && !containsID(msgs, s.justSent.ID) {
			msgs = append([]graph.Message{s.justSent}, msgs...)
		}
		s.sentMsgs = msgs
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
	s.list.setPages(newListPage(all, s.list.canFilter))
	if s.highlight != "" {
		s.list.selectID(s.highlight, 0)
	}
}

func containsID(msgs []graph.Message, id string) bool {
	for _, m := range msgs {
		if m.ID == id {
			return true
		}
	}
	return false
}
