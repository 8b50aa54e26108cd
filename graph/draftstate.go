package graph

import (
	"context"
	"time"
)

// DraftState is what the send engine needs to know about a draft just before and after a send:
// whether it is still a draft in the mailbox, its version, and any deferred-send time on it.
type DraftState struct {
	// Exists is false when the draft is gone (404) or is no longer a draft.
	Exists bool
	// ChangeKey is the draft's version; it changes with every edit.
	ChangeKey string
	// LastModified is when the draft was last changed.
	LastModified time.Time
	// DeferredUntil is Outlook's deferred-send time on the draft, or zero.
	DeferredUntil time.Time
	// InternetMessageID and ConversationID are what the sent copy is found by (FindSentCopy):
	// a draft listed without them (the screen keeps lists lean) has them from here.
	InternetMessageID, ConversationID string
}

// draftStateFields is the $select of DraftState: a few fields, no body.
const draftStateFields = "id,isDraft,changeKey,lastModifiedDateTime,internetMessageId,conversationId"

// DraftState reads the state of the draft id with one small GET. A draft that is gone (404) is
// reported with Exists false and no error.
func (c *Client) DraftState(ctx context.Context, id string) (DraftState, error) {
	const op = "look for draft"
	u, err := c.messageURL(id)
	if err != nil {
		return DraftState{}, err
	}
	u += "?$select=" + draftStateFields + "&$expand=" + escapeQuery(expandDeferred)
	res, err := c.exec(ctx, call{op: op, method: "GET", url: u, idempotent: true})
	if IsNotFound(err) {
		return DraftState{}, nil
	}
	if err != nil {
		return DraftState{}, err
	}
	m, err := c.decodeMessage(op, res)
	if err != nil {
		return DraftState{}, err
	}
	return DraftState{Exists: m.IsDraft, ChangeKey: m.ChangeKey, LastModified: m.LastModified, DeferredUntil: m.DeferredUntil,
		InternetMessageID: m.InternetMessageID, ConversationID: m.ConversationID}, nil
}
