package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Attachments of a message: file attachments with their bytes, item attachments (an attached
// message) and reference attachments (a link to a file in the cloud), each listed with its
// @odata.type as Graph does.
//
//	https://learn.microsoft.com/graph/api/resources/attachment
//	https://learn.microsoft.com/graph/api/resources/fileattachment
//	https://learn.microsoft.com/graph/api/message-list-attachments
//	https://learn.microsoft.com/graph/api/attachment-get
//	https://learn.microsoft.com/graph/api/message-post-attachments
//	https://learn.microsoft.com/graph/api/attachment-delete

// The @odata.type of each kind of attachment.
const (
	fileAttachmentType      = "#microsoft.graph.fileAttachment"
	itemAttachmentType      = "#microsoft.graph.itemAttachment"
	referenceAttachmentType = "#microsoft.graph.referenceAttachment"
)

// maxPostAttachment is the largest file a POST .../attachments takes: "This operation limits the
// size of the attachment you can add to under 3 MB" (message-post-attachments); larger files go
// through an upload session (upload.go).
const maxPostAttachment = 3 << 20

// attachment is one stored attachment. Attachments are immutable once stored, like items: a
// message that gains or loses one is stored anew with a new list.
type attachment struct {
	n           uint64 // server sequence number: with the message id it makes the attachment id
	kind        string // fileAttachmentType, itemAttachmentType or referenceAttachmentType
	name        string
	contentType string // "" is JSON null (an item attachment's)
	size        int64
	isInline    bool
	contentID   string // "" is JSON null
	modified    time.Time
	content     *blob    // a file attachment's bytes
	item        *Message // an item attachment's message
}

// blob is the content of a file attachment: bytes, or a deterministic generator of them that
// runs once, on first use (the demo's large files cost nothing until a client reads them).
type blob struct {
	once sync.Once
	gen  func() []byte
	b    []byte
}

func bytesBlob(b []byte) *blob { return &blob{gen: func() []byte { return b }} }

func lazyBlob(gen func() []byte) *blob { return &blob{gen: gen} }

func (bl *blob) bytes() []byte {
	bl.once.Do(func() {
		bl.b = bl.gen()
		bl.gen = nil
	})
	return bl.b
}

// Attachment describes a stored attachment, as Server.Attachments reports it.
type Attachment struct {
	ID          string // the attachment id, valid for the message id it was read with
	ODataType   string // "#microsoft.graph.fileAttachment", "#microsoft.graph.itemAttachment" or "#microsoft.graph.referenceAttachment"
	Name        string // display name
	ContentType string // MIME type; "" for an item attachment
	Size        int64  // size in bytes
	IsInline    bool   // an inline attachment (an image the HTML body shows with cid:)
	ContentID   string // the cid: of an inline attachment
	Content     []byte // a file attachment's bytes; nil for the others
}

// FileAttachment is a file for Draft.Attachments.
type FileAttachment struct {
	Name        string // file name, e.g. "report.pdf"
	ContentType string // MIME type; "" guesses it from the name and the bytes
	Content     []byte // the file
	IsInline    bool   // inline: the HTML body refers to it as cid:ContentID
	ContentID   string // the content id of an inline attachment
}

// Attachments returns the attachments of message id in user's mailbox ("" = /me), or nil when
// there is no such message.
func (s *Server) Attachments(user, id string) []Attachment {
	now := s.opts.Now()
	s.mu.Lock()
	mb := s.lookupMailboxLocked(user)
	var it *item
	if mb != nil {
		it = mb.items[id]
	}
	s.mu.Unlock()
	if it == nil || !it.visible(now) {
		return nil
	}
	out := make([]Attachment, 0, len(it.msg.attachments))
	for _, a := range it.msg.attachments {
		at := Attachment{
			ID: attachmentID(it.msg.ID, a.n), ODataType: a.kind, Name: a.name, ContentType: a.contentType,
			Size: a.size, IsInline: a.isInline, ContentID: a.contentID,
		}
		if a.content != nil {
			at.Content = append([]byte(nil), a.content.bytes()...)
		}
		out = append(out, at)
	}
	return out
}

// newFileAttachment makes a file attachment. The caller holds the lock (for the sequence).
func (s *Server) newFileAttachment(f FileAttachment, at time.Time) *attachment {
	s.seq++
	ct := f.ContentType
	if ct == "" {
		ct = guessContentType(f.Name, f.Content)
	}
	return &attachment{
		n: s.seq, kind: fileAttachmentType, name: f.Name, contentType: ct, size: int64(len(f.Content)),
		isInline: f.IsInline, contentID: f.ContentID, modified: at.UTC().Truncate(time.Second), content: bytesBlob(f.Content),
	}
}

// guessContentType is the content type of a file posted without one: from the file name's
// extension, else sniffed from the bytes (message-post-attachments answers "image/gif" for a
// GIF named "smile").
func guessContentType(name string, content []byte) string {
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(name))); t != "" {
		t, _, _ = strings.Cut(t, ";")
		return t
	}
	t, _, _ := strings.Cut(http.DetectContentType(content), ";")
	return t
}

