package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// DeferredSendProperty is Outlook's deferred-send time, the MAPI property
// PidTagDeferredSendTime (0x3FEF, PT_SYSTIME), named as Graph's
// singleValueExtendedProperties name it. A draft sent with it set waits in
// the Outbox until that time.
const DeferredSendProperty = "SystemTime 0x3FEF"

// SetDeferredSend sets the time Exchange should hold the draft until when it
// is sent (PATCH with singleValueExtendedProperties). It does not send.
func (c *Client) SetDeferredSend(ctx context.Context, id string, at time.Time) error {
	type prop struct {
		ID    string `json:"id"`
		Value string `json:"value"`
	}
	body, err := json.Marshal(struct {
		Props []prop `json:"singleValueExtendedProperties"`
	}{[]prop{{DeferredSendProperty, at.UTC().Format(time.RFC3339)}}})
	if err != nil {
		return err
	}
	u, err := c.messageURL(id)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, call{op: "schedule send", method: http.MethodPatch, url: u, body: body, idempotent: true})
	return err
}

// CancelScheduled stops a send later waiting in the Outbox: the message is moved back to
// Drafts (Outlook's own way to cancel a delayed delivery) and its deferred-send time is taken
// off, so that sending it again sends it now. It returns the draft, under its new id. A message
// whose time came (it went out) is not there any more: Graph's 404 (IsNotFound). Moving is not
// repeated blindly: a move is not idempotent.
func (c *Client) CancelScheduled(ctx context.Context, id string) (Message, error) {
	u, err := c.messageURL(id)
	if err != nil {
		return Message{}, err
	}
	const op = "cancel the scheduled send"
	res, err := c.exec(ctx, call{op: op, method: http.MethodPost, url: u + "/move", body: []byte(`{"destinationId":"drafts"}`)})
	if err != nil {
		return Message{}, err
	}
	d, err := c.decodeMessage(op, res)
	if err != nil {
		return Message{}, err
	}
	if err := c.SetDeferredSend(ctx, d.ID, DeferredReset); err != nil {
		// Back in Drafts, not sent; but its time is still on it: sent from Outlook, Exchange
		// would hold it until then. Said, with the draft.
		return d, fmt.Errorf("its send time could not be taken off (%w); it is in Drafts", err)
	}
	return c.Message(ctx, d.ID)
}
