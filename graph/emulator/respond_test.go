package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// received stores a message in the Inbox as if it had been received at the clock.
func received(e *env, d Draft) Message {
	e.t.Helper()
	d.Folder = "inbox"
	d.NotDraft = true
	if d.From == nil {
		d.From = &megan
	}
	if d.To == nil {
		d.To = []Recipient{Addr("Adele Vance", DefaultUser)}
	}
	d.Sent = e.clock.Now().Add(-time.Hour)
	d.Created, d.LastModified = d.Sent, d.Sent
	return e.s.AddDraft(d)
}

// post sends a POST with a JSON body and decodes the JSON object answered, failing unless the
// status is want.
func (e *env) post(path, body string, want int, headers ...string) map[string]any {
	e.t.Helper()
	resp, data := e.do(http.MethodPost, path, body, headers...)
	if resp.StatusCode != want {
		e.t.Fatalf("POST %s: status %d, want %d; body %s", path, resp.StatusCode, want, data)
	}
	if len(data) == 0 {
		return nil
	}
	return decodeObject(e.t, data)
}

// asMessage re-decodes a JSON object as a Message.
func asMessage(t *testing.T, obj map[string]any) Message {
	t.Helper()
	b, _ := json.Marshal(obj)
	var m Message
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func addresses(rs []Recipient) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.EmailAddress.Address
	}
	return out
}

func indexLen(t *testing.T, idx string) int {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(idx)
	if err != nil {
		t.Fatalf("conversationIndex %q: %v", idx, err)
	}
	return len(b)
}

// props reads the single-value extended properties ids of a message, as a client does.
func props(e *env, id string, ids ...string) map[string]string {
	e.t.Helper()
	terms := make([]string, len(ids))
	for i, p := range ids {
		terms[i] = "id eq '" + p + "'"
	}
	q := "$select=id&$expand=" + url.QueryEscape("singleValueExtendedProperties($filter="+strings.Join(terms, " or ")+")")
	obj := e.getJSON("/me/messages/"+id+"?"+q, http.StatusOK)
	out := map[string]string{}
	list, _ := obj["singleValueExtendedProperties"].([]any)
	for _, p := range list {
		p := p.(map[string]any)
		out[p["id"].(string)] = p["value"].(string)
	}
	return out
}

