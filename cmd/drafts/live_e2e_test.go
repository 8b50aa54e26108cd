package main

import (
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
	g := newGraph(t, emulator.Options{})
	now := time.Now()
	to := []emulator.Recipient{emulator.Addr("Megan Bowen", "megan.bowen@contoso.example")}
	g.AddDraft(emulator.Draft{Subject: "Kept between runs", To: to, LastModified: now.Add(-time.Hour)})
	env := newE2EEnv(t, g.base)
	env.vars["DRAFTS_REFRESH"] = "5s" // the shortest allowed

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

	r := cli(t, env, "logout")
	if r.code != 0 || !strings.Contains(r.stdout, "removed the cached drafts list") {
		t.Fatalf("logout: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
