package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// checkIfMatch enforces an If-Match header on a change of it (PATCH, DELETE, move): the etag
// (W/"changeKey") or the bare changeKey the client read must still be the item's, else 412
// ErrorIrresolvableConflict, as Graph answers a stale change key. No header, or "*", matches.
// The code and status are Graph's; the message is Exchange's wording of the conflict (a guess
// for Graph's exact text).
func (c *call) checkIfMatch(it *item) *apiError {
	h := strings.TrimSpace(c.r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return nil
	}
	for _, tag := range strings.Split(h, ",") {
		tag = strings.TrimSpace(tag)
		if tag == it.msg.ETag || strings.Trim(strings.TrimPrefix(tag, "W/"), `"`) == it.msg.ChangeKey {
			return nil
		}
	}
	return newError(http.StatusPreconditionFailed, "ErrorIrresolvableConflict",
		"The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.")
}

// moveMessage serves POST .../messages/{id}/move with {"destinationId": folder id or
// well-known name}: the message moves, under a new id (an id is per folder unless immutable
// ids are asked for), and the answer is the moved message, 201.
// https://learn.microsoft.com/graph/api/message-move
func (c *call) moveMessage(id string) *apiError {
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
	if err != nil {
		return errBadJSON()
	}
	var in struct {
		DestinationID string `json:"destinationId"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return errBadJSON()
	}
	if in.DestinationID == "" {
		return newError(http.StatusBadRequest, "ErrorInvalidIdMalformed", "Id is malformed.")
	}
	s := c.s
	s.mu.Lock()
	it, e := c.lookup(id)
	if e != nil {
		s.mu.Unlock()
		return e
	}
	if e := c.checkIfMatch(it); e != nil {
		s.mu.Unlock()
		return e
	}
	dest := c.mb.folder(in.DestinationID)
	if dest == nil {
		s.mu.Unlock()
		return errItemNotFound()
	}
	it.folder.remove(it)
	cancelHeld(it)
	m := it.msg.clone()
	m.LastModifiedDateTime = c.now
	if it.outboxCopy != nil && dest == c.mb.byName["drafts"] {
		m.IsDraft = true // a send cancelled before its time is a draft again (a guess: FIDELITY.md)
	}
	moved := s.newItem(c.mb, m, it.text, m.CreatedDateTime)
	dest.insert(moved)
	s.mu.Unlock()
	c.writeMessage(http.StatusCreated, moved, nil)
	return nil
}
