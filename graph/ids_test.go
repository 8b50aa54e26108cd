package graph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestDotIDsAreNotPathSegments: an id of "." or ".." reaches the server as the message id, not
// as a dot segment that would name another resource (".../messages/./send" is ".../messages/send").
func TestDotIDsAreNotPathSegments(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath())
		mu.Unlock()
		writeGraphError(w, 404, CodeItemNotFound, "The specified object was not found in the store.")
	})
	c, _ := newTestClient(t, base, func(o *Options) { o.MaxAttempts = 1 })
	for _, id := range []string{".", ".."} {
		_ = c.Send(context.Background(), id)
		_, _ = c.Message(context.Background(), id)
	}
	want := []string{"/v1.0/me/messages/%2E/send", "/v1.0/me/messages/%2E", "/v1.0/me/messages/%2E%2E/send", "/v1.0/me/messages/%2E%2E"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("paths %q, want %q", paths, want)
	}
}

// TestEmptyIDIsAnErrorNotARequest: an empty id does not turn a send into a POST to the
// messages collection, nor an open into a listing.
func TestEmptyIDIsAnErrorNotARequest(t *testing.T) {
	requests := 0
	base := serve(t, func(w http.ResponseWriter, r *http.Request) { requests++; w.WriteHeader(202) })
	c, _ := newTestClient(t, base)
	if err := c.Send(context.Background(), ""); !errors.Is(err, ErrNoID) || SendOutcomeUnclear(err) {
		t.Fatalf("Send(\"\") = %v", err)
	}
	if _, err := c.Message(context.Background(), ""); !errors.Is(err, ErrNoID) {
		t.Fatalf("Message(\"\") = %v", err)
	}
	if _, err := c.DraftState(context.Background(), ""); !errors.Is(err, ErrNoID) {
		t.Fatalf("DraftState(\"\") = %v", err)
	}
	if requests != 0 {
		t.Fatalf("%d requests for an empty id", requests)
	}
}

// TestTokenWithALineBreakIsNotBlamedOnGraph: a token that cannot go in a header is said to be
// the token's fault, before anything is sent; a send with it is definitely not sent.
func TestTokenWithALineBreakIsNotBlamedOnGraph(t *testing.T) {
	requests := 0
	base := serve(t, func(w http.ResponseWriter, r *http.Request) { requests++; w.WriteHeader(202) })
	for _, tok := range []string{"abc\n", "a b", "\tabc", "abc\r\n"} {
		c, _ := newTestClient(t, base, func(o *Options) { o.Tokens = StaticToken(tok) })
		err := c.Send(context.Background(), "d1")
		if !errors.Is(err, ErrBadToken) || SendOutcomeUnclear(err) || !strings.Contains(Describe(err), "DRAFTS_ACCESS_TOKEN") {
			t.Fatalf("token %q: %v (%q)", tok, err, Describe(err))
		}
	}
	if requests != 0 {
		t.Fatalf("%d requests with a bad token", requests)
	}
}
