package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// writeScript writes a shell script and returns a VISUAL that runs it; $1 is the file to edit.
func writeScript(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "editor.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Run by sh, not executed itself: a file just written can be "text file busy" to exec
	// while another test's process forks with it still open (ETXTBSY).
	return "/bin/sh " + p
}

// TestE2EEditNewDiscardOnScreen drives the built binary in a pseudo-terminal with an editor
// script: e changes the subject and adds a Cc (the same draft id changes on the emulator), a
// draft changed on the server while the editor is open is not overwritten and the next e opens
// the new version with the user's text below it, n writes a new draft, and d then u discards
// nothing.
func TestE2EEditNewDiscardOnScreen(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	d := g.AddDraft(emulator.Draft{Subject: "Q3 numbers", Body: "Hi Megan,\n\nnumbers attached.",
		To: []emulator.Recipient{emulator.Addr("Megan Bowen", "megan.bowen@contoso.example")}})
	env := newE2EEnv(t, g.base)
	env.vars["DRAFTS_UNDO_SEND"] = "2m"
	env.vars["VISUAL"] = writeScript(t, `sed -i -e 's/^Subject: .*/Subject: Q3 numbers (final)/' -e 's/^Cc:.*/Cc: Alex Wilber <alex.wilber@contoso.example>/' "$1"`)
	s := startTUI(t, env, 100, 30)
	s.waitFor("1 of 1", "Q3 numbers")

	// e: the subject and a Cc change; the same draft, one PATCH.
	s.keys("e")
	s.waitUntil("the save", func(string) bool { return strings.Contains(s.statusLine(), "Saved “Q3 numbers (final)”") })
	got := g.Drafts("")
	if len(got) != 1 || got[0].ID != d.ID || got[0].Subject != "Q3 numbers (final)" || len(got[0].CcRecipients) != 1 {
		t.Fatalf("the draft on the server: %+v", got)
	}
	if n := g.Count("PATCH", ""); n != 1 {
		t.Fatalf("%d PATCHes", n)
	}
	s.quit()

	// A conflict: the draft changes on the server while the editor is open.
	mark := filepath.Join(t.TempDir(), "changed")
	opened := filepath.Join(t.TempDir(), "opened")
	env.vars["VISUAL"] = writeScript(t, `sed -i 's/^Subject: .*/Subject: my subject/' "$1"; touch `+opened+`; while [ ! -f `+mark+` ]; do sleep 0.02; done`)
	s = startTUI(t, env, 100, 30)
	s.waitFor("1 of 1")
	s.keys("e")
	waitFile(t, opened)
	c, err := graph.New(graph.Options{BaseURL: g.base, Tokens: graph.StaticToken(e2eToken)})
	if err != nil {
		t.Fatal(err)
	}
	subject := "changed in Outlook"
	if _, err := c.UpdateDraft(context.Background(), d.ID, "", graph.DraftFields{Subject: &subject}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mark, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s.waitUntil("the conflict", func(string) bool { return strings.Contains(s.statusLine(), "nothing was overwritten") })
	if got := g.Drafts("")[0].Subject; got != "changed in Outlook" {
		t.Fatalf("the server's version was overwritten: %q", got)
	}
	seen := filepath.Join(t.TempDir(), "seen")
	s.quit() // the editor is read at start: the next one comes with a new start
	env.vars["VISUAL"] = writeScript(t, `cp "$1" `+seen)
	s = startTUI(t, env, 100, 30)
	s.waitFor("changed in Outlook")
	s.keys("e")
	s.waitUntil("the editor's end", func(string) bool { return strings.Contains(s.statusLine(), "No changes") })
	text, _ := os.ReadFile(seen)
	if !strings.Contains(string(text), "Subject: changed in Outlook") || !strings.Contains(string(text), "# Subject: my subject") {
		t.Fatalf("the editor was given:\n%s", text)
	}

	// n: a new draft.
	s.quit()
	env.vars["VISUAL"] = writeScript(t, `printf 'To: lee.gu@contoso.example\nSubject: Lunch?\n\nTomorrow at noon?\n' > "$1"`)
	s = startTUI(t, env, 100, 30)
	s.waitFor("1 of 1")
	s.keys("n")
	s.waitUntil("the new draft", func(string) bool { return strings.Contains(s.statusLine(), "Created “Lunch?”") })
	s.waitFor("1 of 2", "Lunch?")

	// d then u: nothing discarded (the countdown's end is tested in ui, with a clock).
	s.keys("d")
	s.waitFor("Discarding “Lunch?” in", "— u undo")
	s.keys("u")
	s.waitUntil("the undo", func(string) bool {
		return strings.Contains(s.statusLine(), "Not discarded: “Lunch?” stays in Drafts")
	})
	if n := g.Count("DELETE", ""); n != 0 || len(g.Drafts("")) != 2 {
		t.Fatalf("%d DELETEs, %d drafts after u", n, len(g.Drafts("")))
	}
	s.quit()
}

// waitFile waits for a file the editor script makes.
func waitFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the editor did not make %s within %s", path, e2eWait)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
