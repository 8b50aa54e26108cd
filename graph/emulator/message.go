package emulator

import (
	"net/http"
	"time"
)

// Message is one mail item as Graph returns it (microsoft.graph.message). Its JSON encoding is the
// one the server emits, property for property and in Graph's order.
type Message struct {
	ETag                       string       `json:"@odata.etag"`                // W/"<changeKey>"
	ID                         string       `json:"id"`                         // opaque; changes when the item moves (send, delete)
	CreatedDateTime            time.Time    `json:"createdDateTime"`            // when the item was created in its folder
	LastModifiedDateTime       time.Time    `json:"lastModifiedDateTime"`       // last save
	ChangeKey                  string       `json:"changeKey"`                  // version of the item; changes on every update
	Categories                 []string     `json:"categories"`                 // Outlook categories
	ReceivedDateTime           time.Time    `json:"receivedDateTime"`           // creation time for drafts, send time for sent copies
	SentDateTime               *time.Time   `json:"sentDateTime"`               // nil (JSON null) for drafts
	HasAttachments             bool         `json:"hasAttachments"`             // true when a non-inline attachment is stored
	InternetMessageID          string       `json:"internetMessageId"`          // RFC 5322 Message-ID; kept by the sent copy
	Subject                    string       `json:"subject"`                    // may be empty
	BodyPreview                string       `json:"bodyPreview"`                // first 255 characters of the text body
	Importance                 string       `json:"importance"`                 // "low", "normal" or "high"
	ParentFolderID             string       `json:"parentFolderId"`             // id of the folder holding the item
	ConversationID             string       `json:"conversationId"`             // kept by the sent copy
	ConversationIndex          string       `json:"conversationIndex"`          // base64 conversation index
	IsDeliveryReceiptRequested bool         `json:"isDeliveryReceiptRequested"` // delivery receipt asked for
	IsReadReceiptRequested     bool         `json:"isReadReceiptRequested"`     // read receipt asked for
	IsRead                     bool         `json:"isRead"`                     // drafts and sent items are read
	IsDraft                    bool         `json:"isDraft"`                    // true until sent
	WebLink                    string       `json:"webLink"`                    // Outlook on the web link
	InferenceClassification    string       `json:"inferenceClassification"`    // "focused" or "other"
	Body                       ItemBody     `json:"body"`                       // content and its type
	Sender                     *Recipient   `json:"sender"`                     // the mailbox owner unless set
	From                       *Recipient   `json:"from"`                       // the mailbox owner unless set
	ToRecipients               []Recipient  `json:"toRecipients"`               // To
	CcRecipients               []Recipient  `json:"ccRecipients"`               // Cc
	BccRecipients              []Recipient  `json:"bccRecipients"`              // Bcc
	ReplyTo                    []Recipient  `json:"replyTo"`                    // Reply-To
	Flag                       FollowupFlag `json:"flag"`                       // follow-up flag
	// ExtendedProperties are the message's single-value extended
	// properties, shown only when a request expands them.
	ExtendedProperties []ExtendedProperty `json:"-"`
	// InternetMessageHeaders are the RFC 5322 headers of a received message (nil for drafts and
	// sent items, as in Graph), shown only when $select names internetMessageHeaders.
	InternetMessageHeaders []MessageHeader `json:"-"`

	attachments []*attachment // stored attachments, immutable; hasAttachments follows them
	response    *responseOf   // what a reply, reply-all or forward draft answers, for its send
	immutableID string        // the id under Prefer: IdType="ImmutableId"; kept across moves
}

// MessageHeader is one Internet message header (microsoft.graph.internetMessageHeader).
type MessageHeader struct {
	Name  string `json:"name"`  // header name, e.g. "Received"
	Value string `json:"value"` // header value, unfolded
}

// ItemBody is a message body (microsoft.graph.itemBody).
type ItemBody struct {
	ContentType string `json:"contentType"` // "text" or "html"
	Content     string `json:"content"`     // the body itself
}

// Recipient is a message recipient (microsoft.graph.recipient).
type Recipient struct {
	EmailAddress EmailAddress `json:"emailAddress"` // who
}

