package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"
)

// Replies and forwards: createReply, createReplyAll and createForward make a draft in Drafts
// (201 and the draft); reply, replyAll and forward make the same message and send it at once
// (202), its copy in Sent Items like any send.
//
//	https://learn.microsoft.com/graph/api/message-createreply
//	https://learn.microsoft.com/graph/api/message-createreplyall
//	https://learn.microsoft.com/graph/api/message-createforward
//	https://learn.microsoft.com/graph/api/message-reply
//	https://learn.microsoft.com/graph/api/message-replyall
//	https://learn.microsoft.com/graph/api/message-forward
//	https://learn.microsoft.com/graph/api/message-send ("a new message draft, reply draft,
//	reply-all draft, or a forward draft")
//
// The draft is what Exchange makes: the subject with the mailbox language's prefix ("RE: ",
// "FW: ") before the original's subject without its own prefix, the recipients Exchange sets,
// the original's conversationId, a conversationIndex one child block (5 bytes) longer than the
// original's, an HTML body with the new part on top and the original quoted under a
// From/Sent/To/Subject block, the original's attachments on a forward (and its inline images
// on a reply), and the MAPI properties that say what it answers (doc.go, "Replies and
// forwards").

// MAPI properties the emulator sets on responses, as Graph names them in
// singleValueExtendedProperties.
const (
	propInReplyTo     = "String 0x1042"     // PidTagInReplyToId: the original's internetMessageId
	propReferences    = "String 0x1039"     // PidTagInternetReferences: the thread's Message-IDs
	propIconIndex     = "Integer 0x1080"    // PidTagIconIndex
	propLastVerb      = "Integer 0x1081"    // PidTagLastVerbExecuted, on the original
	propLastVerbTime  = "SystemTime 0x1082" // PidTagLastVerbExecutionTime, on the original
	iconReplied       = "261"               // 0x105, "Replied mail"
	iconForwarded     = "262"               // 0x106, "Forwarded mail"
	verbReplyToSender = "102"               // NOTEIVERB_REPLYTOSENDER
	verbReplyToAll    = "103"               // NOTEIVERB_REPLYTOALL
	verbForward       = "104"               // NOTEIVERB_FORWARD
)

// Kinds of response.
const (
	kindReply = iota
	kindReplyAll
	kindForward
)

// responseKind is what a route asks for: which kind, and whether it is sent at once.
type responseKind struct {
	kind int
	send bool
	name string // the action's name, for error messages
}

var responseActions = map[string]responseKind{
	"createreply":    {kindReply, false, "createReply"},
	"createreplyall": {kindReplyAll, false, "createReplyAll"},
	"createforward":  {kindForward, false, "createForward"},
	"reply":          {kindReply, true, "reply"},
	"replyall":       {kindReplyAll, true, "replyAll"},
	"forward":        {kindForward, true, "forward"},
}

// responseAction returns the response a path segment names (createReply, microsoft.graph.reply
// ...), or nil.
func responseAction(seg segment) *responseKind {
	if seg.hasKey {
		return nil
	}
	name := strings.TrimPrefix(strings.ToLower(seg.name), "microsoft.graph.")
	if k, ok := responseActions[name]; ok {
		return &k
	}
	return nil
}

// responseOf is what a response draft answers, so that sending it marks the original as
// replied to or forwarded.
type responseOf struct {
	kind   int
	origID string // the original's id when the draft was made
}

// responseInput is the JSON body of createReply and the others: comment, message and (for a
// forward) toRecipients.
type responseInput struct {
	comment      *string
	message      *messageInput
	toRecipients *[]Recipient
}

