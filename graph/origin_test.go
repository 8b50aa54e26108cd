package graph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// These tests check that the token never goes to a host other than the
// configured Graph host.

// foreignHost starts a server standing for another host and reports
// whether it was contacted and whether it saw the test token.
func foreignHost(t *testing.T) (srv *httptest.Server, hits *atomic.Int32, sawToken *atomic.Bool) {
	t.Helper()
	hits, sawToken = &atomic.Int32{}, &atomic.Bool{}
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if strings.Contains(r.Header.Get("Authorization"), testToken) {
			sawToken.Store(true)
		}
		writeJSON(w, 200, page(""))
	}))
	t.Cleanup(srv.Close)
	return srv, hits, sawToken
}

func TestNextLinkToForeignHostIsNeverFollowed(t *testing.T) {
	foreign, foreignHits, sawToken := foreignHost(t)
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, page(foreign.URL+"/v1.0/me/mailFolders/drafts/messages?$skip=1", wireMsg("a", "s")))
	})
	c, _ := newTestClient(t, base)
	msgs, err := c.ListDrafts(context.Background())
	if !errors.Is(err, ErrForeignNextLink) || len(msgs) != 1 {
		t.Fatalf("ListDrafts = %d msgs, %v; want 1 and ErrForeignNextLink", len(msgs), err)
	}
	if foreignHits.Load() != 0 || sawToken.Load() {
		t.Fatal("the foreign host was contacted")
	}
}

func TestRedirectIsNeverFollowedEvenWithCallersHTTPClient(t *testing.T) {
	foreign, foreignHits, sawToken := foreignHost(t)
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, foreign.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	})
	// A caller's client with the default redirect policy: net/http would
	// keep the Authorization header, since the host name is the same.
	c, _ := newTestClient(t, base, func(o *Options) { o.HTTPClient = &http.Client{}; o.MaxAttempts = 1 })
	_, err := c.ListDrafts(context.Background())
	var gerr *Error
	if !errors.As(err, &gerr) || gerr.Status != http.StatusTemporaryRedirect {
		t.Fatalf("err = %v, want the redirect returned as an *Error", err)
	}
	if foreignHits.Load() != 0 || sawToken.Load() {
		t.Fatal("the redirect was followed to another host")
	}
}
