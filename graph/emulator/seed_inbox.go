package emulator

import (
	"encoding/hex"
	"strings"
	"time"
)

// The demo mailbox's received mail, its threads, and the replies and forwards made from it.

// demoFile makes one attachment of a demo message. The caller holds the lock.
type demoFile func(s *Server, at time.Time) *attachment

// pdfFile attaches a one-page PDF.
func pdfFile(name, title string, lines ...string) demoFile {
	return func(s *Server, at time.Time) *attachment {
		return s.newFileAttachment(FileAttachment{Name: name, ContentType: "application/pdf", Content: makePDF(title, lines...)}, at)
	}
}

// csvFile attaches the large CSV export, made the first time a client reads it.
func csvFile(name string) demoFile {
	return func(s *Server, at time.Time) *attachment {
		s.seq++
		return &attachment{n: s.seq, kind: fileAttachmentType, name: name, contentType: "text/csv", size: demoCSVSize,
			modified: at.UTC().Truncate(time.Second), content: lazyBlob(func() []byte { return budgetCSV(demoCSVSize) })}
	}
}

// inlineImage attaches the chart as an inline image the HTML body shows as cid:contentID.
func inlineImage(name, contentID string) demoFile {
	return func(s *Server, at time.Time) *attachment {
		return s.newFileAttachment(FileAttachment{Name: name, ContentType: "image/png", Content: chartPNG(), IsInline: true, ContentID: contentID}, at)
	}
}

// itemFile attaches a message as an item attachment.
func itemFile(name string, m Message) demoFile {
	return func(s *Server, at time.Time) *attachment {
		s.seq++
		return &attachment{n: s.seq, kind: itemAttachmentType, name: name, size: int64(len(m.Body.Content)) + 6144,
			modified: at.UTC().Truncate(time.Second), item: &m}
	}
}

// referenceFile attaches a link to a file in the cloud.
func referenceFile(name, contentType string, size int64) demoFile {
	return func(s *Server, at time.Time) *attachment {
		s.seq++
		return &attachment{n: s.seq, kind: referenceAttachmentType, name: name, contentType: contentType, size: size,
			modified: at.UTC().Truncate(time.Second)}
	}
}

// attachDemoFiles stores the files on it (not yet in a folder). The caller holds the lock.
func (s *Server) attachDemoFiles(it *item, files []demoFile) {
	atts := append([]*attachment{}, it.msg.attachments...)
	for _, f := range files {
		atts = append(atts, f(s, it.msg.CreatedDateTime))
	}
	setAttachments(&it.msg, atts)
}

// demoMail is a message received in the demo Inbox.
type demoMail struct {
	key   string // names it for the threads and responses below
	age   time.Duration
	d     Draft // From, To, Cc, Subject, Body, BodyType, Unread, Importance
	files []demoFile
	// replyTo, if set, is the key of the message this one replies to (quoting it as Outlook
	// does, in lang).
	replyTo string
	lang    string
}

var (
	servicedesk = Addr("Contoso IT Service Desk", "servicedesk@contoso.example")
)

