package graph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// failingRefresh is a token source whose refresh token was revoked: after Invalidate, Token
// fails with a sign-in error.
type failingRefresh struct{ invalidated atomic.Int32 }

func (f *failingRefresh) Token(context.Context) (string, error) {
	if f.invalidated.Load() > 0 {
		return "", errors.New("sign in again: the refresh token was revoked")
	}
	return "token-0", nil
}

func (f *failingRefresh) Invalidate(string) { f.invalidated.Add(1) }

// TestSendUnauthorizedRenewsTheTokenButNeverRepeatsThePOST: a 401 to a send renews the token
// (so the next send works) but the POST is not repeated: only a 429 is.
func TestSendUnauthorizedRenewsTheTokenButNeverRepeatsThePOST(t *testing.T) {
	var posts atomic.Int32
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
		}
		writeGraphError(w, 401, CodeInvalidAuthToken, "Lifetime validation failed, the token is expired.")
	})
	toks := &refreshingTokens{}
	c, _ := newTestClient(t, base, func(o *Options) { o.Tokens = toks })
	err := c.Send(context.Background(), "d1")
	e, ok := AsError(err)
	if !ok || e.Status != 401 || !e.Renewed || posts.Load() != 1 || len(toks.invalidated) != 1 {
		t.Fatalf("err = %v (renewed %v), %d POSTs, invalidated %v; want one POST and a renewed token", err, ok && e.Renewed, posts.Load(), toks.invalidated)
	}
	if !SendOutcomeUnclear(err) {
		t.Fatal("a 401 to a send is not a documented refusal before acting: it must be settled by looking")
	}
	if d := Describe(err); !strings.Contains(d, "renewed") || !strings.Contains(d, "send it again") {
		t.Fatalf("Describe = %q", d)
	}
	// The engine's view of the same answer (not sent, never reposted) is tested in
	// graph/sending (TestSendUnauthorizedIsNotSentAndNeverReposted).
	if err := c.Send(context.Background(), "d1"); posts.Load() != 2 || !IsUnauthorized(err) {
		t.Fatalf("a second Send: %v after %d POSTs; want one more POST", err, posts.Load())
	}

	// The refresh fails too: sign in again, still one POST.
	posts.Store(0)
	c, _ = newTestClient(t, base, func(o *Options) { o.Tokens = &failingRefresh{} })
	err = c.Send(context.Background(), "d1")
	if e, ok := AsError(err); !ok || e.Renewed || posts.Load() != 1 || !strings.Contains(Describe(err), "sign in again") {
		t.Fatalf("err = %v, %d POSTs", err, posts.Load())
	}
}