// TestCreateReplyMatchesDocs pins createReply to message-createreply: POST without a body,
// 201 Created and the new message, a draft in Drafts.
func TestCreateReplyMatchesDocs(t *testing.T) {
	e := newEnv(t, Options{})
	orig := received(e, Draft{Subject: "Internal Resume Submission: Sales Associate", Body: "Hi, I have an interest in the Sales Associate position.",
		From: &alex, Cc: []Recipient{lee}})
	obj := e.post("/me/messages/"+orig.ID+"/createReply", "", http.StatusCreated)
	if !strings.HasSuffix(obj["@odata.context"].(string), "/$metadata#users('adele.vance%40contoso.example')/messages/$entity") {
		t.Errorf("@odata.context %v", obj["@odata.context"])
	}
	for _, k := range []string{"@odata.etag", "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "receivedDateTime",
		"sentDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview", "importance", "parentFolderId", "conversationId",
		"conversationIndex", "isDeliveryReceiptRequested", "isReadReceiptRequested", "isRead", "isDraft", "webLink", "inferenceClassification",
		"body", "sender", "from", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "flag"} {
		if _, ok := obj[k]; !ok {
			t.Errorf("missing %s", k)
		}
	}
	d := asMessage(t, obj)
	drafts := e.getJSON("/me/mailFolders/drafts", http.StatusOK)
	if !d.IsDraft || d.SentDateTime != nil || d.ParentFolderID != drafts["id"] || !d.IsRead {
		t.Fatalf("not a draft in Drafts: %+v", d)
	}
	if d.Subject != "RE: Internal Resume Submission: Sales Associate" {
		t.Errorf("subject %q", d.Subject)
	}
	if got := addresses(d.ToRecipients); len(got) != 1 || got[0] != alex.EmailAddress.Address || len(d.CcRecipients) != 0 {
		t.Errorf("reply recipients to %v cc %v", got, addresses(d.CcRecipients))
	}
	if d.From == nil || d.From.EmailAddress.Address != DefaultUser {
		t.Errorf("from %+v", d.From)
	}
	if d.ConversationID != orig.ConversationID || indexLen(t, d.ConversationIndex) != indexLen(t, orig.ConversationIndex)+5 {
		t.Errorf("conversation %s %s, original %s %s", d.ConversationID, d.ConversationIndex, orig.ConversationID, orig.ConversationIndex)
	}
	if d.InternetMessageID == orig.InternetMessageID || d.ID == orig.ID {
		t.Error("the reply has the original's ids")
	}
	if d.Body.ContentType != "html" {
		t.Fatalf("body %s", d.Body.ContentType)
	}
	for _, want := range []string{"<b>From:</b> Alex Wilber &lt;alex.wilber@contoso.example&gt;", "<b>Sent:</b> ", "<b>To:</b> Adele Vance",
		"<b>Cc:</b> Lee Gu", "<b>Subject:</b> Internal Resume Submission: Sales Associate", "I have an interest in the Sales Associate position."} {
		if !strings.Contains(d.Body.Content, want) {
			t.Errorf("body lacks %q:\n%s", want, d.Body.Content)
		}
	}
	if !strings.Contains(d.BodyPreview, "From: Alex Wilber") {
		t.Errorf("bodyPreview %q", d.BodyPreview)
	}
	if n := len(e.s.Drafts("")); n != 1 {
		t.Fatalf("%d drafts", n)
	}
	p := props(e, d.ID, propInReplyTo, propReferences, propIconIndex)
	if p[propInReplyTo] != orig.InternetMessageID || p[propReferences] != orig.InternetMessageID || p[propIconIndex] != "261" {
		t.Errorf("properties %v", p)
	}
	// The original is not marked before the reply is sent.
	if p := props(e, orig.ID, propLastVerb, propIconIndex); len(p) != 0 {
		t.Errorf("original marked at draft time: %v", p)
	}
}

func TestCreateReplyWithCommentAndUniqueBody(t *testing.T) {
	e := newEnv(t, Options{})
	orig := received(e, Draft{Subject: "Lunch?", Body: "Pizza or tacos?", From: &patti})
	d := asMessage(t, e.post("/me/messages/"+orig.ID+"/createReply", `{"comment":"Tacos, <b>definitely</b>."}`, http.StatusCreated))
	if !strings.Contains(d.Body.Content, "<div>Tacos, <b>definitely</b>.</div>") || !strings.Contains(d.Body.Content, "Pizza or tacos?") {
		t.Fatalf("body %s", d.Body.Content)
	}
	obj := e.getJSON("/me/messages/"+d.ID+"?$select=uniqueBody", http.StatusOK)
	ub := obj["uniqueBody"].(map[string]any)
	if ub["contentType"] != "html" || !strings.Contains(ub["content"].(string), "Tacos, <b>definitely</b>.") ||
		strings.Contains(ub["content"].(string), "Pizza") || strings.Contains(ub["content"].(string), "From:") {
		t.Fatalf("uniqueBody %v", ub)
	}
	obj = e.getJSON("/me/messages/"+d.ID+"?$select=uniqueBody,body", http.StatusOK, "Prefer", `outlook.body-content-type="text"`)
	if ub := obj["uniqueBody"].(map[string]any); ub["contentType"] != "text" || ub["content"] != "Tacos, definitely." {
		t.Fatalf("text uniqueBody %v", ub)
	}
	// Not returned unless selected.
	if obj := e.getJSON("/me/messages/"+d.ID, http.StatusOK); obj["uniqueBody"] != nil {
		t.Fatal("uniqueBody without $select")
	}
	// A PATCH of the body: the unique part follows, the quote stays out of it.
	body := strings.Replace(d.Body.Content, "Tacos, <b>definitely</b>.", "Pizza after all.", 1)
	patch, _ := json.Marshal(map[string]any{"body": map[string]string{"contentType": "html", "content": body}})
	if resp, data := e.do(http.MethodPatch, "/me/messages/"+d.ID, string(patch)); resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH %d %s", resp.StatusCode, data)
	}
	obj = e.getJSON("/me/messages/"+d.ID+"?$select=uniqueBody", http.StatusOK, "Prefer", `outlook.body-content-type="text"`)
	if ub := obj["uniqueBody"].(map[string]any); ub["content"] != "Pizza after all." {
		t.Fatalf("uniqueBody after PATCH %v", ub)
	}
	// A message without a quote is all unique.
	n := e.s.AddDraft(Draft{Subject: "new", Body: "Line one\nline two"})
	obj = e.getJSON("/me/messages/"+n.ID+"?$select=uniqueBody", http.StatusOK)
	if ub := obj["uniqueBody"].(map[string]any); ub["contentType"] != "text" || ub["content"] != "Line one\nline two" {
		t.Fatalf("new draft uniqueBody %v", ub)
	}
	// A text body quoting with Outlook's underscore line.
	q := e.s.AddDraft(Draft{Subject: "q", Body: "Mine.\n\n________________________________\nFrom: Someone\nOld text"})
	obj = e.getJSON("/me/messages/"+q.ID+"?$select=uniqueBody", http.StatusOK)
	if ub := obj["uniqueBody"].(map[string]any); ub["content"] != "Mine." {
		t.Fatalf("text quote uniqueBody %v", ub)
	}
}

