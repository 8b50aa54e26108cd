package emulator

import (
	"net/url"
	"strings"
	"time"
	"unicode"
)

// item is a stored message. Items are immutable once stored: an update stores a new item under the
// same id, so a listing can render items after the store lock is released.
type item struct {
	msg         Message
	text        string    // the body as plain text (for bodyPreview, Prefer text and $search)
	availableAt time.Time // the item is invisible to clients before this time (sent copies)
	goneAt      time.Time // and, when set, from this time on (a deferred send leaving the Outbox)
	// pendingCopy, when set, is the Sent Items copy (not yet visible) of a deferred send kept
	// in Drafts (Options.DeferredInDrafts): the item is submitted, not editable, until goneAt.
	pendingCopy *item
	// outboxCopy, when set, is the Sent Items copy (not yet visible) of a deferred send waiting
	// in the Outbox: moving or deleting the Outbox item before its time withdraws it.
	outboxCopy *item
	folder     *folder
	seq        uint64 // creation sequence number, for deterministic derived values
}

// visible reports whether the item can be seen by clients at now.
func (it *item) visible(now time.Time) bool {
	return !now.Before(it.availableAt) && (it.goneAt.IsZero() || now.Before(it.goneAt))
}

// folder is a mail folder and its items, with cached sort orders.
type folder struct {
	mb           *mailbox
	id           string
	wellKnown    string // lower-case well-known name, e.g. "drafts"
	displayName  string
	parentID     string
	hidden       bool
	items        map[string]*item
	version      uint64    // bumped on every change to items
	log          []change  // the changes, for delta queries (delta.go)
	logStart     uint64    // delta tokens older than this version have expired
	pendingUntil time.Time // no item is invisible at or after this time
	sorted       map[string]*sortedView
}

// sortedView is a cached, immutable sort of a folder's items for one $orderby.
type sortedView struct {
	version uint64
	items   []*item
}

// mailbox is one user's mailbox.
type mailbox struct {
	upn         string
	displayName string
	objectID    string
	seed        uint64
	guid        []byte // the mailbox GUID as ASCII, embedded in ids
	store       [16]byte
	store2      [16]byte
	root        *folder
	folders     []*folder
	byName      map[string]*folder
	byID        map[string]*folder
	items       map[string]*item
	byImmutable map[string]*item // by immutable id (immutable.go)
}

// wellKnownFolders are the folders every mailbox has, in the order Graph lists them.
var wellKnownFolders = []struct{ name, display string }{
	{"archive", "Archive"},
	{"deleteditems", "Deleted Items"},
	{"drafts", "Drafts"},
	{"inbox", "Inbox"},
	{"junkemail", "Junk Email"},
	{"outbox", "Outbox"},
	{"sentitems", "Sent Items"},
}

// neverSettled is a folder's pendingUntil once it holds an item that
// disappears at a time (the Outbox).
var neverSettled = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// newMailbox returns an empty mailbox for upn with its well-known folders.
func newMailbox(upn string) *mailbox {
	seed := mailboxSeed(upn)
	mb := &mailbox{
		upn:         upn,
		displayName: displayNameFromUPN(upn),
		objectID:    formatGUID(bytes16(seed, 1)),
		seed:        seed,
		guid:        []byte(formatGUID(bytes16(seed, 2))),
		store:       bytes16(seed, 3),
		store2:      bytes16(seed, 4),
		byName:      map[string]*folder{},
		byID:        map[string]*folder{},
		items:       map[string]*item{},
		byImmutable: map[string]*item{},
	}
	mb.root = mb.newFolder(0, "msgfolderroot", "Top of Information Store", "")
	mb.root.hidden = true
	for i, wk := range wellKnownFolders {
		mb.folders = append(mb.folders, mb.newFolder(byte(i+1), wk.name, wk.display, mb.root.id))
	}
	return mb
}

func (mb *mailbox) newFolder(index byte, name, display, parent string) *folder {
	f := &folder{
		mb:          mb,
		id:          mb.folderID(index),
		wellKnown:   name,
		displayName: display,
		parentID:    parent,
		items:       map[string]*item{},
		sorted:      map[string]*sortedView{},
	}
	mb.byName[name] = f
	mb.byID[f.id] = f
	return f
}

// folder resolves a folder reference: a well-known name (case-insensitive) or a folder id.
func (mb *mailbox) folder(ref string) *folder {
	if f := mb.byName[strings.ToLower(ref)]; f != nil {
		return f
	}
	return mb.byID[ref]
}

// owner returns the mailbox owner as a recipient.
func (mb *mailbox) owner() Recipient { return Addr(mb.displayName, mb.upn) }

// displayNameFromUPN turns "adele.vance@contoso.example" into "Adele Vance".
func displayNameFromUPN(upn string) string {
	local, _, _ := strings.Cut(upn, "@")
	parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' })
	for i, p := range parts {
		r := []rune(p)
		r[0] = unicode.ToUpper(r[0])
		parts[i] = string(r)
	}
	if len(parts) == 0 {
		return upn
	}
	return strings.Join(parts, " ")
}

