package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultGoneSentAndDeletedElsewhere(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	sent, deleted := newDraft(e), newDraft(e)
	e.s.Inject(Rule{Method: "POST", Path: "/send", Times: 2, Fault: Fault{Gone: GoneSent}})
	resp, data := e.do(http.MethodPost, "/me/messages/"+sent.ID+"/send", "", "Content-Length", "0")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	if got := e.s.Sent(""); len(got) != 1 || got[0].InternetMessageID != sent.InternetMessageID {
		t.Fatalf("the draft was not sent elsewhere: %+v", got)
	}
	e.s.ClearFaults()
	e.s.Inject(Rule{Method: "GET", Times: 1, Fault: Fault{Gone: GoneDeleted}})
	resp, data = e.do(http.MethodGet, "/users/"+DefaultUser+"/messages/"+deleted.ID, "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	if len(e.s.Drafts("")) != 0 || len(e.s.Messages("", "deleteditems")) != 1 {
		t.Fatal("the draft was not deleted elsewhere")
	}
	// Only the requests the client made are in the log.
	if n := len(e.s.Requests()); n != 2 {
		t.Fatalf("%d requests recorded", n)
	}
	if err := e.s.SendElsewhere("", "AAMkAGnope"); err != ErrNoSuchDraft {
		t.Fatalf("SendElsewhere of an unknown id: %v", err)
	}
}

func TestMessageInPath(t *testing.T) {
	for path, want := range map[string][2]string{
		"/me/messages/AAMk1/send":                             {"", "AAMk1"},
		"/me/messages('AAMk2')":                               {"", "AAMk2"},
		"/users/a@b.example/mailFolders/drafts/messages/AAM3": {"a@b.example", "AAM3"},
		"/me/mailFolders/drafts/messages":                     {"", ""},
	} {
		user, id, ok := messageInPath(path)
		if user != want[0] || id != want[1] || ok != (want[1] != "") {
			t.Errorf("%s: %q %q %v", path, user, id, ok)
		}
	}
}