// readResponseInput reads the optional body of a response action.
func readResponseInput(r *http.Request, k responseKind) (*responseInput, *apiError) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, errBadJSON()
	}
	if len(data) > maxBody {
		return nil, newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The request body is larger than %d bytes.", maxBody)
	}
	in := &responseInput{}
	if len(bytes.TrimSpace(data)) == 0 {
		return in, nil // "This method does not require a request body."
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, errBadJSON()
	}
	for name, v := range raw {
		switch lname := strings.ToLower(name); {
		case strings.HasPrefix(lname, "@odata."):
		case lname == "comment":
			if err := json.Unmarshal(v, &in.comment); err != nil {
				return nil, newError(http.StatusBadRequest, "RequestBodyRead", "Cannot convert the value of parameter 'comment' to the expected type.")
			}
		case lname == "message":
			m, e := parseMessageInput(v)
			if e != nil {
				return nil, e
			}
			in.message = m
		case lname == "torecipients" && k.kind == kindForward:
			if err := json.Unmarshal(v, &in.toRecipients); err != nil {
				return nil, newError(http.StatusBadRequest, "RequestBodyRead", "Cannot convert the value of parameter 'toRecipients' to the expected type.")
			}
		default:
			return nil, newError(http.StatusBadRequest, "RequestBodyRead",
				"The parameter '%s' in the request payload is not a valid parameter for the operation '%s'.", name, k.name)
		}
	}
	// "Specify either a comment or the body property of the message parameter. Specifying both
	// will return an HTTP 400 Bad Request error." The code and message are a guess.
	if in.comment != nil && in.message != nil && in.message.Body != nil {
		return nil, newError(http.StatusBadRequest, "BadRequest",
			"Specify either a comment or the body property of the message parameter, not both.")
	}
	if k.kind == kindForward && in.toRecipients != nil && in.message != nil && in.message.ToRecipients != nil {
		// "Specify either the toRecipients parameter or the toRecipients property of the message
		// parameter. Specifying both ... will return an HTTP 400 Bad Request error."
		return nil, newError(http.StatusBadRequest, "BadRequest",
			"Specify either the toRecipients parameter or the toRecipients property of the message parameter, not both.")
	}
	return in, nil
}

