package main

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestE2EListStaysTrueAndStartsFromCache drives the built binary in a pseudo-terminal: a draft
// another client writes appears with no key pressed (the quiet refresh); the next start shows
// the list from the cache in its first frame, marked cached, and Graph is asked only what
// changed (a delta request, no listing); logout removes the cache.
func TestE2EListStaysTrueAndStartsFromCache(t *testing.T) {
	e2e(t)
	// An emulator that takes any unexpired token: each run names its account in a JWT.
	g := &graphServer{Server: emulator.New(emulator.Options{NoSendDelay: true})}
	t.Cleanup(func() { _ = g.Close() })
	g.start(t, "127.0.0.1:0")
	now := time.Now()
	to := []emulator.Recipient{emulator.Addr("Megan Bowen", "megan.bowen@contoso.example")}
	g.AddDraft(emulator.Draft{Subject: "Kept between runs", To: to, LastModified: now.Add(-time.Hour)})
	env := newE2EEnv(t, g.base)
	env.vars["DRAFTS_REFRESH"] = "5s" // the shortest allowed
	// The list is kept per account: the token names one (tenant and object id), as Graph's do.
	env.vars["DRAFTS_ACCESS_TOKEN"] = testJWT(t, "adele-oid")

	s := startTUI(t, env, 100, 30)
	s.waitFor("1 of 1", "Kept between runs")
	g.AddDraft(emulator.Draft{Subject: "Written by a script", To: to, LastModified: time.Now()})
	s.waitFor("Written by a script", "● new") // no key pressed: the quiet refresh brought it
	s.quit()

	g.AddDraft(emulator.Draft{Subject: "Written while away", To: to, LastModified: time.Now()})
	listings := g.Count("GET", "/mailFolders/drafts/messages")
	s = startTUI(t, env, 100, 30)
	first := s.waitFor("Kept between runs", "Written by a script")
	if !strings.Contains(first, "Written while away") && !strings.Contains(first, "cached") {
		t.Fatalf("the first frame with drafts is neither cached nor up to date:\n%s", first)
	}
	s.waitFor("Written while away", "● new")
	s.waitUntil("the cached mark gone", func(scr string) bool { return !strings.Contains(scr, "cached") })
	if n := g.Count("GET", "/mailFolders/drafts/messages") - listings; n != 0 {
		t.Errorf("a start from the cache listed Drafts %d times: it should ask only what changed", n)
	}
	s.quit()

	// Another account on the same machine: the first's list is not shown, not even cached.
	env.vars["DRAFTS_ACCESS_TOKEN"] = testJWT(t, "bob-oid")
	s = startTUI(t, env, 100, 30)
	s.waitUntil("the list, and a note on the cache", func(scr string) bool {
		return strings.Contains(flat(scr), "1 of 3") && strings.Contains(flat(scr), "of another mailbox; it is ignored")
	})
	if strings.Contains(s.screen(), "· cached") {
		t.Fatalf("another account's cached list is shown:\n%s", s.screen())
	}
	s.quit()

	r := cli(t, env, "logout")
	if r.code != 0 || !strings.Contains(r.stdout, "removed the cached drafts list") {
		t.Fatalf("logout: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// testJWT is an unsigned access token shaped as Graph's, for the account oid: the emulator takes
// any JWT that has not expired, and drafts tells accounts apart by its claims.
func testJWT(t *testing.T, oid string) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "none", "typ": "JWT"}) + "." +
		enc(map[string]any{"tid": "contoso-tenant", "oid": oid, "exp": time.Now().Add(time.Hour).Unix()}) + ".e2e-S3CRET"
}