func TestFaultHoldAfterActSendsEvenIfTheClientLeaves(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := newDraft(e)
	hold := make(chan struct{})
	defer close(hold)
	e.s.Inject(Rule{Method: "POST", Path: "/send", Fault: Fault{HoldAfterAct: hold}})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.url("/me/messages/"+d.ID+"/send"), http.NoBody)
	req.Header.Set("Authorization", "Bearer t")
	errc := make(chan error, 1)
	go func() {
		resp, err := e.ts.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	if err := e.s.WaitInFlight(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	for len(e.s.Sent("")) == 0 { // the act comes before the hold
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("the client got an answer through the hold")
	}
	waitIdle(t, e.s)
	if r := e.s.Requests()[0]; r.Outcome != OutcomeCanceled || len(e.s.Drafts("")) != 0 {
		t.Fatalf("record %+v, drafts %d", r, len(e.s.Drafts("")))
	}
}

func TestFaultNextLinkLoopAndForeignHost(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedGenerated(30)
	e.s.Inject(Rule{Method: "GET", Times: 1, Fault: Fault{NextLinkToSelf: true}})
	p := e.list("/me/mailFolders/drafts/messages?$top=5&$select=subject")
	if want := e.url("/me/mailFolders/drafts/messages?$top=5&$select=subject"); p.NextLink != want {
		t.Fatalf("nextLink %q, want the page itself %q", p.NextLink, want)
	}
	e.s.Inject(Rule{Method: "GET", Times: 1, Fault: Fault{NextLink: "https://evil.example/v1.0/me/messages?$skip=5"}})
	if p := e.list("/me/mailFolders/drafts/messages?$top=5"); p.NextLink != "https://evil.example/v1.0/me/messages?$skip=5" || len(p.Value) != 5 {
		t.Fatalf("nextLink %q, %d messages", p.NextLink, len(p.Value))
	}
	// A last page gets one too.
	e.s.Inject(Rule{Method: "GET", Times: 1, Fault: Fault{NextLinkToSelf: true}})
	if p := e.list("/me/mailFolders/drafts/messages?$top=100"); p.NextLink == "" || len(p.Value) != 30 {
		t.Fatalf("nextLink %q, %d messages", p.NextLink, len(p.Value))
	}
	if recs := e.s.Requests(); recs[0].Outcome != OutcomeInjected {
		t.Fatalf("outcome %q", recs[0].Outcome)
	}
}

func TestFaultOversizeStreamsWithoutBuffering(t *testing.T) {
	e := newEnv(t, Options{})
	const n = 50 << 20
	e.s.Inject(Rule{Times: 1, Fault: Fault{Oversize: n}})
	req, _ := http.NewRequest(http.MethodGet, e.url("/me/mailFolders/drafts/messages"), nil)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	head := make([]byte, 12)
	if _, err := io.ReadFull(resp.Body, head); err != nil || string(head) != `{"value":[],` {
		t.Fatalf("head %q, %v", head, err)
	}
	rest, err := io.Copy(io.Discard, resp.Body)
	if err != nil || rest+12 != n || resp.ContentLength != n {
		t.Fatalf("read %d of %d (Content-Length %d): %v", rest+12, n, resp.ContentLength, err)
	}
	if r := e.s.Requests()[0]; r.Outcome != OutcomeInjected || r.Status != 200 {
		t.Fatalf("record %+v", r)
	}
}

func TestFaultConstructors(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	date := RetryAfterDate(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	for _, tc := range []struct {
		f      Fault
		status int
		code   string
		header string
	}{
		{Throttled("2.128"), 429, "ApplicationThrottled", "2.128"},
		{Throttled(date), 429, "ApplicationThrottled", "Wed, 02 Jan 2030 03:04:05 GMT"},
		{ServerError(503), 503, "ServiceUnavailable", ""},
		{ExpiredToken(), 401, "InvalidAuthenticationToken", ""},
		{Denied("ErrorAccessDenied"), 403, "ErrorAccessDenied", ""},
		{Denied("ErrorSendAsDenied"), 403, "ErrorSendAsDenied", ""},
		{Denied("ErrorQuotaExceeded"), 403, "ErrorQuotaExceeded", ""},
		{InvalidRecipients(), 400, "ErrorInvalidRecipients", ""},
	} {
		e.s.Inject(Rule{Times: 1, Fault: tc.f})
		resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "")
		ge := wantError(t, resp, data, tc.status, tc.code)
		if ge.Message == "" || resp.Header.Get("Retry-After") != tc.header {
			t.Errorf("%s: message %q, Retry-After %q", tc.code, ge.Message, resp.Header.Get("Retry-After"))
		}
	}
	e.s.Inject(Rule{Times: 1, Fault: HTMLErrorPage(502)})
	resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "")
	if resp.StatusCode != 502 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(data), "<h1>502 Bad Gateway</h1>") {
		t.Fatalf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
	for _, f := range []Fault{TruncatedJSON(), NotJSON()} {
		e.s.Inject(Rule{Times: 1, Fault: f})
		if resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages", ""); resp.StatusCode != 200 || json.Valid(data) {
			t.Fatalf("%+v: %d, valid JSON", f, resp.StatusCode)
		}
	}
	e.s.Inject(Rule{Times: 1, Fault: WrongContentType()})
	if resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages", ""); !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || !json.Valid(data) {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
}

func TestStopThenStartOnTheSameAddress(t *testing.T) {
	s := New(Options{})
	s.AddDraft(Draft{Subject: "kept"})
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	get := func() error {
		req, _ := http.NewRequest(http.MethodGet, base+"/me/mailFolders/drafts/messages", nil)
		req.Header.Set("Authorization", "Bearer t")
		resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := get(); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := get(); err == nil {
		t.Fatal("still serving during the outage")
	}
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/v1.0")
	again, err := s.Start(addr)
	if err != nil || again != base {
		t.Fatalf("restart: %q, %v", again, err)
	}
	defer s.Close()
	if err := get(); err != nil {
		t.Fatal(err)
	}
	if len(s.Drafts("")) != 1 || len(s.Requests()) != 2 {
		t.Fatalf("state lost: %d drafts, %d requests", len(s.Drafts("")), len(s.Requests()))
	}
}

func TestSeedHostileStoresEveryAttackAsGiven(t *testing.T) {
	e := newEnv(t, Options{})
	hs := HostileTexts()
	msgs := e.s.SeedHostile("")
	if len(msgs) != len(hs) || len(hs) < 20 {
		t.Fatalf("%d drafts for %d texts", len(msgs), len(hs))
	}
	seen := map[string]bool{}
	for i, h := range hs {
		if msgs[i].Subject != h.Text || !strings.Contains(h.Text, h.Payload) || !strings.Contains(h.Text, h.Visible) || seen[h.Name] {
			t.Errorf("%s: subject %q", h.Name, msgs[i].Subject)
		}
		seen[h.Name] = true
	}
	// Served as stored: the attack reaches the client intact.
	for _, m := range e.list("/me/mailFolders/drafts/messages?$top=100&$select=subject").Value {
		if !strings.HasPrefix(m.Subject, "H") {
			t.Errorf("subject %q", m.Subject)
		}
	}
}
