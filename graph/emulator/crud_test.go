package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestCreateDraft(t *testing.T) {
	e := newEnv(t, Options{})
	body := `{"subject":"Hello","body":{"contentType":"HTML","content":"<p>Hi <b>there</b></p>"},
		"toRecipients":[{"emailAddress":{"name":"Megan","address":"megan.bowen@contoso.example"}}],
		"importance":"High","@odata.type":"#microsoft.graph.message","isDraft":false}`
	resp, data := e.do(http.MethodPost, "/me/messages", body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
	var m Message
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if !m.IsDraft || m.Subject != "Hello" || m.Importance != "high" || m.Body.ContentType != "html" ||
		m.BodyPreview != "Hi there" || len(m.ToRecipients) != 1 || m.ID == "" || m.InternetMessageID == "" {
		t.Fatalf("created %+v", m)
	}
	if !m.CreatedDateTime.Equal(e.clock.Now()) {
		t.Fatalf("createdDateTime %v", m.CreatedDateTime)
	}
	if got := e.s.Drafts(""); len(got) != 1 || got[0].ID != m.ID {
		t.Fatal("not in Drafts")
	}
	if !strings.HasSuffix(decodeObject(t, data)["@odata.context"].(string), "/messages/$entity") {
		t.Fatal("context")
	}
}

func TestCreateDraftErrors(t *testing.T) {
	e := newEnv(t, Options{})
	cases := []struct{ body, code string }{
		{`{"subject":`, "BadRequest"},
		{` `, "BadRequest"},
		{`{"nosuch":1}`, "RequestBodyRead"},
		{`{"subject":5}`, "RequestBodyRead"},
		{`{"importance":"urgent"}`, "RequestBodyRead"},
		{`{"body":{"contentType":"rtf","content":"x"}}`, "RequestBodyRead"},
	}
	for _, c := range cases {
		resp, data := e.do(http.MethodPost, "/me/mailFolders/drafts/messages", c.body)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", c.body, resp.StatusCode)
			continue
		}
		wantError(t, resp, data, http.StatusBadRequest, c.code)
	}
	if len(e.s.Drafts("")) != 0 {
		t.Fatal("a bad create stored a draft")
	}
}

