package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFaultStatusWithRetryAfterAndTimes(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	e.s.Inject(Rule{Method: "GET", Path: "mailFolders/drafts/messages", Times: 2, Fault: Fault{Status: 429, RetryAfter: "2.128"}})
	for i := 0; i < 2; i++ {
		resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "")
		wantError(t, resp, data, http.StatusTooManyRequests, "ApplicationThrottled")
		if resp.Header.Get("Retry-After") != "2.128" {
			t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
		}
	}
	if p := e.list("/me/mailFolders/drafts/messages"); len(p.Value) == 0 {
		t.Fatal("third request not served normally")
	}
	recs := e.s.Requests()
	if recs[0].Outcome != OutcomeInjected || recs[0].Status != 429 || recs[2].Outcome != OutcomeServed {
		t.Fatalf("records %+v", recs)
	}
}

func TestFaultMatchingAndOrder(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.Inject(Rule{Method: "POST", Fault: Fault{Status: 500}})
	e.s.Inject(Rule{Path: "/mailFolders/sentitems", Query: "internetMessageId", Fault: Fault{Status: 503, Code: "Custom", Message: "custom"}})
	e.s.Inject(Rule{Fault: Fault{Status: 502}})

	resp, data := e.do(http.MethodGet, "/me/mailFolders/sentitems/messages?$filter=internetMessageId eq 'x'", "")
	if ge := wantError(t, resp, data, 503, "Custom"); ge.Message != "custom" {
		t.Fatal(ge.Message)
	}
	resp, data = e.do(http.MethodGet, "/me/mailFolders/sentitems/messages", "")
	wantError(t, resp, data, 502, "BadGateway")
	resp, data = e.do(http.MethodPost, "/me/messages", `{}`)
	wantError(t, resp, data, 500, "InternalServerError")
	e.s.ClearFaults()
	e.list("/me/mailFolders/sentitems/messages")
}

func TestFaultRawBodyAndContentType(t *testing.T) {
	e := newEnv(t, Options{})
	page := []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")
	e.s.Inject(Rule{Times: 1, Fault: Fault{Status: 502, Body: page, ContentType: "text/html"}})
	resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "")
	if resp.StatusCode != 502 || string(data) != string(page) || resp.Header.Get("Content-Type") != "text/html" {
		t.Fatalf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
	e.s.Inject(Rule{Times: 1, Fault: Fault{Body: []byte(`{"value":[{"id":`)}})
	resp, data = e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "")
	if resp.StatusCode != 200 || string(data) != `{"value":[{"id":` {
		t.Fatalf("%d %q", resp.StatusCode, data)
	}
	e.s.Inject(Rule{Times: 1, Fault: Fault{ContentType: "text/plain"}})
	resp, data = e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain" || !json.Valid(data) {
		t.Fatalf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
}

func TestFaultTruncate(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	_, full := e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "")
	e.s.Inject(Rule{Times: 1, Fault: Fault{Truncate: true}})
	resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "")
	if resp.StatusCode != 200 || json.Valid(data) || len(data) != len(full)/2 || !strings.HasPrefix(string(full), string(data)) {
		t.Fatalf("truncated: %d bytes of %d", len(data), len(full))
	}
	if recs := e.s.Requests(); recs[1].Outcome != OutcomeInjected {
		t.Fatalf("outcome %q", recs[1].Outcome)
	}
}

// noReuseClient makes each request on a fresh connection, so that net/http does not silently
// retry an idempotent request whose reused connection was closed.
func noReuseClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