func TestCreateReplyAllRecipients(t *testing.T) {
	e := newEnv(t, Options{})
	me := Addr("Adele Vance", DefaultUser)
	orig := received(e, Draft{Subject: "Plan", Body: "x", From: &nestor,
		To: []Recipient{isaiah, me, johanna, nestor}, Cc: []Recipient{miriam, Addr("ADELE", "Adele.Vance@contoso.example"), isaiah}})
	d := asMessage(t, e.post("/me/messages/"+orig.ID+"/createReplyAll", "{}", http.StatusCreated))
	to, cc := strings.Join(addresses(d.ToRecipients), ","), strings.Join(addresses(d.CcRecipients), ",")
	if to != "nestor.wilke@contoso.example,isaiah.langer@contoso.example,johanna.lorenz@contoso.example" || cc != "miriam.graham@contoso.example" {
		t.Fatalf("reply all to %s cc %s", to, cc)
	}
	if d.Subject != "RE: Plan" {
		t.Errorf("subject %q", d.Subject)
	}
	// A reply to a message with replyTo goes to replyTo.
	list := received(e, Draft{Subject: "Newsletter", Body: "x", From: &hr, ReplyTo: []Recipient{Addr("Replies", "replies@contoso.example")}})
	d = asMessage(t, e.post("/me/messages/"+list.ID+"/createReply", "", http.StatusCreated))
	if got := addresses(d.ToRecipients); len(got) != 1 || got[0] != "replies@contoso.example" {
		t.Fatalf("reply to a replyTo message: %v", got)
	}
	// A reply to one's own sent message goes to its recipients.
	mine := e.s.AddDraft(Draft{Folder: "sentitems", NotDraft: true, Sent: e.clock.Now(), Subject: "Mine", To: []Recipient{lee}, Cc: []Recipient{alex}})
	d = asMessage(t, e.post("/me/messages/"+mine.ID+"/createReplyAll", "", http.StatusCreated))
	if to, cc := addresses(d.ToRecipients), addresses(d.CcRecipients); len(to) != 1 || to[0] != lee.EmailAddress.Address || len(cc) != 1 {
		t.Fatalf("reply all to own message: to %v cc %v", to, cc)
	}
	// The message parameter's recipients replace Exchange's (message-reply's example).
	d = asMessage(t, e.post("/me/messages/"+orig.ID+"/createReply",
		`{"message":{"toRecipients":[{"emailAddress":{"address":"samanthab@contoso.example","name":"Samantha Booth"}}],"importance":"high"},"comment":"Samantha?"}`,
		http.StatusCreated))
	if got := addresses(d.ToRecipients); len(got) != 1 || got[0] != "samanthab@contoso.example" || d.Importance != "high" {
		t.Fatalf("message parameter: %v %s", got, d.Importance)
	}
}

