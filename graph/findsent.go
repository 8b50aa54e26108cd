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