// respondTo serves POST .../messages/{id}/createReply and the five others.
func (c *call) respondTo(id string, k responseKind) *apiError {
	if k.send && c.lengthRequired() {
		return nil
	}
	in, e := readResponseInput(c.r, k)
	if e != nil {
		return e
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	orig, e := c.lookup(id)
	if e != nil {
		return e
	}
	if k.send && k.kind == kindForward && in.toRecipients == nil && (in.message == nil || in.message.ToRecipients == nil) {
		// "Specifying both or specifying neither will return an HTTP 400 Bad Request error."
		return (&Message{}).errRecipients()
	}
	draft := s.makeResponseLocked(c.mb, orig, k.kind, in, c.now)
	if in.message != nil && len(in.message.Attachments) > 0 {
		// Attachments in the message parameter are added to the draft (not yet stored).
		atts := append([]*attachment{}, draft.msg.attachments...)
		for _, raw := range in.message.Attachments {
			a, e := s.readAttachment(raw, c.now)
			if e != nil {
				return e
			}
			atts = append(atts, a)
		}
		setAttachments(&draft.msg, atts)
	}
	if k.send && (!draft.msg.hasRecipients() || !draft.msg.validRecipients()) {
		return draft.msg.errRecipients()
	}
	c.mb.byName["drafts"].insert(draft)
	if !k.send {
		c.writeMessageLocked(http.StatusCreated, draft)
		return nil
	}
	c.submitLocked(draft)
	c.writeEmpty(http.StatusAccepted)
	return nil
}

// writeMessageLocked is writeMessage for a caller that holds the lock (the item is immutable,
// so rendering under the lock is only slower).
func (c *call) writeMessageLocked(status int, it *item) {
	ctx := c.base + "/$metadata#" + c.userRef + "/messages/$entity"
	c.writeJSON(status, appendMessageWith(make([]byte, 0, 4096), it, nil, c.render(), ctx))
}

// makeResponseLocked builds (does not store) the reply, reply-all or forward of orig in mailbox
// mb. The caller holds the lock.
func (s *Server) makeResponseLocked(mb *mailbox, orig *item, kind int, in *responseInput, now time.Time) *item {
	lang := s.language()
	owner := mb.owner()
	om := &orig.msg
	m := Message{
		IsDraft: true, IsRead: true, Sender: &owner, From: &owner,
		CreatedDateTime: now, LastModifiedDateTime: now,
		ConversationID: om.ConversationID,
		response:       &responseOf{kind: kind, origID: om.ID},
	}
	prefix := lang.reply
	if kind == kindForward {
		prefix = lang.forward
	}
	m.Subject = prefix + normalizedSubject(om.Subject)
	m.ToRecipients, m.CcRecipients = responseRecipients(mb, om, kind)

	// The new part on top: the comment (HTML, as Graph takes it), or the body of the message
	// parameter (a guess: Graph puts it where the comment would go).
	top := ""
	if in.comment != nil {
		top = *in.comment
	} else if in.message != nil && in.message.Body != nil {
		top = htmlInner(*in.message.Body)
	}
	m.Body = ItemBody{ContentType: contentHTML, Content: responseBody(top, om, lang)}

	// A forward carries the original's attachments; a reply its inline images only, which the
	// quoted body shows (a guess for replies: MAPI's "Sending a reply" leaves attachments out,
	// and Outlook keeps the images of the quote).
	var atts []*attachment
	for _, a := range om.attachments {
		if kind == kindForward || a.isInline {
			atts = append(atts, a)
		}
	}
	setAttachments(&m, atts)

	refs := om.InternetMessageID
	for _, p := range om.ExtendedProperties {
		if strings.EqualFold(p.ID, propReferences) && p.Value != "" {
			refs = p.Value + " " + om.InternetMessageID
		}
	}
	props := []ExtendedProperty{{ID: propReferences, Value: refs}}
	if kind == kindForward {
		props = append(props, ExtendedProperty{ID: propIconIndex, Value: iconForwarded})
	} else {
		props = append(props, ExtendedProperty{ID: propInReplyTo, Value: om.InternetMessageID},
			ExtendedProperty{ID: propIconIndex, Value: iconReplied})
	}
	setProps(&m, props)

	if in.message != nil {
		rest := *in.message
		rest.Body, rest.Attachments = nil, nil
		rest.apply(&m)
	}
	if in.toRecipients != nil {
		m.ToRecipients = append([]Recipient{}, *in.toRecipients...)
	}
	s.seq++
	m.ConversationIndex = childConversationIndex(om.ConversationIndex, now, s.seq)
	return s.newItem(mb, m, "", now)
}

// responseRecipients are the recipients Exchange gives a response: a reply goes to the
// original's replyTo, else its sender (to the original's recipients when the sender is the
// mailbox owner); a reply-all also to the original's other To recipients, and Cc to its Cc,
// without the mailbox owner; a forward to no one.
func responseRecipients(mb *mailbox, om *Message, kind int) (to, cc []Recipient) {
	if kind == kindForward {
		return []Recipient{}, []Recipient{}
	}
	me := strings.ToLower(mb.upn)
	isMe := func(r Recipient) bool { return strings.ToLower(r.EmailAddress.Address) == me }
	fromMe := om.From != nil && isMe(*om.From)
	switch {
	case fromMe:
		to = cloneRecipients(om.ToRecipients)
	case len(om.ReplyTo) > 0:
		to = cloneRecipients(om.ReplyTo)
	case om.From != nil:
		to = []Recipient{*om.From}
	}
	cc = []Recipient{}
	if kind == kindReplyAll {
		if !fromMe {
			to = append(to, om.ToRecipients...)
		}
		cc = append(cc, om.CcRecipients...)
	}
	seen := map[string]bool{}
	keep := func(rs []Recipient) []Recipient {
		out := []Recipient{}
		for _, r := range rs {
			a := strings.ToLower(r.EmailAddress.Address)
			if seen[a] || (isMe(r) && !fromMe) {
				continue
			}
			seen[a] = true
			out = append(out, r)
		}
		return out
	}
	to = keep(to)
	return to, keep(cc)
}

// normalizedSubject is the subject without its prefix: "PR_SUBJECT must begin with one, two, or
// three letters (alphabetic only) followed by a colon and a space. If such a substring is found
// at the beginning of PR_SUBJECT, it then becomes PR_SUBJECT_PREFIX" (PidTagSubjectPrefix,
// https://learn.microsoft.com/office/client-developer/outlook/mapi/pidtagsubjectprefix-canonical-property).
func normalizedSubject(subject string) string {
	letters := 0
	for i, r := range subject {
		switch {
		case unicode.IsLetter(r) && letters < 3:
			letters++
		case r == ':' && letters > 0 && strings.HasPrefix(subject[i+1:], " "):
			return subject[i+2:]
		default:
			return subject
		}
	}
	return subject
}

// language is how Outlook writes responses in one language: the subject prefixes and the
// labels and date of the quoted header. A guess from Outlook's UI in each language; only the
// subject prefixes matter to a client, and a client must not rely on them (doc.go).
type language struct {
	reply, forward              string // subject prefixes, colon and space included
	from, sent, to, cc, subject string // header labels
	date                        string // Go layout of the Sent: line
}

var languages = map[string]language{
	"en": {"RE: ", "FW: ", "From", "Sent", "To", "Cc", "Subject", "Monday, January 2, 2006 3:04 PM"},
	"de": {"AW: ", "WG: ", "Von", "Gesendet", "An", "Cc", "Betreff", "02.01.2006 15:04"},
	"es": {"RE: ", "RV: ", "De", "Enviado", "Para", "CC", "Asunto", "02/01/2006 15:04"},
	"it": {"R: ", "I: ", "Da", "Inviato", "A", "Cc", "Oggetto", "02/01/2006 15:04"},
	"nl": {"RE: ", "FW: ", "Van", "Verzonden", "Aan", "CC", "Onderwerp", "02-01-2006 15:04"},
	"sv": {"SV: ", "VB: ", "Från", "Skickat", "Till", "Kopia", "Ämne", "2006-01-02 15:04"},
	"nb": {"SV: ", "VS: ", "Fra", "Sendt", "Til", "Kopi", "Emne", "02.01.2006 15:04"},
	"no": {"SV: ", "VS: ", "Fra", "Sendt", "Til", "Kopi", "Emne", "02.01.2006 15:04"},
	"da": {"SV: ", "VS: ", "Fra", "Sendt", "Til", "Cc", "Emne", "02-01-2006 15:04"},
	"fi": {"VS: ", "VL: ", "Lähettäjä", "Lähetetty", "Vastaanottaja", "Kopio", "Aihe", "2.1.2006 15.04"},
	"pl": {"Odp: ", "PD: ", "Od", "Wysłane", "Do", "DW", "Temat", "02.01.2006 15:04"},
}

// language returns Options.Language's entry (English when unknown).
func (s *Server) language() language {
	tag := strings.ToLower(s.opts.Language)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if l, ok := languages[tag]; ok {
		return l
	}
	return languages["en"]
}

// responseBody is the HTML body of a response: top, then the quoted original in the form
// Outlook on the web and Exchange write it (an hr, then div#divRplyFwdMsg with the header).
func responseBody(top string, om *Message, lang language) string {
	var sb strings.Builder
	sb.WriteString("<html><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n</head>\r\n<body>\r\n")
	if top != "" {
		sb.WriteString("<div>" + top + "</div>\r\n")
	}
	sb.WriteString("<div id=\"appendonsend\"></div>\r\n<hr style=\"display:inline-block;width:98%\" tabindex=\"-1\">\r\n")
	sb.WriteString("<div id=\"divRplyFwdMsg\" dir=\"ltr\"><font face=\"Calibri, sans-serif\" style=\"font-size:11pt\" color=\"#000000\">")
	from := ""
	if om.From != nil {
		from = headerAddress(*om.From)
	}
	sb.WriteString("<b>" + lang.from + ":</b> " + from + "<br>\r\n")
	sent := om.CreatedDateTime
	if om.SentDateTime != nil {
		sent = *om.SentDateTime
	}
	sb.WriteString("<b>" + lang.sent + ":</b> " + sent.UTC().Format(lang.date) + "<br>\r\n")
	sb.WriteString("<b>" + lang.to + ":</b> " + headerAddresses(om.ToRecipients) + "<br>\r\n")
	if len(om.CcRecipients) > 0 {
		sb.WriteString("<b>" + lang.cc + ":</b> " + headerAddresses(om.CcRecipients) + "<br>\r\n")
	}
	sb.WriteString("<b>" + lang.subject + ":</b> " + html.EscapeString(om.Subject) + "</font>\r\n<div>&nbsp;</div>\r\n</div>\r\n")
	sb.WriteString("<div>" + htmlInner(om.Body) + "</div>\r\n</body>\r\n</html>\r\n")
	return sb.String()
}

func headerAddress(r Recipient) string {
	if r.EmailAddress.Name == "" {
		return html.EscapeString(r.EmailAddress.Address)
	}
	return html.EscapeString(r.EmailAddress.Name + " <" + r.EmailAddress.Address + ">")
}

func headerAddresses(rs []Recipient) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = headerAddress(r)
	}
	return strings.Join(parts, "; ")
}

