package main

import (
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestE2EUndoKeysDoWhatTheScreenSays drives the built binary in a pseudo-terminal with a long
// undo countdown and counts the POSTs the emulator sees: two countdowns and an undo (u takes
// the one the line names), an undo while a confirm dialog is open, an undo after the terminal
// shrinks to 30×8, y on a draft with no recipients, and the quit question's "send now".
func TestE2EUndoKeysDoWhatTheScreenSays(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	now := time.Now()
	to := []emulator.Recipient{emulator.Addr("Megan Bowen", "megan.bowen@contoso.example")}
	g.AddDraft(emulator.Draft{Subject: "Nobody yet", LastModified: now.Add(-3 * time.Hour)})
	g.AddDraft(emulator.Draft{Subject: "Beta", To: to, LastModified: now.Add(-2 * time.Hour)})
	g.AddDraft(emulator.Draft{Subject: "Alpha", To: to, LastModified: now.Add(-1 * time.Hour)})
	env := newE2EEnv(t, g.base)
	env.vars["DRAFTS_UNDO_SEND"] = "2m" // long enough for every step below
	s := startTUI(t, env, 80, 24)
	s.waitFor("1 of 3", "Alpha")
	noPosts := func(when string) {
		t.Helper()
		if n := g.posts(); n != 0 {
			t.Fatalf("%s: %d POSTs", when, n)
		}
	}

	// Two countdowns: the line names the latest, and u takes exactly that one.
	s.keys("s")
	s.waitFor("Send this draft now?")
	s.keys("y")
	s.waitFor("Sending “Alpha” in", "— u undo")
	s.keys("j")
	s.waitFor("2 of 3")
	s.keys("s")
	s.waitFor("Send this draft now?")
	s.keys("y")
	s.waitFor("2 sends counting down; “Beta” in", "u undoes it", "U undoes all")
	s.keys("u")
	s.waitFor("Not sent: “Beta” is still a draft", "Sending “Alpha” in")
	noPosts("after two countdowns and an undo")

	// A confirm dialog for another draft is open: u still undoes the countdown.
	s.keys("s") // Beta is selected
	s.waitFor("Send this draft now?", "Sending “Alpha” in")
	s.keys("u")
	s.waitUntil("Alpha undone under the dialog", func(scr string) bool {
		return !strings.Contains(scr, "Sending “Alpha” in") && strings.Contains(scr, "Send this draft now?")
	})
	noPosts("after an undo under the dialog")
	s.keys("n")
	s.waitUntil("the dialog closed", func(scr string) bool { return !strings.Contains(scr, "Send this draft now?") })

	// A countdown, then a 30×8 terminal: the countdown and its key stay, and u works.
	s.keys("y") // not a dialog any more: y does nothing on the list
	s.keys("s")
	s.waitFor("Send this draft now?")
	s.keys("y")
	s.waitFor("Sending “Beta” in")
	s.resize(30, 8)
	s.waitUntil("the countdown and its key on the small screen", func(scr string) bool {
		return strings.Contains(flat(scr), "too small") && strings.Contains(flat(scr), "Sending “Beta” in") && strings.Contains(flat(scr), "— u undo")
	})
	s.keys("u")
	s.waitUntil("Beta undone on the small screen", func(scr string) bool {
		return !strings.Contains(flat(scr), "Sending “Beta”") && strings.Contains(flat(scr), "Not sent")
	})
	noPosts("after an undo on a 30×8 screen")
	s.resize(80, 24)
	s.waitFor("2 of 3")

	// A draft with no recipients: the dialog offers no y, and y sends nothing.
	s.keys("j")
	s.waitFor("3 of 3")
	s.keys("s")
	s.waitFor("This draft cannot be sent", "n/esc close")
	s.keys("y")
	s.keys("n")
	s.waitUntil("the dialog closed", func(scr string) bool { return !strings.Contains(scr, "cannot be sent") })
	noPosts("after y on a draft with no recipients")

	// Quitting during a countdown asks; s sends now: one POST, and drafts quits once Outlook
	// has it (s was a choice to quit).
	s.keys("g")
	s.waitFor("1 of 3")
	s.keys("s")
	s.waitFor("Send this draft now?")
	s.keys("y")
	s.waitFor("Sending “Alpha” in")
	s.keys("q")
	s.waitFor("Quit before sending?", "s send now")
	s.keys("s")
	if code := s.waitExit(); code != 0 {
		t.Fatalf("drafts exited %d after send now", code)
	}
	if n := g.posts(); n != 1 {
		t.Fatalf("%d POSTs at the end, want 1", n)
	}
}

// flat is the screen as one line of words: wrapped lines read as they are meant.
func flat(scr string) string { return strings.Join(strings.Fields(scr), " ") }
