package graph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// These tests run the client against servers that misbehave on purpose.

func TestGetHonoursFractionalRetryAfter(t *testing.T) {
	var hits atomic.Int32
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "2.128")
			writeGraphError(w, 429, "ApplicationThrottled", "slow down")
			return
		}
		writeJSON(w, 200, page("", wireMsg("a", "hello")))
	})
	c, waits := newTestClient(t, base)
	msgs, err := c.ListDrafts(context.Background())
	if err != nil || len(msgs) != 1 {
		t.Fatalf("ListDrafts = %v, %v", msgs, err)
	}
	if got := waits.all(); len(got) != 1 || got[0] != 2128*time.Millisecond {
		t.Fatalf("waited %v, want exactly [2.128s]", got)
	}
}

func TestGetHonoursHTTPDateRetryAfter(t *testing.T) {
	var hits atomic.Int32
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", time.Now().Add(10*time.Second).UTC().Format(http.TimeFormat))
			writeGraphError(w, 503, "ServiceUnavailable", "busy")
			return
		}
		writeJSON(w, 200, page(""))
	})
	c, waits := newTestClient(t, base)
	if _, err := c.ListDrafts(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := waits.all()
	if len(got) != 1 || got[0] < 8*time.Second || got[0] > 10*time.Second {
		t.Fatalf("waited %v, want one wait of about 10s", got)
	}
}

func TestAbsurdRetryAfterIsNotWaitedOut(t *testing.T) {
	var hits atomic.Int32
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "3600")
		writeGraphError(w, 429, "ApplicationThrottled", "slow down")
	})
	c, waits := newTestClient(t, base)
	_, err := c.ListDrafts(context.Background())
	if !IsThrottled(err) {
		t.Fatalf("err = %v, want throttled", err)
	}
	if len(waits.all()) != 0 || hits.Load() != 1 {
		t.Fatalf("waits %v, hits %d: want no wait and one request", waits.all(), hits.Load())
	}
	if d := Describe(err); !strings.Contains(d, "wait 1h0m0s") {
		t.Fatalf("Describe = %q, want the wait named", d)
	}
}

func TestServerErrorStreakBacksOffThenFails(t *testing.T) {
	var hits atomic.Int32
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeGraphError(w, 503, "ServiceUnavailable", "try later")
	})
	c, waits := newTestClient(t, base)
	_, err := c.ListDrafts(context.Background())
	var gerr *Error
	if !errors.As(err, &gerr) || gerr.Status != 503 {
		t.Fatalf("err = %v, want *Error 503", err)
	}
	if hits.Load() != DefaultMaxAttempts {
		t.Fatalf("hits = %d, want %d", hits.Load(), DefaultMaxAttempts)
	}
	if n := len(waits.all()); n != DefaultMaxAttempts-1 {
		t.Fatalf("%d backoff waits, want %d", n, DefaultMaxAttempts-1)
	}
	if d := Describe(err); !strings.Contains(d, "server error") {
		t.Fatalf("Describe = %q", d)
	}
}

func TestBadAnswersAreClearErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"truncated JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"value":[{"id":"a","subj`))
		}, "not valid JSON"},
		{"HTML error page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html><body>Bad Gateway</body></html>"))
		}, "text/html"},
		{"wrong content type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte(`{"value":[]}`))
		}, "expected JSON, got text/plain"},
		{"oversized body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"value":[{"id":"a","subject":"`))
			chunk := []byte(strings.Repeat("x", 1<<20))
			for range 50 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, "larger than 16 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, serve(t, tt.handler), func(o *Options) { o.MaxAttempts = 1 })
			_, err := c.ListDrafts(context.Background())
			if err == nil || !strings.Contains(err.Error()+" "+Describe(err), tt.want) {
				t.Fatalf("err = %v; want it to mention %q", err, tt.want)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Fatal("token in error")
			}
		})
	}
}

func TestNextLinkLoopStops(t *testing.T) {
	// Page 1 links to page 2, which links back to a page already read:
	// itself, or page 1 spelt differently (query re-encoded and reordered).
	for name, back := range map[string]func(r *http.Request, first string) string{
		"to itself": func(r *http.Request, _ string) string { return r.URL.Path + "?" + r.URL.RawQuery },
		"to page 1 respelt": func(_ *http.Request, first string) string {
			u, _ := url.Parse(first)
			return u.Path + "?" + u.Query().Encode()
		},
	} {
		t.Run(name, func(t *testing.T) {
			var srvURL, first string
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := hits.Add(1)
				if n > 5 {
					t.Error("client kept following a looping nextLink")
				}
				next := srvURL + "/v1.0/me/mailFolders/drafts/messages?$skip=1"
				if n == 1 {
					first = r.URL.RequestURI()
				}
				if r.URL.Query().Get("$skip") == "1" {
					next = srvURL + back(r, first)
				}
				writeJSON(w, 200, page(next, wireMsg("m"+string(rune('0'+n)), "s")))
			}))
			defer srv.Close()
			srvURL = srv.URL
			c, _ := newTestClient(t, srv.URL+"/v1.0")
			msgs, err := c.ListDrafts(context.Background())
			if !errors.Is(err, ErrNextLinkLoop) {
				t.Fatalf("err = %v, want ErrNextLinkLoop", err)
			}
			if len(msgs) != 2 || hits.Load() != 2 {
				t.Fatalf("got %d messages in %d requests, want the 2 pages read before the loop", len(msgs), hits.Load())
			}
		})
	}
}