// htmlInner is a body as an HTML fragment: the content of an HTML body's <body>, or a text
// body escaped, its lines broken with <br>.
func htmlInner(b ItemBody) string {
	if !strings.EqualFold(b.ContentType, contentHTML) {
		lines := strings.Split(strings.ReplaceAll(b.Content, "\r\n", "\n"), "\n")
		for i, l := range lines {
			lines[i] = html.EscapeString(l)
		}
		return "<div class=\"PlainText\">" + strings.Join(lines, "<br>\r\n") + "</div>"
	}
	return strings.TrimSpace(bodyInner(b.Content))
}

// childConversationIndex appends a child block to a conversation index: "a header block that
// is 22 bytes in length, followed by zero or more child blocks each 5 bytes in length", a child
// block being a time flag and 31 bits of the time since the header's, 4 random bits and a
// 4-bit sequence count (Tracking conversations,
// https://learn.microsoft.com/office/client-developer/outlook/mapi/tracking-conversations).
func childConversationIndex(parent string, now time.Time, n uint64) string {
	raw, err := base64.StdEncoding.DecodeString(parent)
	if err != nil || len(raw) < 22 {
		raw, _ = base64.StdEncoding.DecodeString(conversationIndex(n, n, now.Unix()))
	}
	var head uint64 // the header's time, in the 100 ns units of ids.go's conversationIndex
	for _, b := range raw[1:6] {
		head = head<<8 | uint64(b)
	}
	delta := uint64(0)
	if t := uint64(now.Unix()) * 10_000_000; t > head<<16 {
		delta = t - head<<16
	}
	var v uint32
	if delta < 1<<49 {
		v = uint32(delta>>18) & 0x7fffffff
	} else {
		v = 1<<31 | uint32(delta>>23)&0x7fffffff
	}
	var block [5]byte
	binary.BigEndian.PutUint32(block[:4], v)
	block[4] = byte(mix(n)&0x0f)<<4 | byte((len(raw)-22)/5)&0x0f
	out := append(append([]byte{}, raw...), block[:]...)
	return base64.StdEncoding.EncodeToString(out)
}