var demoInbox = []demoMail{
	{key: "invoice", age: 26 * time.Hour, d: Draft{
		From:    &fabrikAP,
		To:      []Recipient{Addr("Adele Vance", DefaultUser)},
		Subject: "Invoice INV-20417 from Fabrikam",
		Body: "Dear customer,\n\nPlease find attached invoice INV-20417 for the April consulting services " +
			"(EUR 18,450.00, due within 30 days).\n\nKind regards,\nFabrikam Accounts Payable\nap@fabrikam.example",
	}, files: []demoFile{pdfFile("INV-20417.pdf", "Fabrikam Ltd. — Invoice INV-20417",
		"Bill to: Contoso Ltd., Finance", "Consulting services, April 2024", "Amount due: EUR 18,450.00", "Due date: 5 June 2024")}},
	{key: "lieferanten", age: 6 * time.Hour, replyTo: "lieferanten-orig", lang: "de", d: Draft{
		From:     &johanna,
		To:       []Recipient{Addr("Adele Vance", DefaultUser)},
		Subject:  "AW: Lieferantenliste Q3",
		BodyType: "html",
		Body: "<p>Hallo Adele,</p><p>die Liste ist vollständig bis auf Litware: deren Rahmenvertrag läuft im September aus. " +
			"Ich schlage vor, wir verlängern um zwölf Monate.</p><p>Viele Grüße<br>Johanna</p>",
	}},
	{key: "northwind", age: 5 * time.Hour, d: Draft{
		From:     &nestor,
		To:       []Recipient{Addr("Adele Vance", DefaultUser), isaiah, johanna},
		Cc:       []Recipient{miriam},
		Subject:  "Northwind API contract — draft v2 for review",
		BodyType: "html",
		Body: "<html><body><p>Hi all,</p><p>Attached is v2 of the Northwind API contract. Changes since v1: rate limits are " +
			"per tenant, the SLA moves to 99.9%, and the data residency clause now covers APAC.</p>" +
			"<p>Please send comments by Wednesday.</p><p>Nestor</p></body></html>",
	}, files: []demoFile{pdfFile("Northwind-API-contract-v2.pdf", "Northwind API contract — draft v2",
		"1. Rate limits: 600 requests per minute per tenant", "2. Availability: 99.9% monthly", "3. Data residency: EU, US and APAC regions")}},
	{key: "boarddeck", age: 3 * time.Hour, d: Draft{
		From:     &miriam,
		To:       []Recipient{Addr("Adele Vance", DefaultUser)},
		Subject:  "Board deck — final version",
		BodyType: "html",
		Body: "<html><body><p>Adele,</p><p>Here is the final board deck. Could you check slide 7 (churn) before I send it " +
			"to the board tonight?</p><p>Thanks,<br>Miriam</p></body></html>",
	}, files: []demoFile{pdfFile("Board-deck-Q2-final.pdf", "Contoso — Board meeting, Q2 review",
		"Slide 3: revenue +11%", "Slide 7: churn 2.1%", "Slide 12: office move timeline")}},
	{key: "cloudline", age: 2 * time.Hour, d: Draft{
		From:     &megan,
		To:       []Recipient{Addr("Adele Vance", DefaultUser)},
		Cc:       []Recipient{alex},
		Subject:  "Cloud line in the Q3 figures",
		BodyType: "html",
		Body: "<html><body><p>Hi Adele,</p><p>Quick question before I confirm: does the 8% increase on cloud spend include " +
			"the analytics cluster's storage, or only compute?</p><p>Megan</p></body></html>",
	}},
	{key: "servicedesk", age: 40 * time.Minute, d: Draft{
		From:    &servicedesk,
		To:      []Recipient{Addr("Adele Vance", DefaultUser)},
		Subject: "Your laptop refresh is scheduled",
		Body: "Hello Adele,\n\nYour laptop refresh is scheduled for Thursday at 10:00 in room 2.14. Please back up any local " +
			"files beforehand; it takes about 45 minutes.\n\nContoso IT Service Desk",
		Unread: true,
	}},
	{key: "lunch", age: 20 * time.Minute, d: Draft{
		From:    &patti,
		To:      []Recipient{Addr("Adele Vance", DefaultUser)},
		Subject: "Lunch menu for Thursday",
		Body:    "Hi Adele,\n\nThe pizza place can do a vegan option and gluten-free bases if we order by Wednesday. Want me to book?\n\nPatti",
		Unread:  true,
	}},
}

// demoThreadStart is Adele's message that Johanna's "AW:" answers, in Sent Items.
var demoThreadStart = demoDraft{3 * 24 * time.Hour, Draft{
	Subject: "Lieferantenliste Q3",
	Body:    "Hallo Johanna,\n\nanbei die Lieferantenliste für Q3. Fehlt noch jemand, oder laufen Verträge aus?\n\nDanke!\nAdele",
	To:      []Recipient{johanna},
}}

// demoResponse is a reply, reply all or forward draft the demo makes from a received message,
// through the code that serves createReply, createReplyAll and createForward.
type demoResponse struct {
	to      string // key of the original
	kind    int
	age     time.Duration
	comment string
	forward []Recipient // toRecipients of a forward
}