func TestCreateForwardCarriesAttachments(t *testing.T) {
	e := newEnv(t, Options{})
	pdf := makePDF("Invoice", "EUR 10")
	orig := received(e, Draft{Subject: "Re: Invoice", Body: "See attached.", From: &fabrikAP,
		Attachments: []FileAttachment{{Name: "invoice.pdf", Content: pdf}, {Name: "logo.png", Content: chartPNG(), IsInline: true, ContentID: "logo"}}})
	obj := e.post("/me/messages/"+orig.ID+"/createForward", "", http.StatusCreated)
	d := asMessage(t, obj)
	if d.Subject != "FW: Invoice" || len(d.ToRecipients) != 0 || len(d.CcRecipients) != 0 || !d.HasAttachments {
		t.Fatalf("forward: subject %q to %v hasAttachments %v", d.Subject, d.ToRecipients, d.HasAttachments)
	}
	atts := e.s.Attachments("", d.ID)
	if len(atts) != 2 || atts[0].Name != "invoice.pdf" || string(atts[0].Content) != string(pdf) || atts[0].ContentType != "application/pdf" {
		t.Fatalf("forward attachments %+v", atts)
	}
	if origAtts := e.s.Attachments("", orig.ID); origAtts[0].ID == atts[0].ID {
		t.Error("the forward's attachment has the original's id")
	}
	p := props(e, d.ID, propInReplyTo, propReferences, propIconIndex)
	if p[propIconIndex] != "262" || p[propReferences] != orig.InternetMessageID || p[propInReplyTo] != "" {
		t.Errorf("forward properties %v", p)
	}
	// toRecipients as a parameter, or in the message parameter, but not both.
	d = asMessage(t, e.post("/me/messages/"+orig.ID+"/createForward",
		`{"comment":"FYI","toRecipients":[{"emailAddress":{"address":"finance-archive@contoso.example"}}]}`, http.StatusCreated))
	if got := addresses(d.ToRecipients); len(got) != 1 || got[0] != "finance-archive@contoso.example" {
		t.Fatalf("toRecipients %v", got)
	}
	resp, data := e.do(http.MethodPost, "/me/messages/"+orig.ID+"/createForward",
		`{"toRecipients":[{"emailAddress":{"address":"a@contoso.example"}}],"message":{"toRecipients":[{"emailAddress":{"address":"b@contoso.example"}}]}}`)
	wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
	// A reply carries only the inline image.
	r := asMessage(t, e.post("/me/messages/"+orig.ID+"/createReply", "", http.StatusCreated))
	if ra := e.s.Attachments("", r.ID); len(ra) != 1 || !ra[0].IsInline || r.HasAttachments {
		t.Fatalf("reply attachments %+v, hasAttachments %v", ra, r.HasAttachments)
	}
}

func TestResponseRequestErrors(t *testing.T) {
	e := newEnv(t, Options{})
	orig := received(e, Draft{Subject: "x", Body: "y"})
	for _, action := range []string{"createReply", "createReplyAll", "createForward", "reply", "replyAll", "forward"} {
		resp, data := e.do(http.MethodPost, "/me/messages/"+orig.ID+"/"+action,
			`{"comment":"a","message":{"body":{"contentType":"text","content":"b"}},"toRecipients":[{"emailAddress":{"address":"a@contoso.example"}}]}`)
		if strings.HasSuffix(action, "orward") {
			wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
		} else {
			// toRecipients is not a parameter of the replies.
			wantError(t, resp, data, http.StatusBadRequest, "RequestBodyRead")
		}
		resp, data = e.do(http.MethodPost, "/me/messages/"+orig.ID+"/"+action, `{"comment":"a","message":{"body":{"contentType":"text","content":"b"}}}`)
		wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
		resp, data = e.do(http.MethodPost, "/me/messages/"+e.s.UnusedID()+"/"+action, "")
		wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
		resp, data = e.do(http.MethodGet, "/me/messages/"+orig.ID+"/"+action, "")
		wantError(t, resp, data, http.StatusMethodNotAllowed, "ErrorInvalidRequest")
	}
	resp, data := e.do(http.MethodPost, "/me/messages/"+orig.ID+"/createReply", `{"nonsense":1}`)
	ge := wantError(t, resp, data, http.StatusBadRequest, "RequestBodyRead")
	if ge.Message != "The parameter 'nonsense' in the request payload is not a valid parameter for the operation 'createReply'." {
		t.Errorf("message %q", ge.Message)
	}
	resp, data = e.do(http.MethodPost, "/me/messages/"+orig.ID+"/createReply", `{"comment":`)
	wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
	// A forward sent at once needs recipients.
	resp, data = e.do(http.MethodPost, "/me/messages/"+orig.ID+"/forward", `{"comment":"x"}`)
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidRecipients")
	if n := len(e.s.Drafts("")); n != 0 {
		t.Fatalf("refused requests left %d drafts", n)
	}
	// The mailFolders/{id}/messages/{id} form and the microsoft.graph. prefix work too.
	e.post("/me/mailFolders/inbox/messages/"+orig.ID+"/microsoft.graph.createReply", "", http.StatusCreated)
}

