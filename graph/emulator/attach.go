package emulator

import (
	"encoding/base64"
	"mime"
	"net/http"
	"path"
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
