package emulator

import (
	"net/http"
	"time"
)

// sendMessage serves POST .../messages/{id}/send. The draft leaves its folder at once; a copy
// with a new id, the same internetMessageId and conversationId, becomes visible in Sent Items
// when the clock reaches the send time plus the send delay.
func (c *call) sendMessage(id string) *apiError {
	if c.r.Header.Get("Content-Length") == "" || c.r.ContentLength < 0 {
		c.w.Header().Set("Content-Type", "text/html; charset=us-ascii")
		c.w.WriteHeader(http.StatusLengthRequired)
		_, _ = c.w.Write([]byte(lengthRequiredPage))
		return nil
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	draft, e := c.lookup(id)
	if e != nil {
		return e
	}
	if !draft.msg.IsDraft {
		return newError(http.StatusBadRequest, "ErrorInvalidOperation", "Only draft messages can be sent.")
	}
	if !draft.msg.hasRecipients() || !draft.msg.validRecipients() {
		return newError(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient is not valid.")
	}
	draft.folder.remove(draft)

	// A deferred send waits in the Outbox, under a new id, until its time;
	// then its copy is in Sent Items (and it is gone from the Outbox).
	at := c.at
	if until := draft.msg.deferredUntil(); until.After(c.now) {
		held := draft.msg.clone()
		held.IsDraft = false
		held.LastModifiedDateTime = c.now
		out := s.newItem(c.mb, held, draft.text, c.now)
		out.goneAt = until
		c.mb.byName["outbox"].insert(out)
		at = until
	}

	sentAt := at.UTC().Truncate(time.Second)
	sent := draft.msg.clone()
	sent.IsDraft = false
	sent.IsRead = true
	sent.CreatedDateTime = sentAt
	sent.LastModifiedDateTime = sentAt
	sent.ReceivedDateTime = sentAt
	t := sentAt
	sent.SentDateTime = &t
	if sent.From == nil {
		owner := c.mb.owner()
		sent.From = &owner
	}
	if sent.Sender == nil {
		sent.Sender = sent.From
	}
	it := s.newItem(c.mb, sent, draft.text, c.now)
	it.availableAt = at.Add(s.sendDelay)
	c.mb.byName["sentitems"].insert(it)
	c.writeEmpty(http.StatusAccepted)
	return nil
}