// insert stores it in f. The caller holds the server lock.
func (f *folder) insert(it *item) {
	it.folder = f
	it.msg.ParentFolderID = f.id
	f.items[it.msg.ID] = it
	f.mb.items[it.msg.ID] = it
	f.mb.byImmutable[it.msg.immutableID] = it
	f.version++
	f.logChange(it.msg.ID, "")
	if it.availableAt.After(f.pendingUntil) {
		f.pendingUntil = it.availableAt
	}
	if !it.goneAt.IsZero() {
		f.pendingUntil = neverSettled // it disappears later: always check visibility
	}
}

// remove deletes it from its folder. The caller holds the server lock.
func (f *folder) remove(it *item) {
	delete(f.items, it.msg.ID)
	delete(f.mb.items, it.msg.ID)
	if f.mb.byImmutable[it.msg.immutableID] == it {
		delete(f.mb.byImmutable, it.msg.immutableID)
	}
	f.version++
	reason := "changed" // it left the folder: moved, or deleted to Deleted Items
	if f.wellKnown == "deleteditems" {
		reason = "deleted" // gone for good
	}
	f.logChange(it.msg.ID, reason)
}

// replace swaps the stored item with the same id for it. The caller holds the server lock.
func (f *folder) replace(it *item) {
	it.folder = f
	f.items[it.msg.ID] = it
	f.mb.items[it.msg.ID] = it
	f.mb.byImmutable[it.msg.immutableID] = it
	f.version++
	f.logChange(it.msg.ID, "")
	if !it.goneAt.IsZero() {
		f.pendingUntil = neverSettled // it disappears later: always check visibility
	}
}

// view returns f's items sorted by keys (nil = Graph's default order). The returned slice is
// shared and must not be modified. The caller holds the server lock.
func (f *folder) view(keys []orderKey) []*item {
	k := orderKeyString(keys)
	if v := f.sorted[k]; v != nil && v.version == f.version {
		return v.items
	}
	items := make([]*item, 0, len(f.items))
	for _, it := range f.items {
		items = append(items, it)
	}
	sortItems(items, keys)
	f.sorted[k] = &sortedView{version: f.version, items: items}
	return items
}

// newItem completes m (ids, dates, derived fields) as a new item of mailbox mb and returns it.
// The caller holds the server lock (for the sequence number).
func (s *Server) newItem(mb *mailbox, m Message, text string, now time.Time) *item {
	s.seq++
	n := s.seq
	m.ID = mb.messageID(n)
	if m.immutableID == "" {
		m.immutableID = mb.immutableID(n) // kept by the copies a move makes (immutable.go)
	}
	if m.CreatedDateTime.IsZero() {
		m.CreatedDateTime = now
	}
	if m.LastModifiedDateTime.IsZero() {
		m.LastModifiedDateTime = m.CreatedDateTime
	}
	if m.ReceivedDateTime.IsZero() {
		m.ReceivedDateTime = m.CreatedDateTime
	}
	m.CreatedDateTime = m.CreatedDateTime.UTC().Truncate(time.Second)
	m.LastModifiedDateTime = m.LastModifiedDateTime.UTC().Truncate(time.Second)
	m.ReceivedDateTime = m.ReceivedDateTime.UTC().Truncate(time.Second)
	if m.InternetMessageID == "" {
		m.InternetMessageID = internetMessageID(mb.seed, n)
	}
	if m.ConversationID == "" {
		m.ConversationID = mb.conversationID(n)
	}
	if m.ConversationIndex == "" {
		m.ConversationIndex = conversationIndex(mb.seed, n, m.CreatedDateTime.Unix())
	}
	if m.Importance == "" {
		m.Importance = "normal"
	}
	if m.InferenceClassification == "" {
		m.InferenceClassification = "focused"
	}
	if m.Flag.FlagStatus == "" {
		m.Flag.FlagStatus = "notFlagged"
	}
	if m.Body.ContentType == "" {
		m.Body.ContentType = contentText
	}
	if m.Categories == nil {
		m.Categories = []string{}
	}
	for _, rs := range []*[]Recipient{&m.ToRecipients, &m.CcRecipients, &m.BccRecipients, &m.ReplyTo} {
		if *rs == nil {
			*rs = []Recipient{}
		}
	}
	if text == "" {
		text = bodyText(m.Body)
	}
	if m.BodyPreview == "" {
		m.BodyPreview = preview(text)
	}
	m.WebLink = webLink(m.ID)
	it := &item{msg: m, text: text, seq: n}
	it.touch(mb.seed, n)
	return it
}

// touch gives it a new changeKey and ETag (revision rev).
func (it *item) touch(seed, rev uint64) {
	it.msg.ChangeKey = changeKey(seed, rev)
	it.msg.ETag = `W/"` + it.msg.ChangeKey + `"`
}

// webLink is the Outlook on the web link Graph puts in webLink.
func webLink(id string) string {
	return "https://outlook.office365.com/owa/?ItemID=" + url.QueryEscape(id) +
		"&exvsurl=1&viewmodel=ReadMessageItem"
}
