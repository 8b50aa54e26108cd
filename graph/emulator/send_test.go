package emulator

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func newDraft(e *env) Message {
	return e.s.AddDraft(Draft{
		Subject: "Proposal",
		Body:    "Hello",
		To:      []Recipient{Addr("Megan Bowen", "megan.bowen@contoso.example")},
		Cc:      []Recipient{Addr("Alex Wilber", "alex.wilber@contoso.example")},
	})
}

func TestSendLifecycle(t *testing.T) {
	e := newEnv(t, Options{SendDelay: 2 * time.Second})
	d := newDraft(e)
	sentBefore := len(e.s.Sent(""))

	resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", "")
	if resp.StatusCode != http.StatusAccepted || len(data) != 0 {
		t.Fatalf("send: %d %q", resp.StatusCode, data)
	}
	if resp.Header.Get("request-id") == "" {
		t.Error("no request-id")
	}
	// The draft leaves Drafts at once, and its old id is gone.
	if n := len(e.s.Drafts("")); n != 0 {
		t.Fatalf("%d drafts left", n)
	}
	resp, data = e.do(http.MethodGet, "/me/messages/"+d.ID, "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")

	// Not in Sent Items before the delay, by listing or by filter.
	filter := "/me/mailFolders/sentitems/messages?$filter=" + url.QueryEscape("internetMessageId eq '"+d.InternetMessageID+"'")
	e.clock.Advance(1999 * time.Millisecond)
	if p := e.list(filter); len(p.Value) != 0 {
		t.Fatalf("copy visible before the delay")
	}
	if len(e.s.Sent("")) != sentBefore {
		t.Fatal("Sent snapshot shows the copy before the delay")
	}
	obj := e.getJSON("/me/mailFolders/sentitems", http.StatusOK)
	if obj["totalItemCount"].(float64) != float64(sentBefore) {
		t.Fatalf("sentitems count %v before the delay", obj["totalItemCount"])
	}

	e.clock.Advance(time.Millisecond)
	p := e.list(filter)
	if len(p.Value) != 1 {
		t.Fatalf("copy not visible after the delay")
	}
	c := p.Value[0]
	if c.ID == d.ID || c.InternetMessageID != d.InternetMessageID || c.ConversationID != d.ConversationID {
		t.Fatalf("copy ids: %s %s %s", c.ID, c.InternetMessageID, c.ConversationID)
	}
	if c.IsDraft || c.SentDateTime == nil || !c.SentDateTime.Equal(e.clock.Now().Add(-2*time.Second).Truncate(time.Second)) {
		t.Fatalf("copy isDraft %v sentDateTime %v", c.IsDraft, c.SentDateTime)
	}
	folder := e.getJSON("/me/mailFolders/SentItems", http.StatusOK)
	if c.ParentFolderID != folder["id"] || c.ChangeKey == d.ChangeKey {
		t.Fatalf("copy parentFolderId %s, folder %v", c.ParentFolderID, folder["id"])
	}
	if c.Subject != d.Subject || len(c.CcRecipients) != 1 {
		t.Fatalf("copy content changed: %+v", c)
	}
	got := e.getJSON("/me/messages/"+c.ID, http.StatusOK)
	if got["isDraft"] != false {
		t.Fatal("GET of the copy")
	}
	// The copy is in the folder listing too, and sending it again is refused.
	resp, data = e.do(http.MethodPost, "/me/messages/"+c.ID+"/send", "")
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidOperation")
	// Sending the old id again: 404.
	resp, data = e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
}

func TestSendImmediately(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := newDraft(e)
	e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", "")
	if s := e.s.Sent(""); len(s) != 1 || s[0].InternetMessageID != d.InternetMessageID {
		t.Fatalf("sent: %+v", s)
	}
}