// EmailAddress is a name and an SMTP address (microsoft.graph.emailAddress).
type EmailAddress struct {
	Name    string `json:"name"`    // display name, may be empty
	Address string `json:"address"` // SMTP address
}

// FollowupFlag is a message's follow-up flag (microsoft.graph.followupFlag); only the status is
// modelled.
type FollowupFlag struct {
	FlagStatus string `json:"flagStatus"` // "notFlagged", "complete" or "flagged"
}

// Addr returns a Recipient with the given display name and address.
func Addr(name, address string) Recipient {
	return Recipient{EmailAddress: EmailAddress{Name: name, Address: address}}
}

// MarshalJSON encodes m exactly as the server does, with Graph's property order and date format.
func (m Message) MarshalJSON() ([]byte, error) {
	it := &item{msg: m}
	return appendMessage(nil, it, nil, render{}), nil
}

// clone returns a deep copy of m, so callers of the snapshot methods cannot alias stored state.
func (m Message) clone() Message {
	m.Categories = append([]string{}, m.Categories...)
	m.ToRecipients = cloneRecipients(m.ToRecipients)
	m.CcRecipients = cloneRecipients(m.CcRecipients)
	m.BccRecipients = cloneRecipients(m.BccRecipients)
	m.ReplyTo = cloneRecipients(m.ReplyTo)
	if m.ExtendedProperties != nil {
		m.ExtendedProperties = append([]ExtendedProperty{}, m.ExtendedProperties...)
	}
	if m.InternetMessageHeaders != nil {
		m.InternetMessageHeaders = append([]MessageHeader{}, m.InternetMessageHeaders...)
	}
	if m.attachments != nil {
		m.attachments = append([]*attachment{}, m.attachments...)
	}
	if m.SentDateTime != nil {
		t := *m.SentDateTime
		m.SentDateTime = &t
	}
	if m.Sender != nil {
		r := *m.Sender
		m.Sender = &r
	}
	if m.From != nil {
		r := *m.From
		m.From = &r
	}
	return m
}

func cloneRecipients(rs []Recipient) []Recipient {
	return append([]Recipient{}, rs...)
}

// hasRecipients reports whether m has at least one to, cc or bcc recipient.
func (m *Message) hasRecipients() bool {
	return len(m.ToRecipients)+len(m.CcRecipients)+len(m.BccRecipients) > 0
}

// validRecipients reports whether every recipient has a plausible SMTP address.
func (m *Message) validRecipients() bool {
	_, ok := m.invalidRecipient()
	return ok
}

// invalidRecipient returns the first recipient without a plausible SMTP address, and false, or
// true when there is none.
func (m *Message) invalidRecipient() (string, bool) {
	for _, list := range [][]Recipient{m.ToRecipients, m.CcRecipients, m.BccRecipients} {
		for _, r := range list {
			if !plausibleAddress(r.EmailAddress.Address) {
				return r.EmailAddress.Address, false
			}
		}
	}
	return "", true
}

// errRecipients is Graph's 400 ErrorInvalidRecipients for m (which has no recipient, or one that
// is not an address), worded as Exchange words it:
// "At least one recipient is not valid., A message can't be sent because it contains no
// recipients." (observed: https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/1891) and
// "At least one recipient is not valid., Recipient 'x' is not resolved. All recipients must be
// resolved before a message can be submitted." (observed:
// https://github.com/Azure/Microsoft365R/issues/110).
func (m *Message) errRecipients() *apiError {
	if !m.hasRecipients() {
		return newError(http.StatusBadRequest, "ErrorInvalidRecipients",
			"At least one recipient is not valid., A message can't be sent because it contains no recipients.")
	}
	bad, _ := m.invalidRecipient()
	return newError(http.StatusBadRequest, "ErrorInvalidRecipients",
		"At least one recipient is not valid., Recipient '%s' is not resolved. All recipients must be resolved before a message can be submitted.", bad)
}

// plausibleAddress is the emulator's notion of a deliverable address: local@domain, no spaces.
func plausibleAddress(a string) bool {
	at := -1
	for i, c := range a {
		switch {
		case c == '@':
			if at >= 0 {
				return false
			}
			at = i
		case c <= ' ' || c == '<' || c == '>' || c == ',' || c == ';':
			return false
		}
	}
	return at > 0 && at < len(a)-1
}