func sendRaw(t *testing.T, client *http.Client, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer t")
	resp, err := client.Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func TestFaultDropBeforeActDoesNotSend(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := newDraft(e)
	e.s.Inject(Rule{Method: "POST", Path: "/send", Times: 1, Fault: Fault{DropBeforeAct: true}})
	if _, err := sendRaw(t, noReuseClient(), e.url("/me/messages/"+d.ID+"/send")); err == nil {
		t.Fatal("no error for a dropped connection")
	}
	if len(e.s.Drafts("")) != 1 || len(e.s.Sent("")) != 0 {
		t.Fatal("the send happened")
	}
	if n := e.s.Count("POST", "/send"); n != 1 {
		t.Fatalf("Count = %d", n)
	}
	if r := e.s.Requests()[0]; r.Outcome != OutcomeDropped || r.Status != 0 {
		t.Fatalf("record %+v", r)
	}
}

func TestFaultDropAfterActReallySends(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := newDraft(e)
	e.s.Inject(Rule{Method: "POST", Path: "/send", Fault: Fault{DropAfterAct: true}})
	// The default client: a POST is not retried by net/http, even on a reused connection.
	e.list("/me/mailFolders/drafts/messages")
	if _, err := sendRaw(t, e.ts.Client(), e.url("/me/messages/"+d.ID+"/send")); err == nil {
		t.Fatal("no error for a dropped connection")
	}
	if n := e.s.Count("POST", "/send"); n != 1 {
		t.Fatalf("Count = %d", n)
	}
	sent := e.s.Sent("")
	if len(e.s.Drafts("")) != 0 || len(sent) != 1 || sent[0].InternetMessageID != d.InternetMessageID {
		t.Fatal("the send did not happen")
	}
}

func TestFaultDropUnderStart(t *testing.T) {
	s := New(Options{NoSendDelay: true})
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/v1.0") {
		t.Fatalf("base %s", base)
	}
	d := s.AddDraft(Draft{Subject: "x", To: []Recipient{Addr("", "a@contoso.example")}})
	s.Inject(Rule{Path: "/send", Times: 1, Fault: Fault{DropAfterAct: true}})
	if _, err := sendRaw(t, noReuseClient(), base+"/me/messages/"+d.ID+"/send"); err == nil {
		t.Fatal("no error")
	}
	if len(s.Sent("")) != 1 {
		t.Fatal("not sent")
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Fatal("second Start accepted")
	}
}

func TestFaultDropWithoutHijacker(t *testing.T) {
	s := New(Options{})
	s.Inject(Rule{Fault: Fault{DropBeforeAct: true}})
	req, _ := http.NewRequest(http.MethodGet, "/v1.0/me/messages", nil)
	req.Header.Set("Authorization", "Bearer t")
	defer func() {
		if r := recover(); r != http.ErrAbortHandler {
			t.Fatalf("recovered %v", r)
		}
	}()
	s.ServeHTTP(nopWriter{http.Header{}}, req)
}

type nopWriter struct{ h http.Header }

func (w nopWriter) Header() http.Header         { return w.h }
func (w nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w nopWriter) WriteHeader(int)             {}

func TestFaultDelayIsCutShortByTheClient(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.Inject(Rule{Fault: Fault{Delay: time.Hour}})
	cancelWhileInFlight(t, e)
}

// cancelWhileInFlight sends a listing, cancels it once the server holds it,
// and checks that the client sees the cancellation and that the server
// notices it and records the request as canceled.
func cancelWhileInFlight(t *testing.T, e *env) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.url("/me/mailFolders/drafts/messages"), nil)
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
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	waitIdle(t, e.s)
	if r := e.s.Requests()[0]; r.Outcome != OutcomeCanceled {
		t.Fatalf("record %+v", r)
	}
}

// waitIdle waits until no request is in flight.
func waitIdle(t *testing.T, s *Server) {
	t.Helper()
	for {
		s.flight.mu.Lock()
		cur, ch := s.flight.cur, s.flight.changed
		s.flight.mu.Unlock()
		if cur == 0 {
			return
		}
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatal("requests still in flight")
		}
	}
}

func TestHoldAndMaxInFlight(t *testing.T) {
	e := newEnv(t, Options{})
	hold := make(chan struct{})
	e.s.Inject(Rule{Fault: Fault{Hold: hold}})
	const n = 6
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, e.url("/me/mailFolders/drafts/messages"), nil)
			req.Header.Set("Authorization", "Bearer t")
			resp, err := e.ts.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("status %d", resp.StatusCode)
			}
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.s.WaitInFlight(ctx, n); err != nil {
		t.Fatal(err)
	}
	if e.s.InFlight() != n || e.s.MaxInFlight() != n {
		t.Fatalf("in flight %d, max %d", e.s.InFlight(), e.s.MaxInFlight())
	}
	close(hold)
	wg.Wait()
	waitIdle(t, e.s)
	if e.s.MaxInFlight() != n || e.s.Count("GET", "/messages") != n {
		t.Fatalf("max %d count %d", e.s.MaxInFlight(), e.s.Count("GET", "/messages"))
	}
	e.s.ResetRequests()
	if len(e.s.Requests()) != 0 || e.s.MaxInFlight() != 0 {
		t.Fatal("reset")
	}
}

func TestLatencyIsCancellable(t *testing.T) {
	cancelWhileInFlight(t, newEnv(t, Options{Latency: time.Hour}))
}
