package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Body is a message body as Graph stores it: "text" or "html", and its content, unconverted.
// It is what an edit writes back, so that an HTML draft stays HTML.
type Body struct {
	ContentType string `json:"contentType"`
	Content     string `json:"content"`
}

// IsHTML reports whether the body is HTML.
func (b Body) IsHTML() bool { return b.ContentType == "html" || b.ContentType == "HTML" }

// DraftFields are the fields of a draft that drafts writes; a nil field is left as it is (a
// PATCH sends only what changed).
type DraftFields struct {
	Subject     *string
	To, Cc, Bcc *[]Recipient
	Body        *Body
}

// Empty reports whether no field is set: nothing to write.
func (f DraftFields) Empty() bool {
	return f.Subject == nil && f.To == nil && f.Cc == nil && f.Bcc == nil && f.Body == nil
}

// MarshalJSON writes the fields as Graph's message JSON.
func (f DraftFields) MarshalJSON() ([]byte, error) {
	type address struct {
		Name    string `json:"name,omitempty"`
		Address string `json:"address"`
	}
	type recipient struct {
		EmailAddress address `json:"emailAddress"`
	}
	list := func(rs *[]Recipient) *[]recipient {
		if rs == nil {
			return nil
		}
		out := make([]recipient, len(*rs))
		for i, r := range *rs {
			out[i] = recipient{address{r.Name, r.Address}}
		}
		return &out
	}
	return json.Marshal(struct {
		Subject *string      `json:"subject,omitempty"`
		To      *[]recipient `json:"toRecipients,omitempty"`
		Cc      *[]recipient `json:"ccRecipients,omitempty"`
		Bcc     *[]recipient `json:"bccRecipients,omitempty"`
		Body    *Body        `json:"body,omitempty"`
	}{f.Subject, list(f.To), list(f.Cc), list(f.Bcc), f.Body})
}

// EditSource is a draft as an editor needs it: the draft as listed, its body as stored (HTML
// stays HTML), the new part of a reply or forward (Graph's uniqueBody: the draft's own text,
// without the quoted thread), and the etag a change is made against.
type EditSource struct {
	Message    Message
	Body       Body
	UniqueBody Body
	ETag       string
}

// ETagOf is the etag of a message version: W/"changeKey".
func ETagOf(changeKey string) string {
	if changeKey == "" {
		return ""
	}
	return `W/"` + changeKey + `"`
}

// DraftForEdit reads a draft to edit: one GET with its fields, body and uniqueBody as stored.
func (c *Client) DraftForEdit(ctx context.Context, id string) (EditSource, error) {
	const op = "open draft to edit"
	u, err := c.messageURL(id)
	if err != nil {
		return EditSource{}, err
	}
	res, err := c.exec(ctx, call{op: op, method: http.MethodGet, url: u + "?$select=" + listFields + ",body,uniqueBody", idempotent: true})
	if err != nil {
		return EditSource{}, err
	}
	m, err := c.decodeMessage(op, res)
	if err != nil {
		return EditSource{}, err
	}
	var raw struct {
		Body       Body `json:"body"`
		UniqueBody Body `json:"uniqueBody"`
	}
	if err := c.decode(op, res, &raw); err != nil {
		return EditSource{}, err
	}
	if raw.UniqueBody.ContentType == "" { // a server without uniqueBody: all of it is the draft's own
		raw.UniqueBody = raw.Body
	}
	return EditSource{Message: m, Body: raw.Body, UniqueBody: raw.UniqueBody, ETag: ETagOf(m.ChangeKey)}, nil
}

// MaxWriteBytes is the largest request drafts sends to create or change a draft: Graph refuses
// a request over 4 MB (413); a bigger message needs its attachments uploaded apart.
const MaxWriteBytes = 4 << 20

// ErrTooLarge is the error of a draft too large to write in one request (over MaxWriteBytes):
// nothing is sent. A 413 from Graph is reported with IsTooLarge too.
var ErrTooLarge = errors.New("the draft is larger than Graph accepts in one request (4 MiB)")

// IsTooLarge reports whether err says the draft was too large to write: ErrTooLarge, or Graph's
// 413 / ErrorMessageSizeExceeded.
func IsTooLarge(err error) bool {
	if errors.Is(err, ErrTooLarge) {
		return true
	}
	e, ok := AsError(err)
	return ok && (e.Status == http.StatusRequestEntityTooLarge || e.Code == CodeMessageSizeExceeded)
}

// writeBody is f as a request body, or ErrTooLarge.
func writeBody(f DraftFields) ([]byte, error) {
	body, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	if len(body) > MaxWriteBytes {
		return nil, fmt.Errorf("%w: it is %.1f MiB; shorten the text", ErrTooLarge, float64(len(body))/(1<<20))
	}
	return body, nil
}

// CreateDraft makes a new draft in Drafts (POST /messages) and returns it. A draft over
// MaxWriteBytes is ErrTooLarge, and nothing is sent.
func (c *Client) CreateDraft(ctx context.Context, f DraftFields) (Message, error) {
	const op = "create draft"
	body, err := writeBody(f)
	if err != nil {
		return Message{}, err
	}
	res, err := c.exec(ctx, call{op: op, method: http.MethodPost, url: c.root + "/messages", body: body})
	if err != nil {
		return Message{}, err
	}
	return c.decodeMessage(op, res)
}

// UpdateDraft writes the set fields of f to the draft (PATCH), against the version etag: if the
// draft changed since (412 ErrorIrresolvableConflict; IsConflict), nothing is written. It
// returns the draft as it is now. It is never repeated. A change over MaxWriteBytes is
// ErrTooLarge, and nothing is sent.
func (c *Client) UpdateDraft(ctx context.Context, id, etag string, f DraftFields) (Message, error) {
	const op = "save draft"
	u, err := c.messageURL(id)
	if err != nil {
		return Message{}, err
	}
	body, err := writeBody(f)
	if err != nil {
		return Message{}, err
	}
	res, err := c.exec(ctx, call{op: op, method: http.MethodPatch, url: u, body: body, ifMatch: etag})
	if err != nil {
		return Message{}, err
	}
	return c.decodeMessage(op, res)
}

// DeleteDraft deletes the draft: Graph moves it to Deleted Items. With an etag, a draft changed
// since is not deleted (IsConflict). A draft already gone is Graph's 404 (IsNotFound).
func (c *Client) DeleteDraft(ctx context.Context, id, etag string) error {
	u, err := c.messageURL(id)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, call{op: "discard draft", method: http.MethodDelete, url: u, ifMatch: etag})
	return err
}

// IsConflict reports whether err is Graph's refusal of a change made against an older version
// of the item (412 Precondition Failed, ErrorIrresolvableConflict).
func IsConflict(err error) bool {
	e, ok := AsError(err)
	return ok && (e.Status == http.StatusPreconditionFailed || e.Code == "ErrorIrresolvableConflict")
}
