package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// maxBody is the largest request body accepted (Graph's limit for a request is 4 MB).
const maxBody = 4 << 20

// messageInput is the writable part of a message in a POST or PATCH body. A nil field was not
// in the body.
type messageInput struct {
	Subject                    *string
	Body                       *ItemBody
	ToRecipients               *[]Recipient
	CcRecipients               *[]Recipient
	BccRecipients              *[]Recipient
	ReplyTo                    *[]Recipient
	Importance                 *string
	Categories                 *[]string
	IsRead                     *bool
	IsReadReceiptRequested     *bool
	IsDeliveryReceiptRequested *bool
	Flag                       *FollowupFlag
	From                       *Recipient
	Sender                     *Recipient
	InternetMessageID          *string
	Props                      *[]ExtendedProperty
	Headers                    *[]MessageHeader  // internetMessageHeaders: x- headers only
	Attachments                []json.RawMessage // attachments to create with the message
}

// readOnlyProps are message properties a body may carry but that are ignored, as Graph does.
var readOnlyProps = map[string]bool{
	"id": true, "createddatetime": true, "lastmodifieddatetime": true, "changekey": true,
	"receiveddatetime": true, "sentdatetime": true, "hasattachments": true, "bodypreview": true,
	"parentfolderid": true, "conversationid": true, "conversationindex": true, "isdraft": true,
	"weblink": true, "inferenceclassification": true, "uniquebody": true,
}

// readMessageInput decodes a message from the request body with Graph's rules: property names
// are matched case-insensitively, unknown properties are an error, read-only ones are ignored.
func readMessageInput(r *http.Request) (*messageInput, *apiError) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, errBadJSON()
	}
	if len(data) > maxBody {
		return nil, newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The request body is larger than %d bytes.", maxBody)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, newError(http.StatusBadRequest, "BadRequest", "Empty Payload. JSON content expected.")
	}
	return parseMessageInput(data)
}

// parseMessageInput decodes a JSON message object (a POST or PATCH body, or the "message"
// parameter of createReply and the like).
func parseMessageInput(data []byte) (*messageInput, *apiError) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, errBadJSON()
	}
	in := &messageInput{}
	fields := map[string]any{
		"subject": &in.Subject, "body": &in.Body, "torecipients": &in.ToRecipients,
		"ccrecipients": &in.CcRecipients, "bccrecipients": &in.BccRecipients, "replyto": &in.ReplyTo,
		"importance": &in.Importance, "categories": &in.Categories, "isread": &in.IsRead,
		"isreadreceiptrequested": &in.IsReadReceiptRequested, "isdeliveryreceiptrequested": &in.IsDeliveryReceiptRequested,
		"flag": &in.Flag, "from": &in.From, "sender": &in.Sender, "internetmessageid": &in.InternetMessageID,
		"singlevalueextendedproperties": &in.Props, "internetmessageheaders": &in.Headers,
		"attachments": &in.Attachments,
	}
	for name, value := range raw {
		lname := strings.ToLower(name)
		if strings.HasPrefix(lname, "@odata.") || readOnlyProps[lname] {
			continue
		}
		dst, ok := fields[lname]
		if !ok {
			return nil, newError(http.StatusBadRequest, "RequestBodyRead",
				"The property '%s' does not exist on type 'microsoft.graph.message'. Make sure to only use property names that are defined by the type or mark the type as open type.", name)
		}
		if err := json.Unmarshal(value, dst); err != nil {
			return nil, newError(http.StatusBadRequest, "RequestBodyRead",
				"Cannot convert the value of property '%s' to the expected type.", name)
		}
	}
	if in.Importance != nil {
		v := strings.ToLower(*in.Importance)
		if v != "low" && v != "normal" && v != "high" {
			return nil, newError(http.StatusBadRequest, "RequestBodyRead",
				"Cannot convert the literal '%s' to the expected type 'microsoft.graph.importance'.", *in.Importance)
		}
		in.Importance = &v
	}
	if in.Headers != nil {
		for _, h := range *in.Headers {
			if !strings.HasPrefix(strings.ToLower(h.Name), "x-") {
				// Graph takes custom headers only; the code and wording are what users report.
				return nil, newError(http.StatusBadRequest, "InvalidInternetMessageHeader",
					"The internet message header name '%s' should start with 'x-' or 'X-'.", h.Name)
			}
		}
	}
	if in.Props != nil {
		props, e := readProps(*in.Props)
		if e != nil {
			return nil, e
		}
		in.Props = &props
	}
	if in.Body != nil {
		ct := strings.ToLower(in.Body.ContentType)
		switch ct {
		case "":
			ct = contentText
		case contentText, contentHTML:
		default:
			return nil, newError(http.StatusBadRequest, "RequestBodyRead",
				"Cannot convert the literal '%s' to the expected type 'microsoft.graph.bodyType'.", in.Body.ContentType)
		}
		in.Body.ContentType = ct
	}
	return in, nil
}

// draftOnly reports whether the input changes a property that only a draft may change.
func (in *messageInput) draftOnly() bool {
	return in.Subject != nil || in.Body != nil || in.ToRecipients != nil || in.CcRecipients != nil ||
		in.BccRecipients != nil || in.ReplyTo != nil || in.From != nil || in.Sender != nil || in.InternetMessageID != nil ||
		in.Headers != nil
}

// apply copies the given properties onto m.
func (in *messageInput) apply(m *Message) {
	if in.Subject != nil {
		m.Subject = *in.Subject
	}
	if in.Body != nil {
		m.Body = *in.Body
		m.BodyPreview = ""
	}
	setRecipients(&m.ToRecipients, in.ToRecipients)
	setRecipients(&m.CcRecipients, in.CcRecipients)
	setRecipients(&m.BccRecipients, in.BccRecipients)
	setRecipients(&m.ReplyTo, in.ReplyTo)
	if in.Importance != nil {
		m.Importance = *in.Importance
	}
	if in.Categories != nil {
		m.Categories = append([]string{}, *in.Categories...)
	}
	if in.IsRead != nil {
		m.IsRead = *in.IsRead
	}
	if in.IsReadReceiptRequested != nil {
		m.IsReadReceiptRequested = *in.IsReadReceiptRequested
	}
	if in.IsDeliveryReceiptRequested != nil {
		m.IsDeliveryReceiptRequested = *in.IsDeliveryReceiptRequested
	}
	if in.Flag != nil && in.Flag.FlagStatus != "" {
		m.Flag = *in.Flag
	}
	if in.From != nil {
		r := *in.From
		m.From = &r
	}
	if in.Sender != nil {
		r := *in.Sender
		m.Sender = &r
	}
	if in.InternetMessageID != nil {
		m.InternetMessageID = *in.InternetMessageID
	}
	if in.Props != nil {
		setProps(m, *in.Props)
	}
	if in.Headers != nil {
		m.InternetMessageHeaders = append([]MessageHeader{}, *in.Headers...)
	}
}

func setRecipients(dst *[]Recipient, src *[]Recipient) {
	if src == nil {
		return
	}
	*dst = append([]Recipient{}, *src...)
}