// TestSendReplyDraft: a reply draft is sent like any draft, its copy in the same conversation,
// and the original is marked as replied to.
func TestSendReplyDraft(t *testing.T) {
	e := newEnv(t, Options{SendDelay: time.Second})
	orig := received(e, Draft{Subject: "Budget", Body: "Numbers?", From: &megan})
	d := asMessage(t, e.post("/me/messages/"+orig.ID+"/createReplyAll", `{"comment":"Here."}`, http.StatusCreated))
	e.clock.Advance(time.Minute)
	if resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", ""); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("send: %d %s", resp.StatusCode, data)
	}
	e.clock.Advance(time.Second)
	sent := e.s.Sent("")
	if len(sent) != 1 || sent[0].ConversationID != orig.ConversationID || sent[0].InternetMessageID != d.InternetMessageID ||
		sent[0].ConversationIndex != d.ConversationIndex || sent[0].Subject != "RE: Budget" || sent[0].IsDraft {
		t.Fatalf("sent copy %+v", sent)
	}
	if p := props(e, sent[0].ID, propInReplyTo); p[propInReplyTo] != orig.InternetMessageID {
		t.Errorf("sent copy lost In-Reply-To: %v", p)
	}
	conv := e.list("/me/messages?$filter=" + url.QueryEscape("conversationId eq '"+orig.ConversationID+"'"))
	if len(conv.Value) != 2 {
		t.Fatalf("conversation has %d messages", len(conv.Value))
	}
	p := props(e, orig.ID, propLastVerb, propLastVerbTime, propIconIndex)
	if p[propLastVerb] != "103" || p[propIconIndex] != "261" || p[propLastVerbTime] != e.clock.Now().Add(-time.Second).UTC().Format(graphTime) {
		t.Fatalf("original after reply all: %v", p)
	}
}

// TestReplyReplyAllForwardSendAtOnce pins reply, replyAll and forward: 202 Accepted, no body,
// no draft left, and a copy in Sent Items in the original's conversation.
func TestReplyReplyAllForwardSendAtOnce(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	cases := []struct {
		action, body, verb, icon, prefix string
		to                               []string
	}{
		{"reply", `{"comment":"Thanks!"}`, "102", "261", "RE: ", []string{"megan.bowen@contoso.example"}},
		{"replyAll", `{"comment":"Thanks all!"}`, "103", "261", "RE: ", []string{"megan.bowen@contoso.example", "lee.gu@contoso.example"}},
		{"forward", `{"comment":"comment-value","toRecipients":[{"emailAddress":{"name":"name-value","address":"address-value@contoso.example"}}]}`,
			"104", "262", "FW: ", []string{"address-value@contoso.example"}},
	}
	for _, c := range cases {
		e.clock.Advance(time.Minute)
		orig := received(e, Draft{Subject: "Topic " + c.action, Body: "Body", From: &megan, To: []Recipient{Addr("Adele Vance", DefaultUser), lee}})
		resp, data := e.do(http.MethodPost, "/me/messages/"+orig.ID+"/"+c.action, c.body)
		if resp.StatusCode != http.StatusAccepted || len(data) != 0 {
			t.Fatalf("%s: %d %q", c.action, resp.StatusCode, data)
		}
		if n := len(e.s.Drafts("")); n != 0 {
			t.Fatalf("%s left %d drafts", c.action, n)
		}
		sent := e.s.Sent("")[0]
		if sent.Subject != c.prefix+"Topic "+c.action || sent.ConversationID != orig.ConversationID ||
			strings.Join(addresses(sent.ToRecipients), ",") != strings.Join(c.to, ",") || sent.SentDateTime == nil {
			t.Fatalf("%s: sent %+v", c.action, sent)
		}
		if p := props(e, orig.ID, propLastVerb, propIconIndex); p[propLastVerb] != c.verb || p[propIconIndex] != c.icon {
			t.Fatalf("%s: original %v", c.action, p)
		}
	}
}

