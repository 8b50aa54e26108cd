package graph

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Client.Send makes one POST and reports its answer as it is; every decision that follows it
// (waiting out a 429 and posting again, looking in Sent Items after an unclear answer) is the
// send engine's, tested in graph/sending.

// postCounter answers every POST to .../messages/d1/send with answer and records them.
type postCounter struct {
	mu             sync.Mutex
	posts          int
	contentLengths []string
}

func (p *postCounter) handler(t *testing.T, answer func(w http.ResponseWriter)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/messages/d1/send") {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			w.WriteHeader(500)
			return
		}
		p.mu.Lock()
		p.posts++
		p.contentLengths = append(p.contentLengths, strings.Join(r.Header.Values("Content-Length"), ","))
		p.mu.Unlock()
		answer(w)
	}
}

// count returns the POSTs and their Content-Length headers so far.
func (p *postCounter) count() (int, []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.posts, append([]string(nil), p.contentLengths...)
}

func TestSendIsOnePostWithContentLengthZero(t *testing.T) {
	p := &postCounter{}
	c, w := newTestClient(t, serve(t, p.handler(t, func(w http.ResponseWriter) { w.WriteHeader(http.StatusAccepted) })))
	if err := c.Send(context.Background(), "d1"); err != nil {
		t.Fatal(err)
	}
	if posts, cl := p.count(); posts != 1 || cl[0] != "0" || len(w.all()) != 0 {
		t.Fatalf("%d POSTs, Content-Length %q, waits %v; want 1 POST with Content-Length 0 and no wait", posts, cl, w.all())
	}
}

// TestSendNeverRepeatsThePost: not after a 429 (the engine waits and reposts), nor after an
// answer that leaves the outcome open (the engine looks).
func TestSendNeverRepeatsThePost(t *testing.T) {
	tests := []struct {
		name    string
		answer  func(w http.ResponseWriter)
		unclear bool
		check   func(err error) bool
	}{
		{"429 with a short Retry-After", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "2.128")
			writeGraphError(w, 429, CodeApplicationThrottled, "throttled")
		}, false, func(err error) bool {
			e, ok := AsError(err)
			return ok && IsThrottled(err) && e.RetryAfter == 2128*time.Millisecond
		}},
		{"503", func(w http.ResponseWriter) { writeGraphError(w, 503, "ServiceUnavailable", "busy") }, true, nil},
		{"504", func(w http.ResponseWriter) { writeGraphError(w, 504, "GatewayTimeout", "timeout") }, true, nil},
		{"404", func(w http.ResponseWriter) { writeGraphError(w, 404, CodeItemNotFound, "not found") }, true, IsNotFound},
		{"dropped connection", func(w http.ResponseWriter) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		}, true, nil},
		{"400", func(w http.ResponseWriter) { writeGraphError(w, 400, CodeInvalidRecipients, "bad") }, false, IsInvalidRecipients},
		{"403", func(w http.ResponseWriter) { writeGraphError(w, 403, CodeSendAsDenied, "no") }, false, IsForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &postCounter{}
			c, w := newTestClient(t, serve(t, p.handler(t, tt.answer)))
			err := c.Send(context.Background(), "d1")
			if posts, _ := p.count(); err == nil || posts != 1 || len(w.all()) != 0 {
				t.Fatalf("err %v after %d POSTs and waits %v; want an error after exactly 1 POST, no wait", err, posts, w.all())
			}
			if SendOutcomeUnclear(err) != tt.unclear {
				t.Fatalf("SendOutcomeUnclear(%v) = %v", err, !tt.unclear)
			}
			if tt.check != nil && !tt.check(err) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestSendOutcomeUnclear(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&Error{Status: 500}, true},
		{&Error{Status: 502}, true},
		{&Error{Status: 503}, true},
		{&Error{Status: 504}, true},
		{&Error{Status: 408}, true},
		{&Error{Status: 404, Code: CodeItemNotFound}, true},
		{&Error{Status: 400}, false},
		{&Error{Status: 401}, true}, // not documented as a refusal before acting: look
		{&Error{Status: 409}, true},
		{&Error{Status: 302}, true},
		{&Error{Status: 403}, false},
		{&Error{Status: 413}, false},
		{&Error{Status: 429}, false},
		{&TransportError{Op: "send", Err: io.ErrUnexpectedEOF}, true},
		{&TransportError{Op: "send", Err: context.DeadlineExceeded}, true},
		{&TransportError{Op: "send", Err: &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}}, true},
		{&TransportError{Op: "send", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}, false},
		{ErrNoToken, false},
		{context.Canceled, false},
	}
	for _, tt := range tests {
		if got := SendOutcomeUnclear(tt.err); got != tt.want {
			t.Errorf("SendOutcomeUnclear(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
