package emulator

import "net/http"

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

	sent := draft.msg.clone()
	sent.IsDraft = false
	sent.IsRead = true
	sent.CreatedDateTime = c.now
	sent.LastModifiedDateTime = c.now
	sent.ReceivedDateTime = c.now
	t := c.now
	sent.SentDateTime = &t
	if sent.From == nil {
		owner := c.mb.owner()
		sent.From = &owner
	}
	if sent.Sender == nil {
		sent.Sender = sent.From
	}
	it := s.newItem(c.mb, sent, draft.text, c.now)
	it.availableAt = c.at.Add(s.sendDelay)
	c.mb.byName["sentitems"].insert(it)
	c.writeEmpty(http.StatusAccepted)
	return nil
}
