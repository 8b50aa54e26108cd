package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// The attachment endpoints: list, get, $value, add, delete.

// lookupVisible finds message id under the lock.
func (c *call) lookupVisible(id string) (*item, *apiError) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.lookup(id)
}

// listAttachments serves GET .../messages/{id}/attachments. Like Graph, the list carries each
// file's contentBytes unless $select leaves them out (message-list-attachments shows
// contentBytes in the listing).
func (c *call) listAttachments(id string) *apiError {
	sel, e := parseAttachmentQuery(c.r.URL.Query())
	if e != nil {
		return e
	}
	it, e := c.lookupVisible(id)
	if e != nil {
		return e
	}
	b := append([]byte(nil), `{"@odata.context":`...)
	b = appendString(b, c.attachmentsContext(it.msg.ID)+sel.suffix())
	b = append(b, `,"value":`...)
	b = appendAttachmentList(b, it, sel)
	b = append(b, '}')
	c.writeJSON(http.StatusOK, b)
	return nil
}

// lookupAttachment finds message id and its attachment aid.
func (c *call) lookupAttachment(id, aid string) (*item, *attachment, *apiError) {
	it, e := c.lookupVisible(id)
	if e != nil {
		return nil, nil, e
	}
	a := findAttachment(it, aid)
	if a == nil {
		if malformedID(aid) {
			return nil, nil, errIDMalformed()
		}
		return nil, nil, errItemNotFound()
	}
	return it, a, nil
}

// getAttachment serves GET .../messages/{id}/attachments/{aid}.
func (c *call) getAttachment(id, aid string) *apiError {
	sel, e := parseAttachmentQuery(c.r.URL.Query())
	if e != nil {
		return e
	}
	it, a, e := c.lookupAttachment(id, aid)
	if e != nil {
		return e
	}
	ctx := c.attachmentsContext(it.msg.ID) + sel.suffix() + "/$entity"
	c.writeJSON(http.StatusOK, appendAttachment(nil, a, it.msg.ID, sel, ctx))
	return nil
}

// getAttachmentValue serves GET .../attachments/{aid}/$value: a file's raw bytes with its content
// type, an attached message as MIME, and 405 for a reference attachment ("Attempting to get the
// $value of a reference attachment returns HTTP 405", attachment-get).
func (c *call) getAttachmentValue(id, aid string) *apiError {
	_, a, e := c.lookupAttachment(id, aid)
	if e != nil {
		return e
	}
	var body []byte
	ct := a.contentType
	switch a.kind {
	case fileAttachmentType:
		body = a.content.bytes()
		if ct == "" {
			ct = "application/octet-stream"
		}
	case itemAttachmentType:
		body = itemMIME(a.item)
		ct = "message/rfc822" // a guess: the page shows the MIME but not its Content-Type
	default:
		return errMethod(c.r.Method)
	}
	c.w.Header().Set("Content-Type", ct)
	c.w.WriteHeader(http.StatusOK)
	c.w.body = body
	return nil
}

// itemMIME renders an attached message as a MIME message.
func itemMIME(m *Message) []byte {
	if m == nil {
		return []byte("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n\r\n")
	}
	var sb strings.Builder
	if m.From != nil {
		sb.WriteString("From: " + mimeAddress(*m.From) + "\r\n")
	}
	if len(m.ToRecipients) > 0 {
		sb.WriteString("To: " + mimeAddresses(m.ToRecipients) + "\r\n")
	}
	sb.WriteString("Subject: " + mime.QEncoding.Encode("utf-8", m.Subject) + "\r\n")
	if m.SentDateTime != nil {
		sb.WriteString("Date: " + m.SentDateTime.UTC().Format(time.RFC1123Z) + "\r\n")
	}
	if m.InternetMessageID != "" {
		sb.WriteString("Message-ID: " + m.InternetMessageID + "\r\n")
	}
	ct := "text/plain"
	if strings.EqualFold(m.Body.ContentType, contentHTML) {
		ct = "text/html"
	}
	sb.WriteString("MIME-Version: 1.0\r\nContent-Type: " + ct + "; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	sb.WriteString(m.Body.Content)
	return []byte(sb.String())
}

func mimeAddress(r Recipient) string {
	if r.EmailAddress.Name == "" {
		return "<" + r.EmailAddress.Address + ">"
	}
	return mime.QEncoding.Encode("utf-8", r.EmailAddress.Name) + " <" + r.EmailAddress.Address + ">"
}

func mimeAddresses(rs []Recipient) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = mimeAddress(r)
	}
	return strings.Join(parts, ", ")
}

