package graph

import (
	"encoding/json"
	"strings"
)

// The reference decoder: encoding/json into the wire structs the client
// used before wire.go, then toMessage. wireDecoder must agree with it on
// every input without repeated keys.

// refDecodePage decodes a listing the reference way.
func refDecodePage(data []byte) ([]Message, string, error) {
	var p refPage
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, "", err
	}
	var msgs []Message
	if p.Value != nil {
		msgs = make([]Message, len(p.Value))
		for i := range p.Value {
			msgs[i] = p.Value[i].toMessage()
		}
	}
	return msgs, p.NextLink, nil
}

// refPage is one page of a listing.
type refPage struct {
	Value    []refMessage `json:"value"`
	NextLink string       `json:"@odata.nextLink"`
}

// refMessage is a message as Graph encodes it.
type refMessage struct {
	ID                   string         `json:"id"`
	Subject              string         `json:"subject"`
	BodyPreview          string         `json:"bodyPreview"`
	Body                 *refBody       `json:"body"`
	From                 *refRecipient  `json:"from"`
	ToRecipients         []refRecipient `json:"toRecipients"`
	CcRecipients         []refRecipient `json:"ccRecipients"`
	BccRecipients        []refRecipient `json:"bccRecipients"`
	HasAttachments       bool           `json:"hasAttachments"`
	Importance           string         `json:"importance"`
	IsDraft              bool           `json:"isDraft"`
	CreatedDateTime      string         `json:"createdDateTime"`
	LastModifiedDateTime string         `json:"lastModifiedDateTime"`
	SentDateTime         string         `json:"sentDateTime"`
	InternetMessageID    string         `json:"internetMessageId"`
	ConversationID       string         `json:"conversationId"`
	WebLink              string         `json:"webLink"`
	ChangeKey            string         `json:"changeKey"`
	Props                []refProp      `json:"singleValueExtendedProperties"`
}

type refProp struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

type refBody struct {
	ContentType string `json:"contentType"`
	Content     string `json:"content"`
}

type refRecipient struct {
	EmailAddress struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	} `json:"emailAddress"`
}

// toMessage converts and cleans a decoded message.
func (w *refMessage) toMessage() Message {
	m := Message{
		ID:                CleanLine(w.ID),
		Subject:           CleanLine(w.Subject),
		BodyPreview:       CleanLine(w.BodyPreview),
		To:                refRecipients(w.ToRecipients),
		Cc:                refRecipients(w.CcRecipients),
		Bcc:               refRecipients(w.BccRecipients),
		HasAttachments:    w.HasAttachments,
		Importance:        Importance(strings.ToLower(CleanLine(w.Importance))),
		IsDraft:           w.IsDraft,
		Created:           parseTime(w.CreatedDateTime),
		LastModified:      parseTime(w.LastModifiedDateTime),
		Sent:              parseTime(w.SentDateTime),
		InternetMessageID: CleanLine(w.InternetMessageID),
		ConversationID:    CleanLine(w.ConversationID),
		WebLink:           CleanLine(w.WebLink),
		ChangeKey:         CleanLine(w.ChangeKey),
	}
	if w.From != nil {
		m.From = w.From.toRecipient()
	}
	for _, p := range w.Props {
		if strings.EqualFold(p.ID, DeferredSendProperty) {
			m.DeferredUntil = parseTime(p.Value)
		}
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

func (w refRecipient) toRecipient() Recipient {
	return Recipient{Name: CleanLine(w.EmailAddress.Name), Address: CleanLine(w.EmailAddress.Address)}
}

func refRecipients(ws []refRecipient) []Recipient {
	if len(ws) == 0 {
		return nil
	}
	rs := make([]Recipient, len(ws))
	for i, w := range ws {
		rs[i] = w.toRecipient()
	}
	return rs
}
