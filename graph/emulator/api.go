package emulator

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Draft describes a message for AddDraft. Every field may hold any value, hostile ones included
// (escape sequences, invalid UTF-8, huge subjects): they are stored as given.
type Draft struct {
	// User is the mailbox UPN; "" means Options.User. A mailbox is created on demand.
	User string
	// Folder is a well-known folder name; "" means "drafts".
	Folder string

	Subject  string      // subject, stored as given
	Body     string      // body content, stored as given
	BodyType string      // "text" (default) or "html"
	To       []Recipient // To recipients
	Cc       []Recipient // Cc recipients
	Bcc      []Recipient // Bcc recipients
	ReplyTo  []Recipient // Reply-To addresses
	// From is the sender; nil means the mailbox owner.
	From *Recipient

	Importance string // "low", "normal" (default) or "high"
	// HasAttachments without Attachments attaches a small generated PDF, so that hasAttachments
	// and the attachments a client lists agree.
	HasAttachments bool
	// Attachments are stored as file attachments (hasAttachments is true when one is not
	// inline).
	Attachments []FileAttachment
	Categories  []string // Outlook categories
	// Unread marks the message unread (drafts are read by default).
	Unread bool
	// NotDraft stores a message with isDraft false (as if received or sent).
	NotDraft bool

	// Created defaults to the clock (or to LastModified when that is earlier).
	Created time.Time
	// LastModified defaults to Created.
	LastModified time.Time
	// Sent sets sentDateTime (and receivedDateTime); zero means null, as for a draft.
	Sent time.Time

	// InternetMessageID defaults to a generated Message-ID.
	InternetMessageID string
	// ConversationID defaults to a generated conversation id.
	ConversationID string
}

// AddMailbox makes an empty mailbox for upn reachable under /users/{upn} (upn is matched
// case-insensitively). It does nothing if the mailbox exists.
func (s *Server) AddMailbox(upn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addMailboxLocked(upn)
}

func (s *Server) addMailboxLocked(upn string) *mailbox {
	if mb := s.mailboxes[strings.ToLower(upn)]; mb != nil {
		return mb
	}
	mb := newMailbox(upn)
	s.mailboxes[strings.ToLower(upn)] = mb
	s.byObject[strings.ToLower(mb.objectID)] = mb
	return mb
}

// lookupMailboxLocked finds a mailbox by UPN or object id; "" is /me.
func (s *Server) lookupMailboxLocked(ref string) *mailbox {
	if ref == "" {
		return s.me
	}
	if mb := s.mailboxes[strings.ToLower(ref)]; mb != nil {
		return mb
	}
	return s.byObject[strings.ToLower(ref)]
}

// AddDraft stores d and returns the message as stored, with id, internetMessageId, dates and the
// other server-side properties filled in.
func (s *Server) AddDraft(d Draft) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb := s.me
	if d.User != "" {
		mb = s.addMailboxLocked(d.User)
	}
	f := mb.folder(d.Folder)
	if f == nil {
		f = mb.byName["drafts"]
	}
	it := s.itemFromDraft(mb, d, "", s.now())
	f.insert(it)
	return it.msg.clone()
}

