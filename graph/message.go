package graph

import (
	"strings"
	"time"
)

// Recipient is a mail address with its display name.
type Recipient struct {
	Name    string `json:"name,omitempty"` // display name; may be empty
	Address string `json:"address"`        // SMTP address
}

// String returns "Name <address>", or the address alone when there is no
// distinct name.
func (r Recipient) String() string {
	if r.Name == "" || strings.EqualFold(r.Name, r.Address) {
		return r.Address
	}
	if r.Address == "" {
		return r.Name
	}
	return r.Name + " <" + r.Address + ">"
}

// Importance is a message's importance: "low", "normal" or "high".
type Importance string

// The importance values Graph uses.
const (
	ImportanceLow    Importance = "low"
	ImportanceNormal Importance = "normal"
	ImportanceHigh   Importance = "high"
)

// Message is a mail message as drafts uses it. Every string field has been
// cleaned (CleanLine, or CleanText for Body) and is safe to show.
type Message struct {
	ID                string      // Graph's id; it changes when the message moves (a send gives the copy a new one)
	Subject           string      // may be empty
	BodyPreview       string      // the start of the body as one line
	From              Recipient   // the sender (for a draft, usually the mailbox owner)
	To, Cc, Bcc       []Recipient // the recipients
	HasAttachments    bool        // whether the message has attachments
	Importance        Importance  // low, normal or high
	IsDraft           bool        // true until the message is sent
	Created           time.Time   // createdDateTime
	LastModified      time.Time   // lastModifiedDateTime
	Sent              time.Time   // sentDateTime; zero for drafts
	InternetMessageID string      // the RFC 5322 Message-ID, kept by the sent copy
	ConversationID    string      // the conversation, kept by the sent copy
	ConversationIndex string      // base64; one 5-byte block longer than the message it answers
	WebLink           string      // the message in Outlook on the web (filled by Client.Message)
	ChangeKey         string      // the version of the item; every change gives a new one
	Kind              Kind        // new, reply, reply all (see ReplyAllOf) or forward
	InReplyTo         string      // the internetMessageId of the message a reply answers, or ""
	// Attachments are the message's attachments, when they were asked for (an opened draft
	// that has any); nil otherwise.
	Attachments []Attachment
	// DeferredUntil is when Exchange is to send the message (Outlook's
	// deferred-send time, DeferredSendProperty), or zero when it is not
	// scheduled. Listings and Client.Message expand it.
	DeferredUntil time.Time

	// Body is the message body as plain text (HTML converted). It is
	// filled only by Client.Message; listings leave it empty and
	// HasBody false.
	Body string
	// HasBody reports whether Body was fetched.
	HasBody bool
}

// Recipients returns To, Cc and Bcc in that order.
func (m Message) Recipients() []Recipient {
	all := make([]Recipient, 0, len(m.To)+len(m.Cc)+len(m.Bcc))
	all = append(all, m.To...)
	all = append(all, m.Cc...)
	return append(all, m.Bcc...)
}

// listFields is the $select of listings: everything the list and the send
// confirmation need, and no body (big pages of bodies can time out).
const listFields = "id,subject,bodyPreview,from,toRecipients,ccRecipients,bccRecipients," +
	"hasAttachments,importance,isDraft,createdDateTime,lastModifiedDateTime,sentDateTime," +
	"internetMessageId,conversationId,changeKey,conversationIndex"

// openFields is the $select when one message is opened.
const openFields = listFields + ",webLink,body"

// NoSubject is how a message without a subject is named on screen and in output.
const NoSubject = "(no subject)"

// SubjectOr is the subject to show: s, or NoSubject when s is blank.
func SubjectOr(s string) string {
	if strings.TrimSpace(s) == "" {
		return NoSubject
	}
	return s
}

// Addresses are the distinct addresses of every recipient, in To, Cc, Bcc order.
func (m Message) Addresses() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range m.Recipients() {
		if r.Address == "" || seen[r.Address] {
			continue
		}
		seen[r.Address] = true
		out = append(out, r.Address)
	}
	return out
}