func TestPatchDraft(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := newDraft(e)
	e.clock.Advance(time.Minute)
	resp, data := e.do(http.MethodPatch, "/me/messages/"+d.ID,
		`{"subject":"Proposal v2","body":{"contentType":"text","content":"New body"},"bccRecipients":[{"emailAddress":{"address":"x@contoso.example"}}]}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
	var m Message
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.ID != d.ID || m.Subject != "Proposal v2" || m.BodyPreview != "New body" || len(m.BccRecipients) != 1 ||
		len(m.ToRecipients) != 1 || m.ChangeKey == d.ChangeKey || !m.LastModifiedDateTime.Equal(e.clock.Now()) ||
		!m.CreatedDateTime.Equal(d.CreatedDateTime) {
		t.Fatalf("patched %+v", m)
	}
	if e.s.Drafts("")[0].Subject != "Proposal v2" {
		t.Fatal("not stored")
	}
	// A sent message's subject cannot change; its isRead can.
	e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", "")
	sent := e.s.Sent("")[0]
	resp, data = e.do(http.MethodPatch, "/me/messages/"+sent.ID, `{"subject":"rewrite history"}`)
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidPropertyUpdateSentMessage")
	if resp, _ := e.do(http.MethodPatch, "/me/messages/"+sent.ID, `{"isRead":false}`); resp.StatusCode != http.StatusOK {
		t.Fatal("isRead on a sent message")
	}
	resp, data = e.do(http.MethodPatch, "/me/messages/"+e.s.UnusedID(), `{"subject":"x"}`)
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
}

func TestDeleteMovesToDeletedItems(t *testing.T) {
	e := newEnv(t, Options{})
	d := newDraft(e)
	resp, data := e.do(http.MethodDelete, "/me/messages/"+d.ID, "")
	if resp.StatusCode != http.StatusNoContent || len(data) != 0 {
		t.Fatalf("%d %q", resp.StatusCode, data)
	}
	resp, data = e.do(http.MethodGet, "/me/messages/"+d.ID, "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	resp, data = e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	trash := e.s.Messages("", "deleteditems")
	if len(trash) != 1 || trash[0].InternetMessageID != d.InternetMessageID || trash[0].ID == d.ID {
		t.Fatalf("deleted items: %+v", trash)
	}
	if resp, _ := e.do(http.MethodDelete, "/me/messages/"+trash[0].ID, ""); resp.StatusCode != http.StatusNoContent {
		t.Fatal("delete from deleted items")
	}
	if len(e.s.Messages("", "deleteditems")) != 0 {
		t.Fatal("not removed for good")
	}
}

func TestFolders(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	drafts := e.getJSON("/me/mailFolders/drafts", http.StatusOK)
	if drafts["displayName"] != "Drafts" || drafts["totalItemCount"].(float64) != float64(len(e.s.Drafts(""))) ||
		drafts["isHidden"] != false || drafts["childFolderCount"].(float64) != 0 {
		t.Fatalf("drafts folder %v", drafts)
	}
	for _, ref := range []string{"DRAFTS", "Drafts", drafts["id"].(string)} {
		if got := e.getJSON("/me/mailFolders/"+ref, http.StatusOK); got["id"] != drafts["id"] {
			t.Fatalf("%s resolved to %v", ref, got["id"])
		}
	}
	if p := e.list("/me/mailFolders('Drafts')/messages?$top=1&$select=parentFolderId"); p.Value[0].ParentFolderID != drafts["id"] {
		t.Fatal("parens form")
	}
	if p := e.list("/me/mailFolders/" + drafts["id"].(string) + "/messages?$top=1"); len(p.Value) != 1 {
		t.Fatal("folder id form")
	}
	inbox := e.list("/me/mailFolders/inbox/messages?$top=100")
	if len(inbox.Value) != len(e.s.Messages("", "inbox")) || len(inbox.Value) == 0 {
		t.Fatalf("inbox lists %d messages", len(inbox.Value))
	}
	for _, m := range inbox.Value {
		if m.IsDraft || m.SentDateTime == nil || m.From == nil || m.From.EmailAddress.Address == "adele.vance@contoso.example" {
			t.Fatalf("not received mail: %+v", m)
		}
	}
	all := e.getJSON("/me/mailFolders", http.StatusOK)
	if n := len(all["value"].([]any)); n != len(wellKnownFolders) {
		t.Fatalf("%d folders", n)
	}
	resp, data := e.do(http.MethodGet, "/me/mailFolders/nosuchfolder/messages", "")
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidIdMalformed")
	resp, data = e.do(http.MethodGet, "/me/mailFolders/"+e.s.UnusedID(), "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	id := e.s.Drafts("")[0].ID
	if got := e.getJSON("/me/mailFolders/drafts/messages/"+id, http.StatusOK); got["id"] != id {
		t.Fatal("message under folder")
	}
}

func TestUsersMailboxes(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	n := len(e.s.Drafts(""))
	for _, upn := range []string{"adele.vance@contoso.example", "Adele.Vance@CONTOSO.example"} {
		if p := e.list("/users/" + upn + "/mailFolders/drafts/messages?$top=100"); len(p.Value) != n {
			t.Fatalf("%s: %d drafts", upn, len(p.Value))
		}
	}
	if p := e.list("/users('adele.vance@contoso.example')/mailFolders/drafts/messages?$top=100"); len(p.Value) != n {
		t.Fatal("users('upn') form")
	}
	resp, data := e.do(http.MethodGet, "/users/nobody@contoso.example/mailFolders/drafts/messages", "")
	ge := wantError(t, resp, data, http.StatusNotFound, "ErrorInvalidUser")
	if ge.Message != "The requested user 'nobody@contoso.example' is invalid." {
		t.Errorf("message %q", ge.Message)
	}
	e.s.AddMailbox("nobody@contoso.example")
	if p := e.list("/users/nobody@contoso.example/mailFolders/drafts/messages"); len(p.Value) != 0 {
		t.Fatal("new mailbox not empty")
	}
	me := e.getJSON("/me", http.StatusOK)
	if me["userPrincipalName"] != "adele.vance@contoso.example" || me["displayName"] != "Adele Vance" {
		t.Fatalf("/me %v", me)
	}
	if byID := e.getJSON("/users/"+me["id"].(string), http.StatusOK); byID["id"] != me["id"] {
		t.Fatal("user by object id")
	}
}

func TestRoutingErrorsAndBeta(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	if p := e.list(e.ts.URL + "/beta/me/mailFolders/drafts/messages"); len(p.Value) == 0 {
		t.Fatal("beta alias")
	}
	resp, data := e.do(http.MethodGet, e.ts.URL+"/v2.0/me/messages", "")
	wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
	resp, data = e.do(http.MethodGet, "/me/calendars", "")
	wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
	resp, data = e.do(http.MethodGet, "/me/messages/"+e.s.Drafts("")[0].ID+"/extensions", "")
	wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
	resp, data = e.do(http.MethodPut, "/me/messages/"+e.s.Drafts("")[0].ID, "{}")
	wantError(t, resp, data, http.StatusMethodNotAllowed, "ErrorInvalidRequest")
}

func TestResponseHeaders(t *testing.T) {
	e := newEnv(t, Options{})
	resp, _ := e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "", "client-request-id", "my-id-123")
	if resp.Header.Get("client-request-id") != "my-id-123" || len(resp.Header.Get("request-id")) != 36 ||
		resp.Header.Get("OData-Version") != "4.0" || resp.Header.Get("Content-Type") != jsonContentType {
		t.Fatalf("headers %v", resp.Header)
	}
	resp, _ = e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "")
	if len(resp.Header.Get("client-request-id")) != 36 {
		t.Fatal("no generated client-request-id")
	}
	resp, data := e.do(http.MethodGet, "/me/messages/"+e.s.UnusedID(), "", "client-request-id", "abc")
	if ge := wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound"); ge.InnerError.ClientRequestID != "abc" ||
		ge.InnerError.RequestID != resp.Header.Get("request-id") {
		t.Fatalf("innerError %+v", ge.InnerError)
	}
}

func TestPreferBodyContentType(t *testing.T) {
	e := newEnv(t, Options{})
	h := e.s.AddDraft(Draft{Subject: "html", BodyType: "html",
		Body: `<html><body><p>Hello <b>world</b></p><ul><li>one</li></ul><a href="https://contoso.example/x">link</a></body></html>`})
	p := e.s.AddDraft(Draft{Subject: "text", Body: "line 1\nline <2> & more"})

	get := func(id, prefer string) (*http.Response, Message) {
		var hdr []string
		if prefer != "" {
			hdr = []string{"Prefer", prefer}
		}
		resp, data := e.do(http.MethodGet, "/me/messages/"+id, "", hdr...)
		var m Message
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		return resp, m
	}
	resp, m := get(h.ID, `outlook.body-content-type="text"`)
	if m.Body.ContentType != "text" || strings.Contains(m.Body.Content, "<") || !strings.Contains(m.Body.Content, "Hello world") ||
		!strings.Contains(m.Body.Content, "https://contoso.example/x") {
		t.Fatalf("html as text: %+v", m.Body)
	}
	if resp.Header.Get("Preference-Applied") != `outlook.body-content-type="text"` {
		t.Fatalf("Preference-Applied %q", resp.Header.Get("Preference-Applied"))
	}
	resp, m = get(h.ID, "")
	if m.Body.ContentType != "html" || !strings.Contains(m.Body.Content, "<b>world</b>") || resp.Header.Get("Preference-Applied") != "" {
		t.Fatalf("html without Prefer: %+v", m.Body)
	}
	_, m = get(p.ID, `outlook.body-content-type="html"`)
	if m.Body.ContentType != "html" || !strings.Contains(m.Body.Content, "line 1<br>") || !strings.Contains(m.Body.Content, "&lt;2&gt; &amp; more") {
		t.Fatalf("text as html: %+v", m.Body)
	}
	_, m = get(p.ID, `odata.maxpagesize=5, outlook.body-content-type=text`)
	if m.Body.ContentType != "text" || m.Body.Content != "line 1\nline <2> & more" {
		t.Fatalf("text as text: %+v", m.Body)
	}
	l := e.list("/me/mailFolders/drafts/messages?$select=body", "Prefer", `outlook.body-content-type="text"`)
	for _, m := range l.Value {
		if m.Body.ContentType != "text" {
			t.Fatalf("listing with Prefer: %+v", m.Body)
		}
	}
}

func TestHostileValuesRoundTrip(t *testing.T) {
	e := newEnv(t, Options{})
	subject := "Pay 100 EUR\rPay 900 \x1b]52;c;ZXZpbA==\x07 \u202e\u2028 \xff end"
	d := e.s.AddDraft(Draft{Subject: subject, To: []Recipient{Addr("\x1b[2J", "x@contoso.example")}})
	got := e.getJSON("/me/messages/"+d.ID, http.StatusOK)
	want := strings.ToValidUTF8(subject, "\uFFFD")
	if got["subject"] != want {
		t.Fatalf("subject %q, want %q", got["subject"], want)
	}
}