// kindOf decides what a draft is from what Graph returns, as doc.go tells a client to.
func kindOf(e *env, id string) string {
	e.t.Helper()
	obj := e.getJSON("/me/messages/"+id+"?$select=conversationIndex,from,toRecipients,ccRecipients", http.StatusOK)
	m := asMessage(e.t, obj)
	p := props(e, id, propIconIndex, propInReplyTo)
	if indexLen(e.t, m.ConversationIndex) == 22 && p[propInReplyTo] == "" {
		return "new"
	}
	if p[propIconIndex] == "262" || (p[propIconIndex] == "" && p[propInReplyTo] == "") {
		return "forward"
	}
	orig := e.list("/me/messages?$filter=" + url.QueryEscape("internetMessageId eq '"+strings.ReplaceAll(p[propInReplyTo], "'", "''")+"'"))
	if len(orig.Value) == 0 {
		return "reply"
	}
	// Whom a plain reply addresses: the original's replyTo, else its sender, or its To when
	// the owner sent it. A reply all also addresses others among the original's recipients.
	o := orig.Value[0]
	me := strings.ToLower(m.From.EmailAddress.Address)
	plain := append([]Recipient{}, o.ReplyTo...)
	if len(plain) == 0 {
		plain = []Recipient{*o.From}
	}
	if strings.ToLower(o.From.EmailAddress.Address) == me {
		plain = o.ToRecipients
	}
	isPlain := map[string]bool{me: true}
	for _, r := range plain {
		isPlain[strings.ToLower(r.EmailAddress.Address)] = true
	}
	wasRecipient := map[string]bool{}
	for _, r := range append(append([]Recipient{}, o.ToRecipients...), o.CcRecipients...) {
		wasRecipient[strings.ToLower(r.EmailAddress.Address)] = true
	}
	for _, r := range append(append([]Recipient{}, m.ToRecipients...), m.CcRecipients...) {
		a := strings.ToLower(r.EmailAddress.Address)
		if !isPlain[a] && wasRecipient[a] {
			return "replyAll"
		}
	}
	return "reply"
}