func TestSendDefaultDelay(t *testing.T) {
	e := newEnv(t, Options{})
	d := newDraft(e)
	e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", "")
	e.clock.Advance(DefaultSendDelay - time.Millisecond)
	if len(e.s.Sent("")) != 0 {
		t.Fatal("visible too early")
	}
	e.clock.Advance(time.Millisecond)
	if len(e.s.Sent("")) != 1 {
		t.Fatal("not visible after the default delay")
	}
}

func TestSendErrors(t *testing.T) {
	e := newEnv(t, Options{})
	resp, data := e.do(http.MethodPost, "/me/messages/"+e.s.UnusedID()+"/send", "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	resp, data = e.do(http.MethodPost, "/me/messages/not-an-id/send", "")
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidIdMalformed")

	empty := e.s.AddDraft(Draft{Subject: "nobody"})
	resp, data = e.do(http.MethodPost, "/me/messages/"+empty.ID+"/send", "")
	ge := wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidRecipients")
	if ge.Message != "At least one recipient is not valid., A message can't be sent because it contains no recipients." {
		t.Errorf("message %q", ge.Message)
	}
	bad := e.s.AddDraft(Draft{Subject: "bad", To: []Recipient{Addr("Nobody", "not an address")}})
	resp, data = e.do(http.MethodPost, "/me/messages/"+bad.ID+"/send", "")
	ge = wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidRecipients")
	if ge.Message != "At least one recipient is not valid., Recipient 'not an address' is not resolved. All recipients must be resolved before a message can be submitted." {
		t.Errorf("message %q", ge.Message)
	}
	if len(e.s.Drafts("")) != 2 {
		t.Fatal("a refused send removed a draft")
	}
	resp, data = e.do(http.MethodGet, "/me/messages/"+empty.ID+"/send", "")
	wantError(t, resp, data, http.StatusMethodNotAllowed, "ErrorInvalidRequest")
}

func TestSendOnlyCcOrBccIsEnough(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := e.s.AddDraft(Draft{Subject: "bcc only", Bcc: []Recipient{Addr("", "x@contoso.example")}})
	if resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", ""); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
}

// rawRequest writes req over a new connection to the test server and reads the response.
func rawRequest(t *testing.T, e *env, req string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", e.ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestSendWithoutContentLengthIs411(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := newDraft(e)
	path := "/v1.0/me/messages/" + d.ID + "/send"

	resp, body := rawRequest(t, e, "POST "+path+" HTTP/1.1\r\nHost: graph\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n")
	if resp.StatusCode != http.StatusLengthRequired || !strings.Contains(body, "HTTP Error 411") {
		t.Fatalf("no Content-Length: %d %q", resp.StatusCode, body)
	}
	resp, body = rawRequest(t, e, "POST "+path+" HTTP/1.1\r\nHost: graph\r\nAuthorization: Bearer t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n")
	if resp.StatusCode != http.StatusLengthRequired {
		t.Fatalf("chunked: %d %q", resp.StatusCode, body)
	}
	if len(e.s.Drafts("")) != 1 {
		t.Fatal("a 411 send removed the draft")
	}
	resp, body = rawRequest(t, e, "POST "+path+" HTTP/1.1\r\nHost: graph\r\nAuthorization: Bearer t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	if resp.StatusCode != http.StatusAccepted || body != "" {
		t.Fatalf("with Content-Length: 0: %d %q", resp.StatusCode, body)
	}
	recs := e.s.Requests()
	if last := recs[len(recs)-1]; last.ContentLength != 0 || recs[0].ContentLength != -1 {
		t.Fatalf("recorded Content-Length: %+v", recs)
	}
}

func TestSendInUsersMailbox(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := e.s.AddDraft(Draft{User: "Shared@Contoso.example", Subject: "shared", To: []Recipient{Addr("", "a@b.example")}})
	resp, data := e.do(http.MethodPost, "/users/shared@contoso.example/mailFolders/drafts/messages/"+d.ID+"/send", "")
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
	if len(e.s.Sent("shared@contoso.example")) != 1 || len(e.s.Sent("")) != 0 {
		t.Fatal("sent into the wrong mailbox")
	}
}
