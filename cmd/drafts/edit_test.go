package main

// In-process tests of 'drafts edit', 'drafts new' and 'drafts rm' against the emulator; the
// editor is a shell script that rewrites its file with sed, so no terminal is needed.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/compose"
	"github.com/draftsmail/drafts/graph/emulator"
)

// writeRequest is a request that changes something (not a GET), as the server received it.
type writeRequest struct {
	Method, Path, IfMatch string
	Body                  []byte
}

// writeLog records the changing requests a recordingMailbox received.
type writeLog struct {
	mu   sync.Mutex
	reqs []writeRequest
}

func (l *writeLog) all(method string) []writeRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []writeRequest
	for _, r := range l.reqs {
		if r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

// recordingMailbox is mailbox, served through a handler that also records the body and the
// If-Match header of every request that is not a GET (the emulator's own log keeps neither).
func recordingMailbox(t *testing.T) (*emulator.Server, map[string]string, *writeLog) {
	t.Helper()
	emu := emulator.New(emulator.Options{})
	log := &writeLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			log.mu.Lock()
			log.reqs = append(log.reqs, writeRequest{r.Method, r.URL.Path, r.Header.Get("If-Match"), body})
			log.mu.Unlock()
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return emu, map[string]string{"DRAFTS_GRAPH_URL": srv.URL + "/v1.0", "DRAFTS_ACCESS_TOKEN": "test-token", "DRAFTS_CACHE_DIR": t.TempDir()}, log
}

// editorScript writes an executable shell script that is given the editor's file as $1, and
// returns its path.
func editorScript(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the editor is a shell script")
	}
	p := filepath.Join(t.TempDir(), "editor.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\nset -e\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// withEditor is env with EDITOR set to a script of body.
func withEditor(t *testing.T, env map[string]string, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range env {
		out[k] = v
	}
	out["EDITOR"] = editorScript(t, body)
	return out
}

// draftByID finds the draft id on the emulator.
func draftByID(t *testing.T, emu *emulator.Server, id string) emulator.Message {
	t.Helper()
	for _, m := range emu.Drafts("") {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("draft %s is not in Drafts", id)
	return emulator.Message{}
}

// keptFiles lists the files kept for unsaved text under the cache directory, and any editor file
// left behind (not the empty lock files that keep two editors off one draft's text).
func keptFiles(t *testing.T, env map[string]string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(env["DRAFTS_CACHE_DIR"], "edits", "*"))
	return slices.DeleteFunc(files, func(f string) bool { return strings.HasSuffix(f, ".edit.lock") })
}

// keptPath is the path a message says the text is kept in.
func keptPath(t *testing.T, stderr string) string {
	t.Helper()
	_, rest, ok := strings.Cut(stderr, "your text is kept in ")
	if !ok {
		t.Fatalf("stderr does not say where the text is kept: %q", stderr)
	}
	p, _, _ := strings.Cut(rest, ": run")
	return p
}

// changeElsewhere writes f to the draft as another client would (a PATCH without If-Match).
func changeElsewhere(t *testing.T, env map[string]string, id string, f graph.DraftFields) {
	t.Helper()
	c, err := graph.New(graph.Options{BaseURL: env["DRAFTS_GRAPH_URL"], Tokens: graph.StaticToken("elsewhere")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateDraft(context.Background(), id, "", f); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits until cond holds, polling the emulator's log.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// pending reports whether a request with method and a path containing part is held in the
// emulator.
func pending(emu *emulator.Server, method, part string) bool {
	for _, r := range emu.Requests() {
		if r.Method == method && strings.Contains(r.Path, part) && r.Outcome == emulator.OutcomePending {
			return true
		}
	}
	return false
}

func jsonKeys(t *testing.T, body []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("not JSON: %q", body)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func TestEditChangesSubjectAndAddsCcOnly(t *testing.T) {
	emu, env, log := recordingMailbox(t)
	d := emu.AddDraft(emulator.Draft{Subject: "Budget", Body: "Hello team,\nthe figures.", To: []emulator.Recipient{emulator.Addr("Alex Wilber", "alexw@contoso.example")}})
	seen := filepath.Join(t.TempDir(), "seen")
	env = withEditor(t, env, `cp "$1" `+seen+`; stat -c %a "$1" >> `+seen+`.mode
sed -i -e 's/^Subject: .*/Subject: Budget v2/' -e 's/^Cc: .*/Cc: Megan Bowen <meganb@contoso.example>/' "$1"`)
	r := drafts(t, env, "edit", d.ID)
	if r.code != exitOK || r.stdout != "saved “Budget v2” (changed: Cc, Subject)\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	got := draftByID(t, emu, d.ID)
	if got.Subject != "Budget v2" || len(got.CcRecipients) != 1 || got.CcRecipients[0].EmailAddress.Address != "meganb@contoso.example" ||
		got.CcRecipients[0].EmailAddress.Name != "Megan Bowen" || len(got.ToRecipients) != 1 || got.Body.Content != d.Body.Content {
		t.Fatalf("draft after the edit: %+v", got)
	}
	patches := log.all("PATCH")
	if len(patches) != 1 || !strings.HasSuffix(patches[0].Path, "/messages/"+d.ID) {
		t.Fatalf("PATCHes: %+v", patches)
	}
	if keys := strings.Join(sortedCopy(jsonKeys(t, patches[0].Body)), ","); keys != "ccRecipients,subject" {
		t.Errorf("the PATCH wrote %s, want only ccRecipients and subject: %s", keys, patches[0].Body)
	}
	if patches[0].IfMatch != graph.ETagOf(d.ChangeKey) {
		t.Errorf("If-Match %q, want the etag read when the editor opened (%q)", patches[0].IfMatch, graph.ETagOf(d.ChangeKey))
	}
	text, _ := os.ReadFile(seen)
	for _, want := range []string{"To: Alex Wilber <alexw@contoso.example>\n", "Cc: \n", "Subject: Budget\n", "\nHello team,\nthe figures.\n"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the editor's text lacks %q:\n%s", want, text)
		}
	}
	if mode, _ := os.ReadFile(seen + ".mode"); strings.TrimSpace(string(mode)) != "600" {
		t.Errorf("the editor's file had mode %q, want 600", mode)
	}
	if files := keptFiles(t, env); len(files) != 0 {
		t.Errorf("left in the cache directory after the save: %v", files)
	}
	// Saved again without a change: nothing is written.
	r = drafts(t, withEditor(t, env, "true"), "edit", d.ID)
	if r.code != exitOK || r.stdout != "no changes: nothing saved\n" || len(log.all("PATCH")) != 1 {
		t.Fatalf("unchanged: exit %d, stdout %q, stderr %q, %d PATCHes", r.code, r.stdout, r.stderr, len(log.all("PATCH")))
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestEditReplyKeepsItsQuoteAndStaysHTML(t *testing.T) {
	emu, env, log := recordingMailbox(t)
	const quote = `<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">` +
		`<div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Megan Bowen<br><b>Sent:</b> Monday<br><b>Subject:</b> Q3</div>` +
		`<div><p>Original text, &amp; its &lt;markup&gt;</p></div></body></html>`
	body := `<html><head><meta charset="utf-8"></head><body><p>My reply</p>` + quote
	d := emu.AddDraft(emulator.Draft{Subject: "RE: Q3", BodyType: "html", Body: body, To: []emulator.Recipient{emulator.Addr("Megan Bowen", "meganb@contoso.example")}})
	seen := filepath.Join(t.TempDir(), "seen")
	env = withEditor(t, env, `cp "$1" `+seen+`; sed -i 's/^My reply$/New reply \& more/' "$1"`)
	r := drafts(t, env, "edit", d.ID)
	if r.code != exitOK || !strings.Contains(r.stdout, "changed: the text") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	text, _ := os.ReadFile(seen)
	if strings.Contains(string(text), "Original text") || !strings.Contains(string(text), "\nMy reply\n") || !strings.Contains(string(text), "the quoted message under it in the draft stays as it is") {
		t.Errorf("the editor was not given the reply's own text alone:\n%s", text)
	}
	patches := log.all("PATCH")
	if len(patches) != 1 {
		t.Fatalf("%d PATCHes", len(patches))
	}
	var sent struct {
		Body graph.Body `json:"body"`
	}
	_ = json.Unmarshal(patches[0].Body, &sent)
	got := draftByID(t, emu, d.ID).Body
	for what, b := range map[string]graph.Body{"the PATCH": sent.Body, "the draft": {ContentType: got.ContentType, Content: got.Content}} {
		if !b.IsHTML() || !strings.HasSuffix(b.Content, quote) || !strings.Contains(b.Content, "<p>New reply &amp; more</p>") || strings.Contains(b.Content, "My reply") ||
			!strings.HasPrefix(b.Content, `<html><head><meta charset="utf-8"></head><body>`) {
			t.Errorf("%s's body is not the new text above the quote, as HTML: %+v", what, b)
		}
	}
}

func TestEditBadAddressThenFixNotOnATerminal(t *testing.T) {
	emu, env, log := recordingMailbox(t)
	d := emu.AddDraft(emulator.Draft{Subject: "Plans", Body: "text", To: []emulator.Recipient{emulator.Addr("", "alexw@contoso.example")}})
	r := drafts(t, withEditor(t, env, `sed -i -e 's/^Subject: .*/Subject: Plans, fixed later/' -e 's/^Cc: .*/Cc: Bob <bob@>/' "$1"`), "edit", d.ID)
	if r.code != exitFailed || !strings.Contains(r.stderr, `Cc: "Bob <bob@>" is not an address`) || !strings.Contains(r.stderr, "'drafts edit "+d.ID+"'") || len(log.all("PATCH")) != 0 {
		t.Fatalf("exit %d, stderr %q, %d PATCHes", r.code, r.stderr, len(log.all("PATCH")))
	}
	path := keptPath(t, r.stderr)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 || !strings.HasPrefix(path, env["DRAFTS_CACHE_DIR"]) {
		t.Fatalf("kept file %s: %v %v", path, fi, err)
	}
	if kept, _ := os.ReadFile(path); !strings.Contains(string(kept), "Subject: Plans, fixed later\n") {
		t.Fatalf("kept text: %q", kept)
	}
	// The next run offers the kept text: the subject typed last time is still there.
	r = drafts(t, withEditor(t, env, `sed -i 's/^Cc: .*/Cc: Bob <bob@contoso.example>/' "$1"`), "edit", d.ID)
	if r.code != exitOK || !strings.Contains(r.stderr, "opening the text you wrote for this draft") || r.stdout != "saved “Plans, fixed later” (changed: Cc, Subject)\n" {
		t.Fatalf("second run: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if got := draftByID(t, emu, d.ID); got.Subject != "Plans, fixed later" || len(got.CcRecipients) != 1 {
		t.Fatalf("draft: %+v", got)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the kept text is still there after the save: %v", err)
	}
}

func TestEditBadAddressOnATerminalOffersTheEditorAgain(t *testing.T) {
	for _, tc := range []struct {
		input string
		saved bool
	}{{"\n", true}, {"y\n", true}, {"n\n", false}, {"", false}} {
		emu, env, log := recordingMailbox(t)
		d := emu.AddDraft(emulator.Draft{Subject: "Plans", To: []emulator.Recipient{emulator.Addr("", "alexw@contoso.example")}})
		once := filepath.Join(t.TempDir(), "once")
		env = withEditor(t, env, `if [ -e `+once+` ]; then sed -i 's/^To: .*/To: alexw@contoso.example, lee@contoso.example/' "$1"
else touch `+once+`; sed -i 's/^To: .*/To: alexw@contoso.example, lee at contoso/' "$1"; fi`)
		r := onTerminal(t, env, tc.input, "edit", d.ID)
		if !strings.Contains(r.stderr, `To: "lee at contoso" is not an address`) || !strings.Contains(r.stderr, "Edit again? [Y/n]") {
			t.Errorf("%q: stderr %q", tc.input, r.stderr)
		}
		switch got := draftByID(t, emu, d.ID); {
		case tc.saved && (r.code != exitOK || len(got.ToRecipients) != 2 || len(log.all("PATCH")) != 1):
			t.Errorf("%q: exit %d, To %v, stderr %q", tc.input, r.code, got.ToRecipients, r.stderr)
		case !tc.saved && (r.code != exitFailed || len(log.all("PATCH")) != 0 || !strings.Contains(r.stderr, "your text is kept in")):
			t.Errorf("%q: exit %d, %d PATCHes, stderr %q", tc.input, r.code, len(log.all("PATCH")), r.stderr)
		}
	}
}

func TestEditEditorExitsNonZero(t *testing.T) {
	emu, env, log := recordingMailbox(t)
	d := emu.AddDraft(emulator.Draft{Subject: "Plans"})
	// Changed, then the editor fails: nothing saved, the text kept.
	r := drafts(t, withEditor(t, env, `sed -i 's/^Subject: .*/Subject: Half done/' "$1"; exit 3`), "edit", d.ID)
	if r.code != exitFailed || !strings.Contains(r.stderr, "exited with status 3: nothing saved; your text is kept in") || len(log.all("PATCH")) != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if kept, _ := os.ReadFile(keptPath(t, r.stderr)); !strings.Contains(string(kept), "Subject: Half done") {
		t.Fatalf("kept %q", kept)
	}
	if got := draftByID(t, emu, d.ID); got.Subject != "Plans" {
		t.Fatalf("subject %q", got.Subject)
	}
	// Untouched, then the editor fails (vim's :cq): nothing saved, nothing new to keep.
	emu2, env2, _ := recordingMailbox(t)
	d2 := emu2.AddDraft(emulator.Draft{Subject: "Plans"})
	r = drafts(t, withEditor(t, env2, `exit 1`), "edit", d2.ID)
	if r.code != exitFailed || !strings.Contains(r.stderr, "exited with status 1: nothing saved") || strings.Contains(r.stderr, "kept") || len(keptFiles(t, env2)) != 0 {
		t.Fatalf("untouched: exit %d, stderr %q, files %v", r.code, r.stderr, keptFiles(t, env2))
	}
}

func TestEditEditorNotFoundSaysWhichVariableToSet(t *testing.T) {
	emu, env, log := recordingMailbox(t)
	d := emu.AddDraft(emulator.Draft{Subject: "Plans"})
	for v, want := range map[string]string{"EDITOR": `"/nonexistent/editor" ($EDITOR) was not found`, "VISUAL": `"no-such-editor-here" ($VISUAL) was not found`} {
		e := map[string]string{}
		for k, val := range env {
			e[k] = val
		}
		e["EDITOR"] = "/nonexistent/editor"
		if v == "VISUAL" {
			e["VISUAL"] = "no-such-editor-here --wait"
		}
		r := drafts(t, e, "edit", d.ID)
		if r.code != exitFailed || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "set VISUAL or EDITOR") || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q", v, r.code, r.stderr)
		}
	}
	// Neither set, and no terminal for vi: said so, vi is not run.
	r := drafts(t, env, "edit", d.ID)
	if r.code != exitFailed || !strings.Contains(r.stderr, "not a terminal for vi") || !strings.Contains(r.stderr, "set EDITOR") {
		t.Errorf("no editor, no terminal: exit %d, stderr %q", r.code, r.stderr)
	}
	if len(log.all("PATCH")) != 0 {
		t.Fatal("a PATCH without an editor")
	}
}

func TestEditSubjectControlCharactersAreCleaned(t *testing.T) {
	emu, env, _ := recordingMailbox(t)
	d := emu.AddDraft(emulator.Draft{Subject: "Plans"})
	r := drafts(t, withEditor(t, env, `sed -i "s/^Subject: .*/Subject: Red $(printf '\033')[31malert$(printf '\007')/" "$1"`), "edit", d.ID)
	got := draftByID(t, emu, d.ID).Subject
	if r.code != exitOK || !strings.Contains(r.stderr, "control characters in the subject") || strings.ContainsAny(got, "\x1b\a") || !strings.HasPrefix(got, "Red alert") {
		t.Fatalf("exit %d, stderr %q, subject %q", r.code, r.stderr, got)
	}
}

func TestEditBodyOverGraphsLimitIsKept(t *testing.T) {
	emu, env, log := recordingMailbox(t)
	d := emu.AddDraft(emulator.Draft{Subject: "Plans"})
	r := drafts(t, withEditor(t, env, `head -c 5000000 /dev/zero | tr '\0' 'a' >> "$1"`), "edit", d.ID)
	if r.code != exitFailed || !strings.Contains(r.stderr, "larger than Graph accepts") || !strings.Contains(r.stderr, "your text is kept in") || len(log.all("PATCH")) != 0 {
		t.Fatalf("exit %d, stderr %q, %d PATCHes", r.code, r.stderr, len(log.all("PATCH")))
	}
	if fi, err := os.Stat(keptPath(t, r.stderr)); err != nil || fi.Size() < 5000000 {
		t.Fatalf("kept: %v %v", fi, err)
	}
}

func TestEditUnknownOrSentDraft(t *testing.T) {
	emu, env, _ := recordingMailbox(t)
	sent := emu.AddDraft(emulator.Draft{Subject: "Gone out", NotDraft: true, Folder: "sentitems"})
	env = withEditor(t, env, "true")
	for id, want := range map[string]string{emu.UnusedID(): "there is no draft with this id", sent.ID: "not a draft"} {
		r := drafts(t, env, "edit", id)
		if r.code != exitFailed || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: exit %d, stderr %q", id, r.code, r.stderr)
		}
	}
	if r := drafts(t, env, "edit"); r.code != exitUsage {
		t.Errorf("no id: exit %d", r.code)
	}
}

// TestEditConflict: the draft changes elsewhere while the editor is open, found by the version
// read before the PATCH, or by the PATCH's 412 (the change made while the PATCH is held in the
// server). Nothing is overwritten; on a terminal r reopens on the new version with the user's
// text below it, d drops the edit; elsewhere the text is kept and the next edit merges.
func TestEditConflict(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hold  emulator.Rule // Path is the draft's id
		held  string        // in the path of the held request
		input string        // "" not on a terminal
	}{
		{"found before the PATCH, not on a terminal", emulator.Rule{Method: "GET", Query: "isDraft,changeKey"}, "isDraft,changeKey", ""},
		{"412 to the PATCH, not on a terminal", emulator.Rule{Method: "PATCH"}, "/messages/", ""},
		{"412 to the PATCH, reopen", emulator.Rule{Method: "PATCH"}, "/messages/", "r\n"},
		{"found before the PATCH, drop", emulator.Rule{Method: "GET", Query: "isDraft,changeKey"}, "isDraft,changeKey", "d\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu, env, log := recordingMailbox(t)
			d := emu.AddDraft(emulator.Draft{Subject: "Plans", Body: "Draft text", To: []emulator.Recipient{emulator.Addr("", "alexw@contoso.example")}})
			hold := make(chan struct{})
			rule := tc.hold
			rule.Path, rule.Times, rule.Fault = d.ID, 1, emulator.Fault{Hold: hold}
			emu.Inject(rule)
			env = withEditor(t, env, `sed -i 's/^Subject: .*/Subject: Mine/' "$1"`)
			done := make(chan result, 1)
			go func() {
				if tc.input == "" {
					done <- drafts(t, env, "edit", d.ID)
				} else {
					done <- onTerminal(t, env, tc.input, "edit", d.ID)
				}
			}()
			waitFor(t, "the held request", func() bool { return pending(emu, rule.Method, tc.held) })
			cc := []graph.Recipient{{Name: "Lee", Address: "lee@contoso.example"}}
			changeElsewhere(t, env, d.ID, graph.DraftFields{Cc: &cc})
			close(hold)
			r := <-done
			got := draftByID(t, emu, d.ID)
			if !strings.Contains(r.stderr, "the draft was changed elsewhere while you edited it (changed there: Cc); nothing was overwritten") {
				t.Errorf("stderr does not say what changed: %q", r.stderr)
			}
			if len(got.CcRecipients) != 1 {
				t.Fatalf("the change made elsewhere was lost: %+v", got)
			}
			switch tc.input {
			case "":
				if r.code != exitFailed || got.Subject != "Plans" || !strings.Contains(r.stderr, "run 'drafts edit "+d.ID+"' to go on with it") {
					t.Fatalf("exit %d, subject %q, stderr %q", r.code, got.Subject, r.stderr)
				}
				kept, _ := os.ReadFile(keptPath(t, r.stderr))
				if !strings.HasPrefix(string(kept), "To: alexw@contoso.example\nCc: Lee <lee@contoso.example>\n") || !strings.Contains(string(kept), "\n# Subject: Mine\n") {
					t.Fatalf("kept: %s", kept)
				}
				// The next edit opens the new version with the text below: taking the subject
				// from it saves both.
				r = drafts(t, env, "edit", d.ID)
				got = draftByID(t, emu, d.ID)
				if r.code != exitOK || got.Subject != "Mine" || len(got.CcRecipients) != 1 || got.Body.Content != "Draft text" {
					t.Fatalf("the next edit: exit %d, stderr %q, draft %+v", r.code, r.stderr, got)
				}
			case "r\n":
				if r.code != exitOK || got.Subject != "Mine" || !strings.Contains(r.stderr, "[r]eopen on the new version") || len(keptFiles(t, env)) != 0 {
					t.Fatalf("reopen: exit %d, subject %q, stderr %q", r.code, got.Subject, r.stderr)
				}
			case "d\n":
				if r.code != exitFailed || got.Subject != "Plans" || !strings.Contains(r.stderr, "your edit is dropped") || len(keptFiles(t, env)) != 0 {
					t.Fatalf("drop: exit %d, subject %q, stderr %q, files %v", r.code, got.Subject, r.stderr, keptFiles(t, env))
				}
			}
			for _, p := range log.all("PATCH") {
				if p.IfMatch == "" && !strings.Contains(string(p.Body), "lee@") {
					t.Errorf("a PATCH of the command without If-Match: %s", p.Body)
				}
			}
		})
	}
}

func TestNewFromFlags(t *testing.T) {
	emu, env, log := recordingMailbox(t)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"new", "--to", "Alex Wilber <alexw@contoso.example>", "--cc", "lee@contoso.example, Megan <meganb@contoso.example>",
		"--subject", "Hello\x1b]0;title\x07 there", "--body-file", "-", "--json"}, stdio{in: strings.NewReader("First line.\nSecond.\n"), out: &out, err: &errb}, func(k string) string { return env[k] })
	var created struct{ ID string }
	if code != exitOK || json.Unmarshal(out.Bytes(), &created) != nil || created.ID == "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	got := draftByID(t, emu, created.ID)
	if got.Subject != "Hello there" || len(got.ToRecipients) != 1 || got.ToRecipients[0].EmailAddress.Name != "Alex Wilber" || len(got.CcRecipients) != 2 ||
		got.Body.Content != "First line.\nSecond.\n" || !strings.Contains(errb.String(), "control characters in --subject") {
		t.Fatalf("draft %+v, stderr %q", got, errb.String())
	}
	// Flags alone, no terminal: made at once.
	r := drafts(t, env, "new", "--to", "alexw@contoso.example", "--subject", "Just flags")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "created “Just flags”: ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// A body from a file.
	f := filepath.Join(t.TempDir(), "body.txt")
	_ = os.WriteFile(f, []byte("From a file"), 0o600)
	if r := drafts(t, env, "new", "--body-file", f); r.code != exitOK {
		t.Fatalf("body file: exit %d, stderr %q", r.code, r.stderr)
	}
	if n := len(log.all("POST")); n != 3 {
		t.Fatalf("%d POSTs, want 3", n)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"new"}, "nothing to create"},
		{[]string{"new", "--subject", "  "}, "nothing to create"},
		{[]string{"new", "--to", "alexw@contoso.example, bob@"}, `--to: "bob@" is not an address`},
		{[]string{"new", "--cc", "not an address"}, `--cc: "not an address" is not an address`},
		{[]string{"new", "--to", "a@contoso.example\nSubject: injected"}, "is not an address"},
		{[]string{"new", "--body-file", filepath.Join(t.TempDir(), "missing")}, "--body-file: open"},
		{[]string{"new", "extra"}, "takes no arguments"},
	} {
		r := drafts(t, env, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q", tc.args, r.code, r.stderr)
		}
	}
	if n := len(log.all("POST")); n != 3 {
		t.Fatalf("%d POSTs after refusals, want 3", n)
	}
}