// errAttachmentTooLarge answers a POST of a file over 3 MB. The status is Graph's 413 for a
// request over its limit, as users report for this case
// (https://github.com/microsoftgraph/msgraph-sdk-java/pull/52); the code and message are a guess.
func errAttachmentTooLarge() *apiError {
	return newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
		"The attachment is larger than %d bytes; attach it through an upload session (attachments/createUploadSession).", maxPostAttachment)
}

// readAttachment decodes the attachment of a POST body (or of a message's "attachments" when one
// is created): @odata.type says which kind, property names match in any case, unknown ones
// are an error, read-only ones are ignored.
func (s *Server) readAttachment(raw json.RawMessage, at time.Time) (*attachment, *apiError) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, errBadJSON()
	}
	fields := map[string]json.RawMessage{}
	typ := ""
	for k, v := range obj {
		lk := strings.ToLower(k)
		if lk == "@odata.type" {
			_ = json.Unmarshal(v, &typ)
			continue
		}
		if strings.HasPrefix(lk, "@odata.") {
			continue
		}
		fields[lk] = v
	}
	typ = "#" + strings.TrimPrefix(typ, "#")
	typeName := strings.TrimPrefix(typ, "#")
	var allowed []string
	switch strings.ToLower(typ) {
	case strings.ToLower(fileAttachmentType):
		typ = fileAttachmentType
		allowed = []string{"name", "contentbytes", "contenttype", "isinline", "contentid", "contentlocation"}
	case strings.ToLower(itemAttachmentType):
		typ = itemAttachmentType
		allowed = []string{"name", "item", "contenttype", "isinline"}
	case "#":
		// A guess at Graph's answer: the abstract type cannot be created.
		return nil, newError(http.StatusBadRequest, "RequestBodyRead",
			"Cannot create an abstract class: the attachment needs an @odata.type such as '#microsoft.graph.fileAttachment'.")
	default:
		// A guess: v1.0 creates file and item attachments only.
		return nil, newError(http.StatusBadRequest, "RequestBodyRead",
			"Attachments of type '%s' cannot be created; use '#microsoft.graph.fileAttachment' or '#microsoft.graph.itemAttachment'.", typeName)
	}
	for k := range fields {
		ok := k == "id" || k == "size" || k == "lastmodifieddatetime"
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			return nil, newError(http.StatusBadRequest, "RequestBodyRead",
				"The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type or mark the type as open type.", k, typeName)
		}
	}
	str := func(k string) (string, *apiError) {
		var v *string
		if raw, ok := fields[k]; ok {
			if err := json.Unmarshal(raw, &v); err != nil {
				return "", newError(http.StatusBadRequest, "RequestBodyRead", "Cannot convert the value of property '%s' to the expected type.", k)
			}
		}
		if v == nil {
			return "", nil
		}
		return *v, nil
	}
	name, e := str("name")
	if e != nil {
		return nil, e
	}
	ct, e := str("contenttype")
	if e != nil {
		return nil, e
	}
	inline := false
	if raw, ok := fields["isinline"]; ok {
		if err := json.Unmarshal(raw, &inline); err != nil {
			return nil, newError(http.StatusBadRequest, "RequestBodyRead", "Cannot convert the value of property 'isInline' to the expected type.")
		}
	}
	if typ == itemAttachmentType {
		var m Message
		raw := fields["item"]
		if raw == nil {
			return nil, newError(http.StatusBadRequest, "ErrorInvalidRequest", "The item attachment has no item.")
		}
		var in struct {
			Subject      string
			Body         ItemBody
			From         *Recipient
			ToRecipients []Recipient
			SentDateTime *time.Time
		}
		if err := json.Unmarshal(raw, &in); err != nil {
			return nil, newError(http.StatusBadRequest, "RequestBodyRead", "Cannot convert the value of property 'item' to the expected type.")
		}
		m.Subject, m.Body, m.From, m.ToRecipients, m.SentDateTime = in.Subject, in.Body, in.From, in.ToRecipients, in.SentDateTime
		s.seq++
		return &attachment{n: s.seq, kind: itemAttachmentType, name: name, size: int64(len(raw)) + 1024,
			isInline: inline, modified: at.UTC().Truncate(time.Second), item: &m}, nil
	}
	b64, e := str("contentbytes")
	if e != nil {
		return nil, e
	}
	if name == "" || fields["contentbytes"] == nil {
		// A guess at the wording; fileattachment says name and contentBytes are required.
		return nil, newError(http.StatusBadRequest, "ErrorInvalidRequest", "A file attachment needs a name and contentBytes.")
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		if data, err = base64.RawStdEncoding.DecodeString(b64); err != nil {
			return nil, newError(http.StatusBadRequest, "RequestBodyRead", "Cannot convert the value of property 'contentBytes' to the expected type 'Edm.Binary'.")
		}
	}
	if len(data) > maxPostAttachment {
		return nil, errAttachmentTooLarge()
	}
	cid, e := str("contentid")
	if e != nil {
		return nil, e
	}
	return s.newFileAttachment(FileAttachment{Name: name, ContentType: ct, Content: data, IsInline: inline, ContentID: cid}, at), nil
}

