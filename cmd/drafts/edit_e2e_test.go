package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestE2EEditNewAndRmOnTheCommandLine runs the built binary as a script would: 'drafts new'
// from flags and a body file, 'drafts edit' with an editor that is a script (a bad address:
// exit 1 and the text kept in a private file; fixed on the next run, which offers the kept
// text back; an editor that fails), and 'drafts rm' with and without --yes, checking each exit
// code and what the emulator holds.
func TestE2EEditNewAndRmOnTheCommandLine(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	env := newE2EEnv(t, g.base)
	draft := func(id string) *emulator.Message {
		for _, m := range g.Drafts("") {
			if m.ID == id {
				return &m
			}
		}
		return nil
	}

	body := filepath.Join(t.TempDir(), "body.txt")
	if err := os.WriteFile(body, []byte("Hello,\nthe plan.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := cli(t, env, "new", "--to", "Alex Wilber <alexw@contoso.example>", "--subject", "Plan", "--body-file", body, "--json")
	var created struct{ ID string }
	if r.code != exitOK || json.Unmarshal([]byte(r.stdout), &created) != nil || created.ID == "" {
		t.Fatalf("new: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	id := created.ID
	if d := draft(id); d == nil || d.Subject != "Plan" || d.Body.Content != "Hello,\nthe plan.\n" || len(d.ToRecipients) != 1 {
		t.Fatalf("new: the draft is %+v", d)
	}
	if r := cli(t, env, "new"); r.code != exitUsage || !strings.Contains(r.stderr, "nothing to create") {
		t.Fatalf("new with nothing: exit %d, stderr %q", r.code, r.stderr)
	}

	// A bad address: nothing written, the text kept.
	env.vars["VISUAL"] = editorScript(t, `sed -i -e 's/^Subject: .*/Subject: Plan v2/' -e 's/^Cc: .*/Cc: bob@/' "$1"`)
	r = cli(t, env, "edit", id)
	if r.code != exitFailed || !strings.Contains(r.stderr, `Cc: "bob@" is not an address`) || g.Count("PATCH", id) != 0 {
		t.Fatalf("bad address: exit %d, stderr %q, %d PATCHes", r.code, r.stderr, g.Count("PATCH", id))
	}
	kept := keptPath(t, r.stderr)
	if fi, err := os.Stat(kept); err != nil || fi.Mode().Perm() != 0o600 || filepath.Dir(kept) != filepath.Join(env.cacheDir, "edits") {
		t.Fatalf("kept text %s: %v %v", kept, fi, err)
	}
	// Fixed: the kept text is offered back, and the same draft is changed.
	env.vars["VISUAL"] = editorScript(t, `sed -i 's/^Cc: .*/Cc: Bob <bob@contoso.example>/' "$1"`)
	r = cli(t, env, "edit", id)
	if r.code != exitOK || r.stdout != "saved “Plan v2” (changed: Cc, Subject)\n" || g.Count("PATCH", id) != 1 {
		t.Fatalf("fixed: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if d := draft(id); d == nil || d.Subject != "Plan v2" || len(d.CcRecipients) != 1 || d.Body.Content != "Hello,\nthe plan.\n" {
		t.Fatalf("fixed: the draft is %+v", d)
	}
	if _, err := os.Stat(kept); !os.IsNotExist(err) {
		t.Fatalf("the kept text outlived the save: %v", err)
	}
	// An editor that fails: nothing saved.
	env.vars["VISUAL"] = editorScript(t, `sed -i 's/^Subject: .*/Subject: never/' "$1"; exit 4`)
	if r := cli(t, env, "edit", id); r.code != exitFailed || !strings.Contains(r.stderr, "exited with status 4: nothing saved") || g.Count("PATCH", id) != 1 {
		t.Fatalf("editor failed: exit %d, stderr %q", r.code, r.stderr)
	}

	if r := cli(t, env, "rm", id); r.code != exitUsage || !strings.Contains(r.stderr, "--yes") || g.Count("DELETE", id) != 0 {
		t.Fatalf("rm without --yes: exit %d, stderr %q", r.code, r.stderr)
	}
	r = cli(t, env, "rm", id, "--yes", "--json")
	if r.code != exitOK || !strings.Contains(r.stdout, `"outcome":"discarded"`) || draft(id) != nil || len(g.Messages("", "deleteditems")) != 1 {
		t.Fatalf("rm --yes: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := cli(t, env, "rm", id, "--yes"); r.code != exitFailed || !strings.Contains(r.stderr, "already gone") {
		t.Fatalf("rm of a draft already gone: exit %d, stderr %q", r.code, r.stderr)
	}
}