// hasFiles is hasAttachments: "This property doesn't include inline attachments, so if a message
// contains only inline attachments, this property is false."
// https://learn.microsoft.com/graph/api/resources/message
func hasFiles(atts []*attachment) bool {
	for _, a := range atts {
		if !a.isInline {
			return true
		}
	}
	return false
}

// setAttachments stores atts on m and makes hasAttachments follow.
func setAttachments(m *Message, atts []*attachment) {
	m.attachments = atts
	m.HasAttachments = hasFiles(atts)
}

// attachmentID is the id of attachment n of the message with id msgID: like Exchange's, the
// message's entry id followed by the attachment's, so it changes when the message moves.
func attachmentID(msgID string, n uint64) string {
	raw, err := base64.URLEncoding.DecodeString(msgID)
	if err != nil {
		raw = []byte(msgID)
	}
	b := make([]byte, 0, len(raw)+21)
	b = append(b, raw...)
	b = append(b, 0x01, 0x12, 0x00, 0x10, 0x00)
	g := bytes16(0x6a09e667f3bcc908, n)
	b = append(b, g[:]...)
	return base64.URLEncoding.EncodeToString(b)
}

// findAttachment returns the attachment of it with id aid.
func findAttachment(it *item, aid string) *attachment {
	for _, a := range it.msg.attachments {
		if attachmentID(it.msg.ID, a.n) == aid {
			return a
		}
	}
	return nil
}

// attSelect is a $select of attachment properties; nil selects all.
type attSelect struct {
	sel   map[string]bool // canonical names
	names []string        // as given, for @odata.context
}

// attachmentProps are the properties $select may name: those of microsoft.graph.attachment,
// and those of the derived types only through a type cast. A derived property without the cast
// is not found, as Graph answers ("Could not find a property named 'contentId' on type
// 'microsoft.graph.attachment'.": https://github.com/microsoftgraph/microsoft-graph-explorer-v4/issues/3916).
var attachmentProps = map[string]string{
	"id": "id", "lastmodifieddatetime": "lastModifiedDateTime", "name": "name", "contenttype": "contentType",
	"size": "size", "isinline": "isInline",
	"microsoft.graph.fileattachment/contentbytes":    "contentBytes",
	"microsoft.graph.fileattachment/contentid":       "contentId",
	"microsoft.graph.fileattachment/contentlocation": "contentLocation",
}

func parseAttSelect(v string) (*attSelect, *apiError) {
	s := &attSelect{sel: map[string]bool{}}
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		canon, ok := attachmentProps[strings.ToLower(name)]
		if !ok {
			if i := strings.LastIndexByte(name, '/'); i >= 0 {
				return nil, errNoProperty(name[i+1:], strings.TrimPrefix(name[:i], "#"))
			}
			return nil, errNoProperty(name, "microsoft.graph.attachment")
		}
		s.sel[canon] = true
		s.names = append(s.names, name)
	}
	if len(s.names) == 0 {
		return nil, nil
	}
	return s, nil
}

