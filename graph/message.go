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
	WebLink           string      // the message in Outlook on the web (filled by Client.Message)

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
	"internetMessageId,conversationId"

// openFields is the $select when one message is opened.
const openFields = listFields + ",webLink,body"

// wireMessage is a message as Graph encodes it.
type wireMessage struct {
	ID                   string          `json:"id"`
	Subject              string          `json:"subject"`
	BodyPreview          string          `json:"bodyPreview"`
	Body                 *wireBody       `json:"body"`
	From                 *wireRecipient  `json:"from"`
	ToRecipients         []wireRecipient `json:"toRecipients"`
	CcRecipients         []wireRecipient `json:"ccRecipients"`
	BccRecipients        []wireRecipient `json:"bccRecipients"`
	HasAttachments       bool            `json:"hasAttachments"`
	Importance           string          `json:"importance"`
	IsDraft              bool            `json:"isDraft"`
	CreatedDateTime      string          `json:"createdDateTime"`
	LastModifiedDateTime string          `json:"lastModifiedDateTime"`
	SentDateTime         string          `json:"sentDateTime"`
	InternetMessageID    string          `json:"internetMessageId"`
	ConversationID       string          `json:"conversationId"`
	WebLink              string          `json:"webLink"`
}

type wireBody struct {
	ContentType string `json:"contentType"`
	Content     string `json:"content"`
}

type wireRecipient struct {
	EmailAddress struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	} `json:"emailAddress"`
}

// wirePage is one page of a listing.
type wirePage struct {
	Value    []wireMessage `json:"value"`
	NextLink string        `json:"@odata.nextLink"`
}

// toMessage converts and cleans a decoded message.
func (w *wireMessage) toMessage() Message {
	m := Message{
		ID:                CleanLine(w.ID),
		Subject:           CleanLine(w.Subject),
		BodyPreview:       CleanLine(w.BodyPreview),
		To:                toRecipients(w.ToRecipients),
		Cc:                toRecipients(w.CcRecipients),
		Bcc:               toRecipients(w.BccRecipients),
		HasAttachments:    w.HasAttachments,
		Importance:        Importance(strings.ToLower(CleanLine(w.Importance))),
		IsDraft:           w.IsDraft,
		Created:           parseTime(w.CreatedDateTime),
		LastModified:      parseTime(w.LastModifiedDateTime),
		Sent:              parseTime(w.SentDateTime),
		InternetMessageID: CleanLine(w.InternetMessageID),
		ConversationID:    CleanLine(w.ConversationID),
		WebLink:           CleanLine(w.WebLink),
	}
	if w.From != nil {
		m.From = w.From.toRecipient()
	}
	if w.Body != nil {
		m.HasBody = true
		if strings.EqualFold(w.Body.ContentType, "html") {
			m.Body = HTMLToText(w.Body.Content)
		} else {
			m.Body = CleanText(w.Body.Content)
		}
	}
	return m
}

func (w wireRecipient) toRecipient() Recipient {
	return Recipient{Name: CleanLine(w.EmailAddress.Name), Address: CleanLine(w.EmailAddress.Address)}
}

func toRecipients(ws []wireRecipient) []Recipient {
	if len(ws) == 0 {
		return nil
	}
	rs := make([]Recipient, len(ws))
	for i, w := range ws {
		rs[i] = w.toRecipient()
	}
	return rs
}

// parseTime reads Graph's UTC timestamps; anything unreadable is the zero
// time rather than an error that would lose the whole page.
func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
