package emulator

import (
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-json/jsontext"
)

// graphTime is the date format Graph uses for message dates: UTC, whole seconds, "Z".
const graphTime = "2006-01-02T15:04:05Z"

// property is one selectable property of microsoft.graph.message with its JSON writer.
type property struct {
	name  string
	write func(b []byte, it *item, bodyType string) []byte
	// selectOnly properties are written only when $select names them (uniqueBody,
	// internetMessageHeaders: "not returned by default").
	selectOnly bool
	// present, if set, says whether the item has the property at all; without it the property
	// is left out of the object.
	present func(it *item) bool
}

// messageProps lists the message properties in the order Graph emits them. "@odata.etag" and "id"
// are always written first and are not in this table.
var messageProps = []property{
	{name: "createdDateTime", write: func(b []byte, it *item, _ string) []byte { return appendTime(b, it.msg.CreatedDateTime) }},
	{name: "lastModifiedDateTime", write: func(b []byte, it *item, _ string) []byte { return appendTime(b, it.msg.LastModifiedDateTime) }},
	{name: "changeKey", write: func(b []byte, it *item, _ string) []byte { return appendString(b, it.msg.ChangeKey) }},
	{name: "categories", write: func(b []byte, it *item, _ string) []byte { return appendStrings(b, it.msg.Categories) }},
	{name: "receivedDateTime", write: func(b []byte, it *item, _ string) []byte { return appendTime(b, it.msg.ReceivedDateTime) }},
	{name: "sentDateTime", write: func(b []byte, it *item, _ string) []byte {
		if it.msg.SentDateTime == nil {
			return append(b, "null"...)
		}
		return appendTime(b, *it.msg.SentDateTime)
	}},
	{name: "hasAttachments", write: func(b []byte, it *item, _ string) []byte { return strconv.AppendBool(b, it.msg.HasAttachments) }},
	{name: "internetMessageId", write: func(b []byte, it *item, _ string) []byte { return appendString(b, it.msg.InternetMessageID) }},
	// internetMessageHeaders: "Returned only on applying a $select query option"; a message
	// without headers (a draft, a sent copy) has none, and the emulator then leaves the property
	// out (a guess: users report it missing for drafts and Sent Items).
	// https://learn.microsoft.com/graph/api/resources/message
	{name: "internetMessageHeaders", write: appendHeaders, selectOnly: true,
		present: func(it *item) bool { return len(it.msg.InternetMessageHeaders) > 0 }},
	{name: "subject", write: func(b []byte, it *item, _ string) []byte { return appendString(b, it.msg.Subject) }},
	{name: "bodyPreview", write: func(b []byte, it *item, _ string) []byte { return appendString(b, it.msg.BodyPreview) }},
	{name: "importance", write: func(b []byte, it *item, _ string) []byte { return appendString(b, it.msg.Importance) }},
	{name: "parentFolderId", write: func(b []byte, it *item, _ string) []byte { return appendString(b, it.msg.ParentFolderID) }},
	{name: "conversationId", write: func(b []byte, it *item, _ string) []byte { return appendString(b, it.msg.ConversationID) }},
	{name: "conversationIndex", write: func(b []byte, it *item, _ string) []byte { return appendString(b, it.msg.ConversationIndex) }},
	{name: "isDeliveryReceiptRequested", write: func(b []byte, it *item, _ string) []byte {
		return strconv.AppendBool(b, it.msg.IsDeliveryReceiptRequested)
	}},
	{name: "isReadReceiptRequested", write: func(b []byte, it *item, _ string) []byte {
		return strconv.AppendBool(b, it.msg.IsReadReceiptRequested)
	}},
	{name: "isRead", write: func(b []byte, it *item, _ string) []byte { return strconv.AppendBool(b, it.msg.IsRead) }},
	{name: "isDraft", write: func(b []byte, it *item, _ string) []byte { return strconv.AppendBool(b, it.msg.IsDraft) }},
	{name: "webLink", write: func(b []byte, it *item, _ string) []byte { return appendString(b, it.msg.WebLink) }},
	{name: "inferenceClassification", write: func(b []byte, it *item, _ string) []byte {
		return appendString(b, it.msg.InferenceClassification)
	}},
	{name: "body", write: func(b []byte, it *item, bodyType string) []byte {
		ct, content := it.body(bodyType)
		b = append(b, `{"contentType":`...)
		b = appendString(b, ct)
		b = append(b, `,"content":`...)
		b = appendString(b, content)
		return append(b, '}')
	}},
	// sender and from are absent, not null, on a draft that has none (user-post-messages).
	{name: "sender", write: func(b []byte, it *item, _ string) []byte { return appendRecipientPtr(b, it.msg.Sender) },
		present: func(it *item) bool { return it.msg.Sender != nil }},
	{name: "from", write: func(b []byte, it *item, _ string) []byte { return appendRecipientPtr(b, it.msg.From) },
		present: func(it *item) bool { return it.msg.From != nil }},
	{name: "toRecipients", write: func(b []byte, it *item, _ string) []byte { return appendRecipients(b, it.msg.ToRecipients) }},
	{name: "ccRecipients", write: func(b []byte, it *item, _ string) []byte { return appendRecipients(b, it.msg.CcRecipients) }},
	{name: "bccRecipients", write: func(b []byte, it *item, _ string) []byte { return appendRecipients(b, it.msg.BccRecipients) }},
	{name: "replyTo", write: func(b []byte, it *item, _ string) []byte { return appendRecipients(b, it.msg.ReplyTo) }},
	// uniqueBody: "The part of the body of the message that is unique to the current message.
	// uniqueBody is not returned by default but can be retrieved for a given message by use of
	// the ?$select=uniqueBody query. It can be in HTML or text format." (uniquebody.go)
	{name: "uniqueBody", selectOnly: true, write: func(b []byte, it *item, bodyType string) []byte {
		ct, content := it.uniqueBody(bodyType)
		b = append(b, `{"contentType":`...)
		b = appendString(b, ct)
		b = append(b, `,"content":`...)
		b = appendString(b, content)
		return append(b, '}')
	}},
	{name: "flag", write: func(b []byte, it *item, _ string) []byte {
		b = append(b, `{"flagStatus":`...)
		b = appendString(b, it.msg.Flag.FlagStatus)
		return append(b, '}')
	}},
}