// parseAttachmentQuery reads the query of an attachments request: $select only.
func parseAttachmentQuery(raw url.Values) (*attSelect, *apiError) {
	var sel *attSelect
	for key, vals := range raw {
		name := strings.ToLower(strings.TrimPrefix(key, "$"))
		if name != "select" {
			if strings.HasPrefix(key, "$") {
				return nil, newError(http.StatusBadRequest, "BadRequest", "The query parameter '%s' is not supported.", key)
			}
			continue
		}
		if len(vals) > 1 {
			return nil, newError(http.StatusBadRequest, "BadRequest",
				"Query option '$select' was specified more than once, but it must be specified at most once.")
		}
		var e *apiError
		if sel, e = parseAttSelect(vals[0]); e != nil {
			return nil, e
		}
	}
	return sel, nil
}

func (s *attSelect) has(name string) bool { return s == nil || s.sel[name] }

func (s *attSelect) suffix() string {
	if s == nil {
		return ""
	}
	return "(" + strings.Join(s.names, ",") + ")"
}

// appendAttachment appends the JSON object of a, with context first when non-empty, in the order
// of Graph's examples: @odata.type (and, for a file, @odata.mediaContentType), then id,
// lastModifiedDateTime, name, contentType, size, isInline, and a file's contentId,
// contentLocation and contentBytes (base64).
func appendAttachment(b []byte, a *attachment, msgID string, sel *attSelect, context string) []byte {
	b = append(b, '{')
	if context != "" {
		b = append(b, `"@odata.context":`...)
		b = appendString(b, context)
		b = append(b, ',')
	}
	b = append(b, `"@odata.type":`...)
	b = appendString(b, a.kind)
	if a.kind == fileAttachmentType {
		b = append(b, `,"@odata.mediaContentType":`...)
		b = appendNullable(b, a.contentType)
	}
	b = append(b, `,"id":`...)
	b = appendString(b, attachmentID(msgID, a.n))
	if sel.has("lastModifiedDateTime") {
		b = append(b, `,"lastModifiedDateTime":`...)
		b = appendTime(b, a.modified)
	}
	if sel.has("name") {
		b = append(b, `,"name":`...)
		b = appendString(b, a.name)
	}
	if sel.has("contentType") {
		b = append(b, `,"contentType":`...)
		b = appendNullable(b, a.contentType)
	}
	if sel.has("size") {
		b = append(b, `,"size":`...)
		b = strconv.AppendInt(b, a.size, 10)
	}
	if sel.has("isInline") {
		b = append(b, `,"isInline":`...)
		b = strconv.AppendBool(b, a.isInline)
	}
	if a.kind == fileAttachmentType {
		if sel.has("contentId") {
			b = append(b, `,"contentId":`...)
			b = appendNullable(b, a.contentID)
		}
		if sel.has("contentLocation") {
			b = append(b, `,"contentLocation":null`...)
		}
		if sel.has("contentBytes") {
			b = append(b, `,"contentBytes":"`...)
			b = base64.StdEncoding.AppendEncode(b, a.content.bytes())
			b = append(b, '"')
		}
	}
	return append(b, '}')
}

func appendNullable(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}

// attachmentsContext is the @odata.context of message msgID's attachments collection.
func (c *call) attachmentsContext(msgID string) string {
	return c.base + "/$metadata#" + c.userRef + "/messages('" + url.QueryEscape(msgID) + "')/attachments"
}

// appendAttachmentList appends the attachments of it as a JSON array.
func appendAttachmentList(b []byte, it *item, sel *attSelect) []byte {
	b = append(b, '[')
	for i, a := range it.msg.attachments {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendAttachment(b, a, it.msg.ID, sel, "")
	}
	return append(b, ']')
}

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