var demoResponses = []demoResponse{
	{to: "cloudline", kind: kindReply, age: 65 * time.Minute,
		comment: "<p>Hi Megan,</p><p>Compute only — storage for the cluster sits on the data platform line (line 14). " +
			"I'll add a footnote to the model.</p><p>Adele</p>"},
	{to: "northwind", kind: kindReplyAll, age: 90 * time.Minute,
		comment: "<p>Thanks Nestor — two comments on section 4: the SLA credits should be monthly, and we need 30 days' " +
			"notice before any change to the rate limits. Otherwise good to go from my side.</p><p>Adele</p>"},
	{to: "boarddeck", kind: kindForward, age: 130 * time.Minute, forward: []Recipient{lee, nestor},
		comment: "<p>Lee, Nestor — FYI, the final board deck. Please keep it internal until Thursday.</p>"},
	{to: "invoice", kind: kindForward, age: 3 * time.Hour, forward: []Recipient{finance},
		comment: "<p>For the archive: paid today by bank transfer; the remittance advice went to Fabrikam separately.</p>"},
	{to: "lieferanten", kind: kindReply, age: 4 * time.Hour,
		comment: "<p>Danke Johanna! Einverstanden — bitte bereite die Verlängerung für Litware vor, ich unterschreibe sie nächste Woche.</p><p>Adele</p>"},
}

// seedInboxLocked fills the Inbox (and the start of a thread in Sent Items) and returns the
// received messages by key. The caller holds the lock.
func (s *Server) seedInboxLocked(mb *mailbox, now time.Time) map[string]*item {
	byKey := map[string]*item{}
	sent := mb.byName["sentitems"]
	start := demoThreadStart.d
	start.NotDraft = true
	start.Sent = now.Add(-demoThreadStart.age)
	start.Created, start.LastModified = start.Sent, start.Sent
	first := s.itemFromDraft(mb, start, "", now)
	s.attachDemoFiles(first, []demoFile{pdfFile("Lieferantenliste-Q3.pdf", "Lieferantenliste Q3",
		"Fabrikam Lda. — Beratung — bis 12/2025", "Litware Inc. — Lizenzen — bis 09/2024", "Northwind Traders — Hardware — bis 03/2025")})
	sent.insert(first)
	byKey["lieferanten-orig"] = first

	inbox := mb.byName["inbox"]
	for _, dm := range demoInbox {
		d := dm.d
		d.To = ownerFirst(mb, d.To)
		d.NotDraft = true
		d.Sent = now.Add(-dm.age)
		d.Created, d.LastModified = d.Sent, d.Sent
		if !strings.HasSuffix(d.From.EmailAddress.Address, "@contoso.example") {
			d.InternetMessageID = externalMessageID(dm.key, d.From.EmailAddress.Address)
		}
		var orig *item
		if dm.replyTo != "" {
			orig = byKey[dm.replyTo]
			d.ConversationID = orig.msg.ConversationID
			if d.BodyType == contentHTML {
				d.Body = responseBody(d.Body, &orig.msg, languages[dm.lang])
			}
		}
		it := s.itemFromDraft(mb, d, "", now)
		if orig != nil {
			s.seq++
			it.msg.ConversationIndex = childConversationIndex(orig.msg.ConversationIndex, d.Sent, s.seq)
			setProps(&it.msg, []ExtendedProperty{
				{ID: propInReplyTo, Value: orig.msg.InternetMessageID},
				{ID: propReferences, Value: orig.msg.InternetMessageID},
			})
		}
		s.attachDemoFiles(it, dm.files)
		it.msg.InternetMessageHeaders = receivedHeaders(&it.msg)
		inbox.insert(it)
		byKey[dm.key] = it
	}
	return byKey
}

// ownerFirst puts the mailbox owner (whose UPN may not be DefaultUser) where DefaultUser is.
func ownerFirst(mb *mailbox, rs []Recipient) []Recipient {
	out := cloneRecipients(rs)
	for i, r := range out {
		if r.EmailAddress.Address == DefaultUser {
			out[i] = mb.owner()
		}
	}
	return out
}

// externalMessageID is a Message-ID in the style of another mail system.
func externalMessageID(key, from string) string {
	_, domain, _ := strings.Cut(from, "@")
	g := bytes16(mailboxSeed(key), 11)
	return "<" + hex.EncodeToString(g[:6]) + "." + hex.EncodeToString(g[6:10]) + "@mail." + domain + ">"
}