func TestAtMostFourRequestsInFlight(t *testing.T) {
	var cur, peak atomic.Int32
	release := make(chan struct{})
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-release
		cur.Add(-1)
		writeJSON(w, 200, page(""))
	})
	c, _ := newTestClient(t, base)
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.ListDrafts(context.Background())
		}()
	}
	// Wait until the limit is reached, then let everything finish.
	deadline := time.Now().Add(5 * time.Second)
	for cur.Load() < DefaultMaxInFlight && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if p := peak.Load(); p != DefaultMaxInFlight {
		t.Fatalf("peak in flight = %d, want %d", p, DefaultMaxInFlight)
	}
}

// refreshingTokens hands out a new token after Invalidate.
type refreshingTokens struct {
	mu          sync.Mutex
	gen         int
	invalidated []string
}

func (r *refreshingTokens) Token(context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return "token-" + string(rune('0'+r.gen)), nil
}

func (r *refreshingTokens) Invalidate(tok string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.invalidated = append(r.invalidated, tok)
	r.gen++
}

func TestUnauthorizedRefreshesOnceThenSucceeds(t *testing.T) {
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer token-1" {
			writeGraphError(w, 401, CodeInvalidAuthToken, "Lifetime validation failed, the token is expired.")
			return
		}
		writeJSON(w, 200, page("", wireMsg("a", "s")))
	})
	toks := &refreshingTokens{}
	c, _ := newTestClient(t, base, func(o *Options) { o.Tokens = toks })
	if _, err := c.ListDrafts(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(toks.invalidated) != 1 || toks.invalidated[0] != "token-0" {
		t.Fatalf("invalidated %v, want [token-0]", toks.invalidated)
	}
}

func TestUnauthorizedTwiceSaysSignInAgain(t *testing.T) {
	var hits atomic.Int32
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeGraphError(w, 401, CodeInvalidAuthToken, "Access token has expired.")
	})
	toks := &refreshingTokens{}
	c, _ := newTestClient(t, base, func(o *Options) { o.Tokens = toks })
	_, err := c.ListDrafts(context.Background())
	if !IsUnauthorized(err) || hits.Load() != 2 {
		t.Fatalf("err = %v after %d requests; want unauthorized after 2", err, hits.Load())
	}
	if d := Describe(err); !strings.Contains(d, "sign in again") {
		t.Fatalf("Describe = %q, want the sign-in command", d)
	}
}

func TestForbiddenListingNamesPermission(t *testing.T) {
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		writeGraphError(w, 403, CodeAccessDenied, "Access is denied. Check credentials and try again.")
	})
	c, _ := newTestClient(t, base)
	_, err := c.ListDrafts(context.Background())
	if !IsForbidden(err) || !strings.Contains(Describe(err), "Mail.ReadWrite") {
		t.Fatalf("err = %v, Describe = %q", err, Describe(err))
	}
}

func TestErrorTextFromServerIsCleaned(t *testing.T) {
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		writeGraphError(w, 400, "Bad\x1b]0;pwned\x07Code", "evil \x1b[2J message\x9b31m")
	})
	c, _ := newTestClient(t, base)
	_, err := c.ListDrafts(context.Background())
	for _, s := range []string{err.Error(), Describe(err)} {
		if strings.ContainsAny(s, "\x1b\x07\u009b") {
			t.Fatalf("control characters reached the error text: %q", s)
		}
	}
}

func TestCancelledContextStopsRetrying(t *testing.T) {
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		writeGraphError(w, 429, "ApplicationThrottled", "slow down")
	})
	c, err := New(Options{BaseURL: base, Tokens: StaticToken(testToken)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.ListDrafts(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Fatal("the wait for Retry-After was not cancellable")
	}
}

func TestBaseURLRules(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"", true},
		{"https://graph.microsoft.us/v1.0", true},
		{"https://microsoftgraph.chinacloudapi.cn/v1.0/", true},
		{"http://127.0.0.1:8787/v1.0", true},
		{"http://localhost:8787/v1.0", true},
		{"http://[::1]:8787/v1.0", true},
		{"http://graph.example.com/v1.0", false},
		{"graph.microsoft.com/v1.0", false},
		{"ftp://graph.microsoft.com", false},
		{"https://graph.microsoft.com/v1.0?x=1", false},
	} {
		_, err := New(Options{BaseURL: tt.url, Tokens: StaticToken("t")})
		if (err == nil) != tt.ok {
			t.Errorf("New(%q) err = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}

func TestMailboxPathAndQuoting(t *testing.T) {
	var gotPath, gotFilter string
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.Path
		gotFilter = r.URL.Query().Get("$filter")
		writeJSON(w, 200, page(""))
	})
	c, _ := newTestClient(t, base, func(o *Options) { o.Mailbox = "shared.o'neil@contoso.example" })
	if _, err := c.FindSent(context.Background(), "<it's@contoso.example>"); err != nil {
		t.Fatal(err)
	}
	if gotPath != "/v1.0/users/shared.o'neil@contoso.example/mailFolders/sentitems/messages" {
		t.Errorf("path = %q", gotPath)
	}
	if gotFilter != "internetMessageId eq '<it''s@contoso.example>'" {
		t.Errorf("filter = %q", gotFilter)
	}
}