// itemFromDraft builds an item from d; text, if non-empty, is the body's known plain text. The
// caller holds the lock.
func (s *Server) itemFromDraft(mb *mailbox, d Draft, text string, now time.Time) *item {
	owner := mb.owner()
	from := &owner
	if d.From != nil {
		r := *d.From
		from = &r
	}
	bodyType := strings.ToLower(d.BodyType)
	if bodyType == "" {
		bodyType = contentText
	}
	m := Message{
		Subject:              d.Subject,
		Body:                 ItemBody{ContentType: bodyType, Content: d.Body},
		ToRecipients:         cloneRecipients(d.To),
		CcRecipients:         cloneRecipients(d.Cc),
		BccRecipients:        cloneRecipients(d.Bcc),
		ReplyTo:              cloneRecipients(d.ReplyTo),
		Sender:               from,
		From:                 from,
		Importance:           d.Importance,
		HasAttachments:       d.HasAttachments,
		Categories:           append([]string{}, d.Categories...),
		IsRead:               !d.Unread,
		IsDraft:              !d.NotDraft,
		CreatedDateTime:      d.Created,
		LastModifiedDateTime: d.LastModified,
		InternetMessageID:    d.InternetMessageID,
		ConversationID:       d.ConversationID,
	}
	if m.CreatedDateTime.IsZero() {
		m.CreatedDateTime = now
		if !d.LastModified.IsZero() && d.LastModified.Before(now) {
			m.CreatedDateTime = d.LastModified
		}
	}
	if !d.Sent.IsZero() {
		t := d.Sent.UTC().Truncate(time.Second)
		m.SentDateTime = &t
		m.ReceivedDateTime = t
	}
	var atts []*attachment
	for _, f := range d.Attachments {
		atts = append(atts, s.newFileAttachment(f, m.CreatedDateTime))
	}
	if d.HasAttachments && len(atts) == 0 {
		atts = append(atts, s.placeholderAttachment(m.CreatedDateTime))
	}
	setAttachments(&m, atts)
	return s.newItem(mb, m, text, now)
}

// placeholderPDF is the file of a draft added with HasAttachments and no Attachments.
var placeholderPDF = sync.OnceValue(func() []byte {
	return makePDF("Attachment", "This document was attached by the Graph emulator.")
})

// placeholderAttachment is a small PDF for a draft that has attachments but names none. The
// caller holds the lock.
func (s *Server) placeholderAttachment(at time.Time) *attachment {
	s.seq++
	b := placeholderPDF()
	return &attachment{n: s.seq, kind: fileAttachmentType, name: "Attachment.pdf", contentType: "application/pdf",
		size: int64(len(b)), modified: at.UTC().Truncate(time.Second), content: bytesBlob(b)}
}

// Drafts returns a snapshot of the drafts of user's mailbox ("" = /me), newest
// lastModifiedDateTime first. It returns nil for an unknown user.
func (s *Server) Drafts(user string) []Message {
	return s.snapshot(user, "drafts", func(a, b *item) int {
		return b.msg.LastModifiedDateTime.Compare(a.msg.LastModifiedDateTime)
	})
}

// Sent returns a snapshot of the messages visible in Sent Items of user's mailbox ("" = /me) at
// the current clock, newest sentDateTime first. Copies still within the send delay are not
// included, exactly as a client would not see them.
func (s *Server) Sent(user string) []Message {
	return s.snapshot(user, "sentitems", func(a, b *item) int {
		return compareOptTime(b.msg.SentDateTime, a.msg.SentDateTime)
	})
}

// Messages returns a snapshot of the visible messages in a well-known folder ("drafts",
// "sentitems", "deleteditems", ...) of user's mailbox ("" = /me), in Graph's default order.
func (s *Server) Messages(user, folder string) []Message {
	return s.snapshot(user, folder, nil)
}

func (s *Server) snapshot(user, folderName string, cmp func(a, b *item) int) []Message {
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	mb := s.lookupMailboxLocked(user)
	if mb == nil {
		return nil
	}
	f := mb.folder(folderName)
	if f == nil {
		return nil
	}
	items := make([]*item, 0, len(f.items))
	for _, it := range f.view(nil) {
		if it.visible(now) {
			items = append(items, it)
		}
	}
	if cmp != nil {
		slices.SortStableFunc(items, cmp)
	}
	out := make([]Message, len(items))
	for i, it := range items {
		out[i] = it.msg.clone()
	}
	return out
}

// UnusedID returns a well-formed message id that no message has, for tests of 404 answers
// (Graph answers a malformed id with 400 ErrorInvalidIdMalformed instead).
func (s *Server) UnusedID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.me.messageID(1<<47 + s.seq)
}