// addAttachment serves POST .../messages/{id}/attachments: 201 and the attachment, contentBytes
// included, as in message-post-attachments.
func (c *call) addAttachment(id string) *apiError {
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody+1))
	if err != nil {
		return errBadJSON()
	}
	if len(data) > maxBody {
		return errAttachmentTooLarge()
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return newError(http.StatusBadRequest, "BadRequest", "Empty Payload. JSON content expected.")
	}
	s := c.s
	s.mu.Lock()
	old, e := c.lookup(id)
	if e == nil {
		e = c.editable(old)
	}
	if e != nil {
		s.mu.Unlock()
		return e
	}
	a, e := s.readAttachment(data, c.now)
	if e != nil {
		s.mu.Unlock()
		return e
	}
	m := old.msg.clone()
	setAttachments(&m, append(m.attachments, a))
	it := s.reviseLocked(c, old, m)
	s.mu.Unlock()
	ctx := c.attachmentsContext(it.msg.ID) + "/$entity"
	c.writeJSON(http.StatusCreated, appendAttachment(nil, a, it.msg.ID, nil, ctx))
	return nil
}

// deleteAttachment serves DELETE .../messages/{id}/attachments/{aid}: 204.
func (c *call) deleteAttachment(id, aid string) *apiError {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	old, e := c.lookup(id)
	if e == nil {
		e = c.editable(old)
	}
	if e != nil {
		return e
	}
	a := findAttachment(old, aid)
	if a == nil {
		if malformedID(aid) {
			return errIDMalformed()
		}
		return errItemNotFound()
	}
	m := old.msg.clone()
	keep := make([]*attachment, 0, len(m.attachments))
	for _, x := range m.attachments {
		if x != a {
			keep = append(keep, x)
		}
	}
	setAttachments(&m, keep)
	s.reviseLocked(c, old, m)
	c.writeEmpty(http.StatusNoContent)
	return nil
}

// editable refuses changes to a deferred send kept in Drafts (see errSubmitted). The caller
// holds the lock.
func (c *call) editable(it *item) *apiError {
	if it.pendingCopy != nil {
		return errSubmitted("changed")
	}
	return nil
}

// reviseLocked stores m as the new version of old (a change by the client): same id and
// folder, a new changeKey and lastModifiedDateTime. The caller holds the lock.
func (s *Server) reviseLocked(c *call, old *item, m Message) *item {
	m.LastModifiedDateTime = c.now
	s.seq++
	it := &item{msg: m, text: old.text, seq: old.seq, availableAt: old.availableAt, goneAt: old.goneAt}
	it.touch(c.mb.seed, s.seq)
	old.folder.replace(it)
	return it
}
