package graph

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/url"
	"strings"
)

// The message a reply answers or a forward carries. A reply names it: In-Reply-To holds the
// original's internetMessageId. A forward does not (Exchange sets no In-Reply-To on it), but its
// conversationIndex is the original's with one child block of 5 bytes added ("a header block
// that is 22 bytes in length, followed by zero or more child blocks each 5 bytes in length",
// Tracking conversations, https://learn.microsoft.com/office/client-developer/outlook/mapi/tracking-conversations),
// and it keeps the original's conversationId: so the original is the message of that conversation
// whose index is the forward's less its last block.

// childBlock is the length of one reply level in a conversationIndex.
const childBlock = 5

// Original finds the message a reply answers (by its In-Reply-To, anywhere in the mailbox) or a
// forward carries (by its conversation), or nil when it is not there or the draft is neither.
func (c *Client) Original(ctx context.Context, draft Message) (*Message, error) {
	switch {
	case draft.InReplyTo != "":
		return c.findOriginal(ctx, "internetMessageId eq "+quoteOData(draft.InReplyTo), func(m Message) bool {
			return m.InternetMessageID == draft.InReplyTo
		})
	case draft.Kind == KindForward && draft.ConversationID != "":
		parent, ok := parentIndex(draft.ConversationIndex)
		if !ok {
			return nil, nil
		}
		return c.findOriginal(ctx, "conversationId eq "+quoteOData(draft.ConversationID), func(m Message) bool {
			idx, err := base64.StdEncoding.DecodeString(m.ConversationIndex)
			return err == nil && bytes.Equal(idx, parent)
		})
	}
	return nil, nil
}

// parentIndex is a conversationIndex less its last child block: the index of the message it
// answers. ok is false for the first message of a conversation, or an index that is not one.
func parentIndex(index string) (parent []byte, ok bool) {
	raw, err := base64.StdEncoding.DecodeString(index)
	if err != nil || len(raw) < conversationHeader+childBlock || (len(raw)-conversationHeader)%childBlock != 0 {
		return nil, false
	}
	return raw[:len(raw)-childBlock], true
}

// findOriginal looks in the whole mailbox for the sent or received message that filter and is
// pick (the filter narrows; pick decides, so a server that filters loosely is not trusted).
func (c *Client) findOriginal(ctx context.Context, filter string, pick func(Message) bool) (*Message, error) {
	const op = "find the original"
	q := url.Values{}
	q.Set("$filter", filter)
	q.Set("$select", listFields)
	q.Set("$top", "25")
	res, err := c.exec(ctx, call{op: op, method: "GET", url: c.root + "/messages?" + encodeQuery(q), idempotent: true})
	if err != nil {
		return nil, err
	}
	msgs, _, err := c.decodePage(op, res, nil)
	if err != nil {
		return nil, err
	}
	for i := range msgs {
		if !msgs[i].IsDraft && pick(msgs[i]) {
			return &msgs[i], nil
		}
	}
	return nil, nil
}

// MarkCarried marks the attachments of a forward that came with the original: those with the
// name, kind and size of one of the original's files. (A forward's copy of a file is the
// original's, property for property; a file the user added under the same name and size would be
// marked too, which is harmless: it is the same file as far as anyone reading can tell.)
func MarkCarried(forward, original []Attachment) {
	type key struct {
		name, kind string
		size       int64
	}
	have := make(map[key]int, len(original))
	for _, a := range original {
		have[key{strings.ToLower(a.Name), a.Kind, a.Size}]++
	}
	for i, a := range forward {
		k := key{strings.ToLower(a.Name), a.Kind, a.Size}
		if have[k] > 0 {
			have[k]--
			forward[i].FromOriginal = true
		}
	}
}