func TestNewOnATerminalInTheEditor(t *testing.T) {
	emu, env, log := recordingMailbox(t)
	// Untouched: not created.
	r := onTerminal(t, withEditor(t, env, "true"), "", "new", "--to", "alexw@contoso.example")
	if r.code != exitFailed || !strings.Contains(r.stderr, "not created: the draft was left as it was opened") || len(log.all("POST")) != 0 {
		t.Fatalf("untouched: exit %d, stderr %q", r.code, r.stderr)
	}
	// Emptied: not created.
	r = onTerminal(t, withEditor(t, env, `printf 'To:\nCc:\nBcc:\nSubject:\n\n' > "$1"`), "", "new", "--to", "alexw@contoso.example")
	if r.code != exitFailed || !strings.Contains(r.stderr, "not created: the draft is empty") || len(log.all("POST")) != 0 {
		t.Fatalf("empty: exit %d, stderr %q", r.code, r.stderr)
	}
	// Written, then the editor fails: kept; the next 'drafts new' offers it back and makes it.
	r = onTerminal(t, withEditor(t, env, `sed -i 's/^Subject: .*/Subject: Lunch?/' "$1"; printf 'Thursday at noon.\n' >> "$1"; exit 2`), "", "new", "--to", "alexw@contoso.example")
	if r.code != exitFailed || !strings.Contains(r.stderr, "your text is kept in") || !strings.Contains(r.stderr, "'drafts new'") || len(log.all("POST")) != 0 {
		t.Fatalf("editor failed: exit %d, stderr %q", r.code, r.stderr)
	}
	r = onTerminal(t, withEditor(t, env, "true"), "\n", "new", "--json")
	var created struct{ ID string }
	if r.code != exitOK || json.Unmarshal([]byte(r.stdout), &created) != nil || !strings.Contains(r.stderr, "Go on with it? [Y/n]") {
		t.Fatalf("kept text: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	got := draftByID(t, emu, created.ID)
	if got.Subject != "Lunch?" || len(got.ToRecipients) != 1 || !strings.Contains(got.Body.Content, "Thursday at noon.") || len(keptFiles(t, env)) != 0 {
		t.Fatalf("draft %+v, files %v", got, keptFiles(t, env))
	}
}

func TestRm(t *testing.T) {
	emu, env, log := recordingMailbox(t)
	add := func(subject string) emulator.Message {
		return emu.AddDraft(emulator.Draft{Subject: subject, To: []emulator.Recipient{emulator.Addr("Alex Wilber", "alexw@contoso.example")}})
	}
	inDeleted := func(subject string) bool {
		for _, m := range emu.Messages("", "deleteditems") {
			if m.Subject == subject {
				return true
			}
		}
		return false
	}
	// No terminal, no --yes: refused before anything is read.
	d := add("Old plan")
	if r := drafts(t, env, "rm", d.ID); r.code != exitUsage || !strings.Contains(r.stderr, "--yes") || len(log.all("DELETE")) != 0 {
		t.Fatalf("without --yes: exit %d, stderr %q", r.code, r.stderr)
	}
	// --yes: moved to Deleted Items, against the version read.
	r := drafts(t, env, "rm", d.ID, "--yes")
	if r.code != exitOK || r.stdout != "discarded “Old plan”: moved to Deleted Items\n" || !inDeleted("Old plan") {
		t.Fatalf("--yes: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if dels := log.all("DELETE"); len(dels) != 1 || dels[0].IfMatch != graph.ETagOf(d.ChangeKey) {
		t.Fatalf("DELETEs: %+v", dels)
	}
	// Already gone.
	if r := drafts(t, env, "rm", d.ID, "--yes"); r.code != exitFailed || !strings.Contains(r.stderr, "already gone") {
		t.Fatalf("gone: exit %d, stderr %q", r.code, r.stderr)
	}
	// On a terminal: y/N, with the subject and recipients shown.
	for input, discarded := range map[string]bool{"y\n": true, "n\n": false, "\n": false, "": false} {
		d := add("Ask " + strconv.Quote(input))
		r := onTerminal(t, env, input, "rm", d.ID)
		if !strings.Contains(r.stderr, "Subject: "+d.Subject) || !strings.Contains(r.stderr, "To: Alex Wilber <alexw@contoso.example>") || !strings.Contains(r.stderr, "[y/N]") {
			t.Errorf("%q: the question does not show the draft: %q", input, r.stderr)
		}
		if discarded != inDeleted(d.Subject) || discarded != (r.code == exitOK) || !discarded && !strings.Contains(r.stderr, "not discarded") {
			t.Errorf("%q: exit %d, in Deleted Items %v, stderr %q", input, r.code, inDeleted(d.Subject), r.stderr)
		}
	}
	// --json.
	d = add("JSON")
	r = drafts(t, env, "rm", d.ID, "--yes", "--json")
	if r.code != exitOK || strings.TrimSpace(r.stdout) != `{"id":"`+d.ID+`","outcome":"discarded","folder":"deleteditems"}` {
		t.Fatalf("--json: exit %d, stdout %q", r.code, r.stdout)
	}
	// Changed elsewhere between the read and the DELETE: not discarded.
	d = add("Changing")
	hold := make(chan struct{})
	emu.Inject(emulator.Rule{Method: "DELETE", Path: d.ID, Times: 1, Fault: emulator.Fault{Hold: hold}})
	done := make(chan result, 1)
	go func() { done <- drafts(t, env, "rm", d.ID, "--yes") }()
	waitFor(t, "the held DELETE", func() bool { return pending(emu, "DELETE", d.ID) })
	subject := "Changed in Outlook"
	changeElsewhere(t, env, d.ID, graph.DraftFields{Subject: &subject})
	close(hold)
	r = <-done
	if r.code != exitFailed || !strings.Contains(r.stderr, "changed elsewhere") || inDeleted(subject) || draftByID(t, emu, d.ID).Subject != subject {
		t.Fatalf("changed: exit %d, stderr %q", r.code, r.stderr)
	}
}

// An editor that never closed (drafts killed with it open) left the user's text in its file:
// the next 'drafts edit' offers it back; and while another drafts has the draft's text open in
// an editor, a second edit of it is refused, not run over it.
func TestEditOffersBackTheTextOfAKilledEditorAndOneEditorAtATime(t *testing.T) {
	emu, env, _ := recordingMailbox(t)
	d := emu.AddDraft(emulator.Draft{Subject: "Budget", Body: "Hello team,\nthe figures.", To: []emulator.Recipient{emulator.Addr("Alex Wilber", "alexw@contoso.example")}})
	k, err := compose.OpenKeeper(env["DRAFTS_CACHE_DIR"], "test")
	if err != nil {
		t.Fatal(err)
	}
	left := "To: Alex Wilber <alexw@contoso.example>\nSubject: Budget\n\nHello team,\nthe figures, and my lost paragraph.\n"
	if err := os.WriteFile(k.EditorFile(d.ID), []byte(left), 0o600); err != nil {
		t.Fatal(err)
	}
	unlock, ok, err := k.LockEditor(d.ID)
	if err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	r := drafts(t, withEditor(t, env, `echo edited >> "$1"`), "edit", d.ID)
	if r.code != exitFailed || !strings.Contains(r.stderr, "open in an editor in another drafts process") || draftByID(t, emu, d.ID).Body.Content != d.Body.Content {
		t.Fatalf("a second editor: exit %d, stderr %q", r.code, r.stderr)
	}
	unlock()
	r = drafts(t, withEditor(t, env, `grep -q "my lost paragraph" "$1"`), "edit", d.ID)
	if r.code != exitOK || !strings.Contains(draftByID(t, emu, d.ID).Body.Content, "my lost paragraph") {
		t.Fatalf("the text left was not offered back: exit %d, stderr %q", r.code, r.stderr)
	}
	if files := keptFiles(t, env); len(files) != 0 {
		t.Errorf("left in the cache directory after the save: %v", files)
	}
}

// An emptied text is the user giving up: nothing saved, nothing kept (kept, it made every later
// edit open the empty file again and fail), and the next edit starts from the draft; 'new'
// creates nothing.
func TestEditEmptiedIsNothingSavedAndNothingKept(t *testing.T) {
	emu, env, log := recordingMailbox(t)
	d := emu.AddDraft(emulator.Draft{Subject: "Plans"})
	r := drafts(t, withEditor(t, env, `: > "$1"`), "edit", d.ID)
	if r.code != exitFailed || !strings.Contains(r.stderr, "the text was emptied: nothing saved, the draft is unchanged") ||
		strings.Contains(r.stderr, "kept") || len(keptFiles(t, env)) != 0 || len(log.all("PATCH")) != 0 {
		t.Fatalf("emptied: exit %d, stderr %q, files %v", r.code, r.stderr, keptFiles(t, env))
	}
	r = drafts(t, withEditor(t, env, `sed -i 's/^Subject: .*/Subject: Plans, again/' "$1"`), "edit", d.ID)
	if r.code != exitOK || draftByID(t, emu, d.ID).Subject != "Plans, again" {
		t.Fatalf("the edit after: exit %d, stderr %q", r.code, r.stderr)
	}
	r = onTerminal(t, withEditor(t, env, `: > "$1"`), "", "new")
	if r.code != exitFailed || !strings.Contains(r.stderr, "the text was emptied: no draft created") || len(emu.Drafts("")) != 1 {
		t.Fatalf("new, emptied: exit %d, stderr %q, %d drafts", r.code, r.stderr, len(emu.Drafts("")))
	}
}