// lengthRequired answers a POST without Content-Length as HTTP.sys does (see sendMessage) and
// reports whether it did.
func (c *call) lengthRequired() bool {
	if c.r.Header.Get("Content-Length") != "" && c.r.ContentLength >= 0 {
		return false
	}
	c.w.Header().Set("Content-Type", "text/html; charset=us-ascii")
	c.w.WriteHeader(http.StatusLengthRequired)
	_, _ = c.w.Write([]byte(lengthRequiredPage))
	return true
}

// markAnswered records on the original of a response being sent that it was replied to or
// forwarded: PidTagLastVerbExecuted (102 reply, 103 reply all, 104 forward),
// PidTagLastVerbExecutionTime and PidTagIconIndex (261 replied, 262 forwarded), as Outlook and
// Exchange do. The original is a new version (new changeKey). The caller holds the lock.
func (c *call) markAnswered(r *responseOf, at time.Time) {
	orig := c.mb.items[r.origID]
	if orig == nil || !orig.visible(c.at) {
		return // gone: nothing to mark
	}
	verb, icon := verbReplyToSender, iconReplied
	switch r.kind {
	case kindReplyAll:
		verb = verbReplyToAll
	case kindForward:
		verb, icon = verbForward, iconForwarded
	}
	m := orig.msg.clone()
	setProps(&m, []ExtendedProperty{
		{ID: propLastVerb, Value: verb},
		{ID: propLastVerbTime, Value: at.UTC().Truncate(time.Second).Format(graphTime)},
		{ID: propIconIndex, Value: icon},
	})
	c.s.reviseLocked(c, orig, m)
}
