package graph

import (
	"context"
	"encoding/json"
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
