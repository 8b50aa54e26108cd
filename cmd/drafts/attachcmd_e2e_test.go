package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// TestE2EReplyAttachAndSaveWithTheBinary runs the built binary as a script would, against the
// demo mailbox: 'drafts reply-all' to a message in the Inbox prints the new draft's id;
// 'drafts attach' adds a small file and one over 3 MB (an upload session, no progress without
// a terminal); 'drafts attachments --json' lists them; 'drafts save' writes them to the
// Downloads directory byte for byte, and a second save refuses to overwrite; bad input (a
// missing file, an attached message to save) is one line and exit 1 with nothing sent or
// written. Then 'drafts attach' on a pseudo-terminal shows its progress and clears it.
func TestE2EReplyAttachAndSaveWithTheBinary(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	g.SeedDemo()
	env := newE2EEnv(t, g.base)
	var orig emulator.Message
	for _, m := range g.Messages("", "inbox") {
		if m.Subject == "Cloud line in the Q3 figures" {
			orig = m
		}
	}

	r := cli(t, env, "reply-all", orig.ID, "--comment", "Compute only; see the export attached.")
	id := strings.TrimSpace(r.stdout)
	if r.code != exitOK || r.stderr != "" || strings.Count(r.stdout, "\n") != 1 || id == "" {
		t.Fatalf("reply-all: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	var made *emulator.Message
	for _, d := range g.Drafts("") {
		if d.ID == id {
			made = &d
		}
	}
	if made == nil || made.Subject != "RE: Cloud line in the Q3 figures" || made.ConversationID != orig.ConversationID {
		t.Fatalf("reply-all: no such draft in Drafts (%v)", made != nil)
	}

	dir := t.TempDir()
	small := filepath.Join(dir, "notes.txt")
	big := filepath.Join(dir, "cluster export.csv")
	bigData := bytes.Repeat([]byte("node,cpu,storage\nan-01,64,2048\n"), (graph.MaxInlineAttachment+600<<10)/31)
	if err := os.WriteFile(small, []byte("compute only\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, bigData, 0o600); err != nil {
		t.Fatal(err)
	}
	r = cli(t, env, "attach", id, small, big)
	if r.code != exitOK || r.stderr != "" || r.stdout != "attached “notes.txt” (13 B)\nattached “cluster export.csv” ("+humanSize(int64(len(bigData)))+")\n" {
		t.Fatalf("attach: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if n := g.Count("POST", "/createUploadSession"); n != 1 {
		t.Errorf("%d upload sessions, want 1", n)
	}
	writes := attUploads(g.Server)
	r = cli(t, env, "attach", id, small, filepath.Join(dir, "missing.pdf"))
	if r.code != exitFailed || r.stdout != "" || r.stderr != "drafts: "+filepath.Join(dir, "missing.pdf")+": no such file; nothing attached\n" || attUploads(g.Server) != writes {
		t.Errorf("missing file: exit %d, stdout %q, stderr %q, %d writes", r.code, r.stdout, r.stderr, attUploads(g.Server)-writes)
	}

	r = cli(t, env, "attachments", id, "--json")
	var listed []struct {
		Name string
		Size int64
		Kind string
	}
	if err := json.Unmarshal([]byte(r.stdout), &listed); err != nil || r.code != exitOK || len(listed) != 2 ||
		listed[0].Name != "notes.txt" || listed[1].Name != "cluster export.csv" || listed[1].Size != int64(len(bigData)) || listed[1].Kind != "file" {
		t.Fatalf("attachments: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	downloads := filepath.Join(env.vars["HOME"], "Downloads")
	if err := os.Mkdir(downloads, 0o700); err != nil {
		t.Fatal(err)
	}
	r = cli(t, env, "save", id)
	if r.code != exitOK || r.stderr != "" || strings.Count(r.stdout, "\nsaved ") != 1 {
		t.Fatalf("save: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	for name, want := range map[string][]byte{"notes.txt": []byte("compute only\n"), "cluster export.csv": bigData} {
		attCheckSaved(t, filepath.Join(downloads, name), want)
	}
	r = cli(t, env, "save", id, "notes.txt")
	if r.code != exitFailed || !strings.Contains(r.stderr, "“notes.txt” exists already in "+downloads+"; nothing saved") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("save again: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	var interview emulator.Message
	for _, d := range g.Drafts("") {
		if strings.HasPrefix(d.Subject, "Interview feedback") {
			interview = d
		}
	}
	r = cli(t, env, "save", interview.ID, "--to", dir)
	if r.code != exitFailed || !strings.Contains(r.stderr, "is an attached message (an item attachment), which cannot be saved as a file") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("save an attached message: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if got := attDirNames(t, downloads); len(got) != 2 {
		t.Errorf("Downloads holds %q", got)
	}
	if got := attDirNames(t, dir); len(got) != 2 {
		t.Errorf("%s holds %q", dir, got)
	}

	// On a terminal: the progress of the upload, on one line, cleared when done.
	s := startTUI(t, env, 100, 24, "attach", id, big)
	if code := s.waitExit(); code != exitOK {
		t.Fatalf("attach on a terminal: exit %d; the screen shows:\n%s", code, s.screen())
	}
	raw := string(s.rawBytes())
	scr := s.screen()
	if !strings.Contains(raw, "attaching “cluster export.csv”: 100% (") || !strings.Contains(scr, "attached “cluster export.csv” (") || strings.Contains(scr, "attaching") {
		t.Errorf("attach on a terminal: the screen shows\n%s\nand the program wrote %q", scr, raw)
	}
	if got := g.Attachments("", id); len(got) != 3 {
		t.Errorf("%d attachments, want 3", len(got))
	}
}

// A pipe nobody writes to waits, and Ctrl-C (or SIGTERM) ends the wait: exit 130, one line,
// nothing attached. (Opening it blocked where no signal reached, until something wrote to it.)
func TestE2EAttachOfAPipeNobodyWritesToIsInterrupted(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	d := g.AddDraft(emulator.Draft{Subject: "Report", To: []emulator.Recipient{emulator.Addr("", "megan@contoso.example")}})
	env := newE2EEnv(t, g.base)
	fifo := filepath.Join(t.TempDir(), "report.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		cmd := exec.Command(binary(t), "attach", d.ID, fifo)
		cmd.Env = env.list()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond) // reading the pipe by now
		_ = cmd.Process.Signal(sig)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(e2eWait):
			_ = cmd.Process.Kill()
			t.Fatalf("%v did not end the wait for the pipe", sig)
		}
		if code := cmd.ProcessState.ExitCode(); code != exitCanceled || !strings.Contains(stderr.String(), "interrupted while reading") {
			t.Fatalf("%v: exit %d, stderr %q", sig, code, stderr.String())
		}
	}
	if n := g.Count("POST", "/attachments"); n != 0 {
		t.Fatalf("%d attachments posted", n)
	}
}
