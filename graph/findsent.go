package graph

import (
	"context"
	"time"
)

// DefaultSendDeadline is how long the send engine (graph/sending) watches Sent
// Items for the sent copy before it reports the send as accepted but not yet
// seen.
const DefaultSendDeadline = 2 * time.Minute

// FindSentCopy looks once in Sent Items for the sent copy of draft: by
// internetMessageId when the draft has one, otherwise by conversationId,
// with the same subject, sent no earlier than a minute before since (the
// time bound is in the query too, so a long conversation's older messages
// cannot fill the page). It returns nil and no error when there is no copy
// (yet).
func (c *Client) FindSentCopy(ctx context.Context, draft Message, since time.Time) (*Message, error) {
	if draft.InternetMessageID != "" {
		return c.FindSent(ctx, draft.InternetMessageID)
	}
	if draft.ConversationID == "" {
		return nil, nil
	}
	after := since.Add(-time.Minute).UTC().Truncate(time.Second)
	msgs, err := c.filterSent(ctx, "conversationId eq "+quoteOData(draft.ConversationID)+
		" and sentDateTime ge "+after.Format(time.RFC3339))
	if err != nil {
		return nil, err
	}
	for i := range msgs {
		m := &msgs[i]
		// Checked, not trusted to the filter: the same conversation, subject, and a send
		// time in the window; never a draft.
		if m.ConversationID == draft.ConversationID && m.Subject == draft.Subject && !m.IsDraft &&
			!m.Sent.IsZero() && !m.Sent.Before(after) {
			return m, nil
		}
	}
	return nil, nil
}

// FolderDeletedItems is the well-known Deleted Items, where a deleted draft goes.
const FolderDeletedItems = "deleteditems"

// FindDeleted looks once in Deleted Items for draft (deleted in Outlook, say): by
// internetMessageId, else by conversation and subject. Every answer is checked, as in
// FindSentCopy. It returns nil and no error when it is not there.
func (c *Client) FindDeleted(ctx context.Context, draft Message) (*Message, error) {
	const op = "look in Deleted Items"
	var filter string
	switch {
	case draft.InternetMessageID != "":
		filter = "internetMessageId eq " + quoteOData(draft.InternetMessageID)
	case draft.ConversationID != "":
		filter = "conversationId eq " + quoteOData(draft.ConversationID)
	default:
		return nil, nil
	}
	msgs, err := c.filterFolder(ctx, FolderDeletedItems, op, filter)
	if err != nil {
		return nil, err
	}
	for i := range msgs {
		m := &msgs[i]
		// Only a draft: a sent copy deleted since has the same internetMessageId, and is the
		// proof of a send, not of a draft deleted unsent.
		if m.IsDraft && (draft.InternetMessageID != "" && m.InternetMessageID == draft.InternetMessageID ||
			draft.InternetMessageID == "" && m.ConversationID == draft.ConversationID && m.Subject == draft.Subject) {
			return m, nil
		}
	}
	return nil, nil
}
