package main

// Sign-in through the fake identity provider cannot be reached from the built binary (it trusts
// only its own TLS certificate, through signInOptions), so these tests drive the same code in
// this process: run(), the full-screen interface on a pseudo-terminal, and 'drafts send'.

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestE2EInProcessExpiredTokenRefreshesOnceThenSaysSignInAgain: Graph refuses the signed-in
// user's access token at start and mid-session; each time one silent refresh fixes it. Once the
// refresh token is revoked too, one refresh attempt, then a clear "sign in again". A 401 to a
// send renews the token without repeating the POST.
func TestE2EInProcessExpiredTokenRefreshesOnceThenSaysSignInAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end; skipped with -short")
	}
	idp := useFakeIdP(t)
	env := signInEnv(t)
	env["HOME"] = t.TempDir()
	env["DRAFTS_SEND_WAIT"] = "10s" // the 401'd send below settles "not sent" after 2.5 s, not 30 s
	if r := drafts(t, env, "login"); r.code != 0 {
		t.Fatalf("login: exit %d, %s", r.code, r.stderr)
	}
	g := emulator.New(emulator.Options{NoSendDelay: true})
	g.SeedDemo()
	base, err := g.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	env["DRAFTS_GRAPH_URL"] = base
	refreshes := func() int { n, _, _ := idp.Counts(); return n }

	// The cached token is refused at start: one silent refresh.
	before := refreshes()
	// (On the listing: the count and the link for changes go out alongside it, and whichever
	// took the fault would refresh, at its own time.)
	g.Inject(emulator.Rule{Method: "GET", Path: listPath, Times: 1, Fault: emulator.ExpiredToken()})
	s := startInProcess(t, env, 80, 24)
	s.waitFor("1 of 20", demoListed)
	// The fault may have hit the count or the link, whose refresh can come after the list is
	// on screen: wait for it, then check it was the only one.
	deadline := time.Now().Add(e2eWait)
	for refreshes()-before < 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := refreshes() - before; n != 1 {
		t.Fatalf("%d refreshes for a refused token at start, want 1", n)
	}

	// Mid-session: the same.
	before = refreshes()
	g.Inject(emulator.Rule{Method: "GET", Path: listPath, Times: 1, Fault: emulator.ExpiredToken()})
	mark := len(g.Requests())
	s.keys("r")
	waitRequests(t, &graphServer{Server: g}, "the list asked again", func([]emulator.RequestRecord) bool {
		gets := listGetsSince(&graphServer{Server: g}, mark)
		return len(gets) == 2 && gets[1].Status == 200
	})
	s.waitFor("1 of 20 · newest first")
	if n := refreshes() - before; n != 1 {
		t.Fatalf("%d refreshes for a refused token mid-session, want 1", n)
	}

	// Revoked: one refresh attempt, then "sign in again", and the list stays.
	before = refreshes()
	idp.RevokeAll()
	g.Inject(emulator.Rule{Fault: emulator.ExpiredToken()})
	s.keys("r")
	s.waitUntil("sign in again", func(string) bool { return strings.Contains(s.statusLine(), "drafts login") })
	if n := refreshes() - before; n != 1 {
		t.Fatalf("%d refresh attempts after revocation, want 1", n)
	}
	if !strings.Contains(s.screen(), demoListed) {
		t.Fatalf("the last good list is gone:\n%s", s.screen())
	}
	s.quit()
	g.ClearFaults()

	// A 401 to a send: the token is renewed, the POST is not repeated; the answer is not a
	// documented refusal, so drafts looks (with the new token): still in Drafts, not sent; the
	// user sends again.
	if r := drafts(t, env, "login"); r.code != 0 {
		t.Fatalf("login again: exit %d, %s", r.code, r.stderr)
	}
	d := g.AddDraft(emulator.Draft{Subject: "Token expired at send", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	g.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.ExpiredToken()})
	before = refreshes()
	first := drafts(t, env, "send", d.ID, "--yes", "--json")
	var out sendJSON
	if err := json.Unmarshal([]byte(first.stdout), &out); err != nil || first.code != exitFailed || out.Outcome != "not-sent" ||
		!strings.Contains(out.Summary, "still in Drafts") || !strings.Contains(out.Error, "renewed") {
		t.Fatalf("send with an expired token: exit %d, %q (%v)", first.code, first.stdout, err)
	}
	if n, posts := refreshes()-before, g.Count("POST", "/send"); n != 1 || posts != 1 {
		t.Fatalf("%d refreshes, %d POSTs; want 1 and 1", n, posts)
	}
	second := drafts(t, env, "send", d.ID, "--yes")
	if second.code != exitOK || g.Count("POST", "/send") != 2 {
		t.Fatalf("send again: exit %d, %q; %d POSTs", second.code, second.stdout, g.Count("POST", "/send"))
	}
	noSecrets(t, idp, first, second)
	for _, secret := range idp.Secrets() {
		if strings.Contains(string(s.rawBytes()), secret) {
			t.Fatal("a token reached the terminal")
		}
	}
}
