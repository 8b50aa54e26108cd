package emulator

import (
	"net/http"
	"net/url"
	"testing"
)

// TestNewDraftShapeAsGraphDocumentsIt follows example 1 of
// https://learn.microsoft.com/graph/api/user-post-messages: no from or sender, a sentDateTime,
// and the HTML body stored as a whole document.
func TestNewDraftShapeAsGraphDocumentsIt(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	resp, data := e.do(http.MethodPost, "/me/messages", `{"subject":"Did you see last night's game?","importance":"Low",
		"body":{"contentType":"HTML","content":"They were <b>awesome</b>!"},
		"toRecipients":[{"emailAddress":{"address":"AdeleV@contoso.onmicrosoft.com"}}]}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%s %s", resp.Status, data)
	}
	m := decodeObject(t, data)
	if _, ok := m["from"]; ok {
		t.Errorf("a new draft has from: %v", m["from"])
	}
	if _, ok := m["sender"]; ok {
		t.Errorf("a new draft has sender: %v", m["sender"])
	}
	if m["sentDateTime"] == nil || m["sentDateTime"] != m["createdDateTime"] {
		t.Errorf("sentDateTime %v, createdDateTime %v", m["sentDateTime"], m["createdDateTime"])
	}
	body := m["body"].(map[string]any)
	const want = "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n" +
		"<meta content=\"text/html; charset=us-ascii\">\r\n</head>\r\n<body>\r\nThey were <b>awesome</b>!\r\n</body>\r\n</html>\r\n"
	if body["contentType"] != "html" || body["content"] != want {
		t.Errorf("body %q", body["content"])
	}
	if m["bodyPreview"] != "They were awesome!" || m["importance"] != "low" || m["isDraft"] != true {
		t.Errorf("bodyPreview %q importance %v isDraft %v", m["bodyPreview"], m["importance"], m["isDraft"])
	}
	id := m["id"].(string)

	// A PATCH of an HTML fragment is wrapped too; a whole document is kept as given; text is text.
	resp, data = e.do(http.MethodPatch, "/me/messages/"+id, `{"body":{"contentType":"html","content":"<p>new</p>"}}`)
	if got := decodeObject(t, data)["body"].(map[string]any)["content"]; resp.StatusCode != http.StatusOK || got != htmlHead+"<p>new</p>"+htmlTail {
		t.Errorf("PATCH fragment: %s %q", resp.Status, got)
	}
	doc := "<HTML><body>mine</body></HTML>"
	_, data = e.do(http.MethodPatch, "/me/messages/"+id, `{"body":{"contentType":"html","content":"`+doc+`"}}`)
	if got := decodeObject(t, data)["body"].(map[string]any)["content"]; got != doc {
		t.Errorf("PATCH document: %q", got)
	}
	_, data = e.do(http.MethodPatch, "/me/messages/"+id, `{"body":{"contentType":"text","content":"plain <b>"}}`)
	if got := decodeObject(t, data)["body"].(map[string]any)["content"]; got != "plain <b>" {
		t.Errorf("PATCH text: %q", got)
	}
	// Setting from is kept; the sent copy has from and sender.
	if resp, _ := e.do(http.MethodPost, "/me/messages/"+id+"/send", "", "Content-Length", "0"); resp.StatusCode != http.StatusAccepted {
		t.Fatal(resp.Status)
	}
	p := e.list("/me/mailFolders/sentitems/messages?$filter=" + url.QueryEscape("subject eq 'Did you see last night''s game?'"))
	if len(p.Value) != 1 || p.Value[0].From == nil || p.Value[0].Sender == nil || p.Value[0].From.EmailAddress.Address != DefaultUser {
		t.Fatalf("sent copy: %+v", p.Value)
	}
}
