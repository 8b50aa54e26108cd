package graph

import (
	"context"
	"errors"
	"net"
	"net/http"
)

// Send asks Graph to send the draft with the given id: one POST
// .../messages/{id}/send with an empty body, answered 202 Accepted.
//
// It makes exactly one request and never repeats it, not even after a 429:
// the error is returned as is. Use SendOutcomeUnclear to tell a definite
// refusal from an answer that leaves open whether the mail went out; the
// send engine (package graph/sending) settles the latter by looking in Sent
// Items and Drafts, and repeats a POST only after a 429's Retry-After.
func (c *Client) Send(ctx context.Context, id string) error {
	u, err := c.messageURL(id)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, call{op: "send", method: http.MethodPost, url: u + "/send"})
	return err
}

// SendOutcomeUnclear reports whether an error from Send leaves it unknown
// whether the message went out. Only the answers Graph documents as refusals
// made before acting are definite: 400 (bad request, invalid recipients), 403
// (denied, quota), 413 (too large) and 429 (throttled, nothing done); so is a
// failure before anything was sent (no token, cancelled while waiting, no
// connection could be made). Anything else — a dropped connection, a timeout,
// 5xx, 404 (sent a moment ago?), 401, 409, a redirect — is unclear and must be
// settled by looking in Sent Items and Drafts, never by sending again.
func SendOutcomeUnclear(err error) bool {
	if err == nil {
		return false
	}
	var t *TransportError
	if errors.As(err, &t) {
		return !neverConnected(t.Err)
	}
	e, ok := AsError(err)
	if !ok {
		return false
	}
	switch e.Status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
		return false
	}
	return true
}

// neverConnected reports whether err is a failure to open the connection
// (name lookup, refused, unreachable): the request was not written, so
// Graph cannot have acted on it.
func neverConnected(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