// TestDraftKindIsDerivableWhateverTheLanguage: with the mailbox in German the prefixes are
// "AW:" and "WG:", and a client still tells the kinds apart by what Graph returns.
func TestDraftKindIsDerivableWhateverTheLanguage(t *testing.T) {
	for _, lang := range []string{"de-DE", "sv", "nb-NO", "fi", "es", "en-US"} {
		e := newEnv(t, Options{Language: lang})
		orig := received(e, Draft{Subject: "AW: Antw: Lieferung", Body: "x", From: &johanna, To: []Recipient{Addr("Adele", DefaultUser), lee}, Cc: []Recipient{alex}})
		want := map[string]string{}
		for action, kind := range map[string]string{"createReply": "reply", "createReplyAll": "replyAll", "createForward": "forward"} {
			d := asMessage(t, e.post("/me/messages/"+orig.ID+"/"+action, "", http.StatusCreated))
			want[d.ID] = kind
		}
		n := asMessage(t, e.post("/me/messages", `{"subject":"AW: not a reply","toRecipients":[{"emailAddress":{"address":"x@contoso.example"}}]}`, http.StatusCreated))
		want[n.ID] = "new"
		// A reply to the reply: one level deeper.
		var replyID string
		for id, k := range want {
			if k == "reply" {
				replyID = id
			}
		}
		e.do(http.MethodPost, "/me/messages/"+replyID+"/send", "")
		e.clock.Advance(DefaultSendDelay)
		sent := e.s.Sent("")[0]
		deeper := asMessage(t, e.post("/me/messages/"+sent.ID+"/createReply", "", http.StatusCreated))
		want[deeper.ID] = "reply"
		delete(want, replyID)
		if got := indexLen(t, deeper.ConversationIndex); got != 32 {
			t.Errorf("%s: reply to a reply has a %d-byte conversationIndex", lang, got)
		}
		for id, kind := range want {
			if got := kindOf(e, id); got != kind {
				m := e.getJSON("/me/messages/"+id+"?$select=subject", http.StatusOK)
				t.Errorf("%s: %q is a %s, derived %s", lang, m["subject"], kind, got)
			}
		}
		if lang == "de-DE" {
			for _, m := range e.s.Drafts("") {
				if m.ID != n.ID && !strings.HasPrefix(m.Subject, "AW: ") && !strings.HasPrefix(m.Subject, "WG: ") {
					t.Errorf("German subject %q", m.Subject)
				}
				if m.ID != n.ID && !strings.Contains(m.Body.Content, "<b>Von:</b>") {
					t.Errorf("German header missing in %q", m.Subject)
				}
			}
		}
	}
}

func TestNormalizedSubject(t *testing.T) {
	for in, want := range map[string]string{
		"RE: x": "x", "AW: x": "x", "Antw: x": "Antw: x", "R: x": "x", "RE:x": "RE:x", "RE: FW: x": "FW: x", "": "",
		"Odp: x": "x", "1: x": "1: x", "Ämne: x": "Ämne: x", "SV: x": "x", "Q3: x": "Q3: x", "URGENT: x": "URGENT: x",
	} {
		if got := normalizedSubject(in); got != want {
			t.Errorf("normalizedSubject(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInternetMessageHeaders(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	inbox := e.s.Messages("", "inbox")
	obj := e.getJSON("/me/messages/"+inbox[0].ID+"?$select=subject,internetMessageHeaders", http.StatusOK)
	hs, ok := obj["internetMessageHeaders"].([]any)
	if !ok || len(hs) < 8 {
		t.Fatalf("headers %v", obj["internetMessageHeaders"])
	}
	names := map[string]string{}
	for _, h := range hs {
		h := h.(map[string]any)
		names[h["name"].(string)] = h["value"].(string)
	}
	if names["Message-ID"] != inbox[0].InternetMessageID || names["Subject"] != inbox[0].Subject || names["Thread-Index"] != inbox[0].ConversationIndex {
		t.Fatalf("headers %v", names)
	}
	if obj := e.getJSON("/me/messages/"+inbox[0].ID, http.StatusOK); obj["internetMessageHeaders"] != nil {
		t.Fatal("headers without $select")
	}
	if obj := e.getJSON("/me/messages/"+e.s.Drafts("")[0].ID+"?$select=internetMessageHeaders", http.StatusOK); obj["internetMessageHeaders"] != nil {
		t.Fatal("a draft has headers")
	}
	// A draft may carry custom x- headers; others are refused.
	d := asMessage(t, e.post("/me/messages", `{"subject":"h","internetMessageHeaders":[{"name":"x-custom","value":"1"}]}`, http.StatusCreated))
	if obj := e.getJSON("/me/messages/"+d.ID+"?$select=internetMessageHeaders", http.StatusOK); len(obj["internetMessageHeaders"].([]any)) != 1 {
		t.Fatalf("custom header %v", obj)
	}
	resp, data := e.do(http.MethodPost, "/me/messages", `{"subject":"h","internetMessageHeaders":[{"name":"Subject","value":"1"}]}`)
	wantError(t, resp, data, http.StatusBadRequest, "InvalidInternetMessageHeader")
}