// propIndex maps a lower-cased property name to its index in messageProps; "id" maps to -1.
var propIndex = func() map[string]int {
	m := map[string]int{"id": -1}
	for i, p := range messageProps {
		m[strings.ToLower(p.name)] = i
	}
	return m
}()

// render is what a request's preferences change in how a message is written: the body content
// type ("", "text" or "html") and the form of ids.
type render struct {
	bodyType  string
	immutable bool
}

// appendMessage appends the JSON object for it. sel, if non-nil, says which messageProps to
// include; o, what the client preferred.
func appendMessage(b []byte, it *item, sel []bool, o render) []byte {
	return appendMessageWith(b, it, sel, o, "")
}

// appendMessageWith is appendMessage with an optional "@odata.context" written first.
func appendMessageWith(b []byte, it *item, sel []bool, o render, context string) []byte {
	b = append(b, '{')
	if context != "" {
		b = append(b, `"@odata.context":`...)
		b = appendString(b, context)
		b = append(b, ',')
	}
	b = append(b, `"@odata.etag":`...)
	b = appendString(b, it.msg.ETag)
	b = append(b, `,"id":`...)
	b = appendString(b, o.idOf(it))
	for i := range messageProps {
		p := &messageProps[i]
		if (sel == nil && p.selectOnly) || (sel != nil && !sel[i]) || (p.present != nil && !p.present(it)) {
			continue
		}
		b = append(b, ',', '"')
		b = append(b, p.name...)
		b = append(b, '"', ':')
		b = p.write(b, it, o.bodyType)
	}
	return append(b, '}')
}

func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, graphTime)
	return append(b, '"')
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

func appendRecipient(b []byte, r Recipient) []byte {
	b = append(b, `{"emailAddress":{"name":`...)
	b = appendString(b, r.EmailAddress.Name)
	b = append(b, `,"address":`...)
	b = appendString(b, r.EmailAddress.Address)
	return append(b, "}}"...)
}

func appendRecipientPtr(b []byte, r *Recipient) []byte {
	if r == nil {
		return append(b, "null"...)
	}
	return appendRecipient(b, *r)
}

func appendRecipients(b []byte, rs []Recipient) []byte {
	b = append(b, '[')
	for i, r := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendRecipient(b, r)
	}
	return append(b, ']')
}

// appendString appends s as a JSON string, quoted by the JSON library the client uses
// (jsontext.AppendQuote: the shortest form; quote, backslash and control characters escaped,
// \b \f \n \r \t by name; <, > and & left alone, as Graph leaves them; invalid UTF-8 as
// U+FFFD).
func appendString(b []byte, s string) []byte {
	b, _ = jsontext.AppendQuote(b, s) // the only error is invalid UTF-8, replaced all the same
	return b
}
