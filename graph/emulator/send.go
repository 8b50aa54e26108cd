package emulator

import (
	"net/http"
	"time"
)

// sendMessage serves POST .../messages/{id}/send. The draft leaves its folder at once; a copy
// with a new id, the same internetMessageId and conversationId, becomes visible in Sent Items
// when the clock reaches the send time plus the send delay.
//
// A draft with a deferred-send time in the future waits until then: in the Outbox under a new
// id (Exchange Online, the default), or in Drafts under its own id ([Options.DeferredInDrafts],
// as users report of Outlook.com).
func (c *call) sendMessage(id string) *apiError {
	if c.lengthRequired() {
		return nil
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	draft, e := c.lookup(id)
	if e != nil {
		return e
	}
	if draft.pendingCopy != nil {
		return errSubmitted("sent again")
	}
	if !draft.msg.IsDraft {
		return newError(http.StatusBadRequest, "ErrorInvalidOperation", "Only draft messages can be sent.")
	}
	if !draft.msg.hasRecipients() || !draft.msg.validRecipients() {
		return draft.msg.errRecipients()
	}
	c.submitLocked(draft)
	c.writeEmpty(http.StatusAccepted)
	return nil
}

// submitLocked sends draft, which may be sent: it leaves Drafts (at once, or at its deferred
// time) and its copy shows in Sent Items after the send delay. A reply or forward marks its
// original as answered. The caller holds the lock.
func (c *call) submitLocked(draft *item) {
	s := c.s
	at := c.at
	until := draft.msg.deferredUntil()
	deferred := until.After(c.now)
	if deferred {
		at = until
	}
	var held, outbox *item
	switch {
	case deferred && s.opts.DeferredInDrafts:
		// Kept in Drafts until its time, under its own id; then it is gone from
		// Drafts (goneAt) and its copy is in Sent Items. That it stays in Drafts
		// with its time is what users report of Outlook.com; the rest is a guess.
		// isDraft stays true: Graph documents a message as a draft "if it hasn't
		// been sent yet", and this one has not (so a client reading it cannot
		// tell it from a draft never posted, except by asking to send it). The
		// submission saves the item, so its changeKey and lastModifiedDateTime
		// change, as with any save.
		held = &item{msg: draft.msg.clone(), text: draft.text, seq: draft.seq, goneAt: until}
		held.msg.LastModifiedDateTime = c.now
		s.seq++
		held.touch(c.mb.seed, s.seq)
	case deferred:
		// A deferred send waits in the Outbox, under a new id, until its time;
		// then its copy is in Sent Items (and it is gone from the Outbox).
		draft.folder.remove(draft)
		out := draft.msg.clone()
		out.IsDraft = false
		out.LastModifiedDateTime = c.now
		outbox = s.newItem(c.mb, out, draft.text, c.now)
		outbox.goneAt = until
		c.mb.byName["outbox"].insert(outbox)
	default:
		draft.folder.remove(draft)
	}

	sentAt := at.UTC().Truncate(time.Second)
	sent := draft.msg.clone()
	sent.immutableID = "" // the Sent Items copy is a new item, with ids of its own (immutable.go)
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
	if held != nil {
		held.pendingCopy = it
		draft.folder.replace(held)
	}
	if outbox != nil {
		// Moved out of the Outbox (or deleted) before its time, it is not sent: see
		// cancelHeld. A guess with Outlook's own way to cancel a delayed delivery: move the
		// message from the Outbox back to Drafts.
		outbox.outboxCopy = it
	}
	if draft.msg.response != nil {
		c.markAnswered(draft.msg.response, sentAt)
	}
}

// errSubmitted answers a request to send again or to change a deferred send kept in Drafts
// ([Options.DeferredInDrafts]) before its time. A guess: how Graph answers is not known. It is
// the code and status Graph gives for sending an item that is no longer a draft (the same
// situation: the item was submitted), and a client reads a 400 as a refusal that did nothing,
// which is true: the send already made stands, unchanged.
func errSubmitted(what string) *apiError {
	return newError(http.StatusBadRequest, "ErrorInvalidOperation",
		"The message has already been submitted for delivery and cannot be %s.", what)
}

// cancelHeld withdraws the pending Sent Items copy of a deferred send whose item is being
// deleted or moved before its time: kept in Drafts (a guess from a user report that deleting
// such a draft on Outlook.com stopped its delivery) or waiting in the Outbox (Outlook's own way
// to cancel a delayed delivery is to move it from the Outbox to Drafts). The send is cancelled.
// The caller holds the server lock.
func cancelHeld(it *item) {
	for _, copy := range []*item{it.pendingCopy, it.outboxCopy} {
		if copy != nil && copy.folder != nil {
			copy.folder.remove(copy)
		}
	}
}