// receivedHeaders are the Internet headers of a received message, in the order Exchange Online
// lists them.
func receivedHeaders(m *Message) []MessageHeader {
	date := m.SentDateTime.UTC()
	from := *m.From
	internal := strings.HasSuffix(from.EmailAddress.Address, "@contoso.example")
	h := []MessageHeader{
		{"Received", "from CO1PR11MB5041.namprd11.prod.outlook.com (2603:10b6:303:9a::17) by SA1PR11MB6733.namprd11.prod.outlook.com with HTTPS; " + date.Format(time.RFC1123Z)},
	}
	if !internal {
		h = append(h, MessageHeader{"Received", "from mail." + domainOf(from.EmailAddress.Address) + " (203.0.113.25) by CO1PR11MB5041.mail.protection.outlook.com (10.167.242.80) with Microsoft SMTP Server; " + date.Add(-2*time.Second).Format(time.RFC1123Z)},
			MessageHeader{"Authentication-Results", "spf=pass (sender IP is 203.0.113.25) smtp.mailfrom=" + domainOf(from.EmailAddress.Address) + "; dkim=pass (signature was verified) header.d=" + domainOf(from.EmailAddress.Address) + ";dmarc=pass action=none header.from=" + domainOf(from.EmailAddress.Address) + ";compauth=pass reason=100"})
	}
	h = append(h,
		MessageHeader{"From", mimeAddress(from)},
		MessageHeader{"To", mimeAddresses(m.ToRecipients)},
	)
	if len(m.CcRecipients) > 0 {
		h = append(h, MessageHeader{"CC", mimeAddresses(m.CcRecipients)})
	}
	h = append(h,
		MessageHeader{"Subject", m.Subject},
		MessageHeader{"Thread-Topic", normalizedSubject(m.Subject)},
		MessageHeader{"Thread-Index", m.ConversationIndex},
		MessageHeader{"Date", date.Format(time.RFC1123Z)},
		MessageHeader{"Message-ID", m.InternetMessageID},
	)
	for _, p := range m.ExtendedProperties {
		switch p.ID {
		case propReferences:
			h = append(h, MessageHeader{"References", p.Value})
		case propInReplyTo:
			h = append(h, MessageHeader{"In-Reply-To", p.Value})
		}
	}
	hasAttach := ""
	ct := "multipart/alternative; boundary=\"_000_" + strings.Trim(m.InternetMessageID, "<>") + "_\""
	if m.HasAttachments {
		hasAttach = "yes"
		ct = "multipart/mixed; boundary=\"_004_" + strings.Trim(m.InternetMessageID, "<>") + "_\""
	}
	scl := "-1"
	if !internal {
		scl = "1"
	}
	h = append(h,
		MessageHeader{"Accept-Language", "en-US"},
		MessageHeader{"Content-Language", "en-US"},
		MessageHeader{"X-MS-Has-Attach", hasAttach},
		MessageHeader{"X-MS-Exchange-Organization-SCL", scl},
		MessageHeader{"Content-Type", ct},
		MessageHeader{"MIME-Version", "1.0"},
	)
	return h
}

func domainOf(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	return d
}

// seedResponsesLocked makes the demo's reply, reply-all and forward drafts. The caller holds the
// lock.
func (s *Server) seedResponsesLocked(mb *mailbox, now time.Time, byKey map[string]*item) {
	drafts := mb.byName["drafts"]
	for _, r := range demoResponses {
		orig := byKey[r.to]
		at := now.Add(-r.age)
		comment := r.comment
		in := &responseInput{comment: &comment}
		if r.forward != nil {
			to := cloneRecipients(r.forward)
			in.toRecipients = &to
		}
		it := s.makeResponseLocked(mb, orig, r.kind, in, at)
		it.msg.LastModifiedDateTime = at.Add(r.age / 10).UTC().Truncate(time.Second)
		drafts.insert(it)
	}
}

// linkReplyLocked makes the sent message reply, the reply Adele sent to orig: same conversation,
// one level deeper, In-Reply-To set; orig is marked replied to, and returned as stored anew. The
// caller holds the lock and reply is not yet in a folder.
func (s *Server) linkReplyLocked(reply, orig *item) *item {
	s.seq++
	reply.msg.ConversationID = orig.msg.ConversationID
	reply.msg.ConversationIndex = childConversationIndex(orig.msg.ConversationIndex, reply.msg.CreatedDateTime, s.seq)
	setProps(&reply.msg, []ExtendedProperty{
		{ID: propReferences, Value: orig.msg.InternetMessageID},
		{ID: propInReplyTo, Value: orig.msg.InternetMessageID},
		{ID: propIconIndex, Value: iconReplied},
	})
	m := orig.msg.clone()
	setProps(&m, []ExtendedProperty{
		{ID: propLastVerb, Value: verbReplyToSender},
		{ID: propLastVerbTime, Value: reply.msg.CreatedDateTime.UTC().Format(graphTime)},
		{ID: propIconIndex, Value: iconReplied},
	})
	marked := &item{msg: m, text: orig.text, seq: orig.seq}
	orig.folder.replace(marked)
	return marked
}
