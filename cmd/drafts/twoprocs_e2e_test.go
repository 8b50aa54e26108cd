package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestE2ETwoProcessesShareTheJournal runs a 'drafts send' whose POST the server holds, and,
// meanwhile, a second drafts on the same cache directory: its 'list' must not settle the live
// send ("did not go out"), its 'send' of the same draft must not POST, and its screen must
// show the draft as being sent elsewhere and refuse to send it. Then the first send ends:
// one POST in all, and it says sent.
func TestE2ETwoProcessesShareTheJournal(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	d := g.AddDraft(emulator.Draft{Subject: "Shared journal", To: []emulator.Recipient{emulator.Addr("Megan Bowen", "megan.bowen@contoso.example")}})
	hold := make(chan struct{})
	g.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{Hold: hold}})
	env := newE2EEnv(t, g.base)

	first := exec.Command(binary(t), "send", d.ID, "--yes", "--json", "--wait", "20s")
	first.Env = env.list()
	var out1, err1 bytes.Buffer
	first.Stdout, first.Stderr = &out1, &err1
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- first.Wait() }()
	released := false
	t.Cleanup(func() {
		if !released {
			close(hold)
		}
		_ = first.Process.Kill()
	})
	waitRequests(t, g, "the first POST held", func([]emulator.RequestRecord) bool {
		recs := g.sendRecords()
		return len(recs) == 1 && recs[0].Outcome == emulator.OutcomePending
	})

	list := cli(t, env, "list")
	if list.code != 0 || strings.Contains(list.stderr, "did not go out") || !strings.Contains(list.stderr, "being sent by another drafts process") {
		t.Fatalf("a second 'drafts list' during the send: exit %d, stderr %q", list.code, list.stderr)
	}
	second := cli(t, env, "send", d.ID, "--yes", "--json")
	var res sendJSON
	if err := json.Unmarshal([]byte(second.stdout), &res); err != nil || second.code != exitFailed || res.Outcome != "not-sent" ||
		!strings.Contains(res.Summary, "another drafts process is sending this draft") {
		t.Fatalf("a second 'drafts send' of the same draft: exit %d, %q (%v)", second.code, second.stdout, err)
	}
	if n := g.posts(); n != 1 {
		t.Fatalf("%d POSTs while the first send is in flight, want 1", n)
	}
	s := startTUI(t, env, 100, 24)
	scr := s.waitFor("Shared journal", "being sent elsewhere")
	if strings.Contains(scr, "s send") {
		t.Fatalf("the help offers s for a draft in flight elsewhere:\n%s", scr)
	}
	s.keys("s")
	s.keys("y")
	if strings.Contains(s.screen(), "Send this draft now?") || g.posts() != 1 {
		t.Fatalf("the second screen let s send a draft in flight elsewhere (%d POSTs):\n%s", g.posts(), s.screen())
	}
	s.quit()

	close(hold)
	released = true
	if err := <-done; err != nil {
		t.Fatalf("the first send: %v; stdout %q, stderr %q", err, out1.String(), err1.String())
	}
	var r1 sendJSON
	if err := json.Unmarshal(out1.Bytes(), &r1); err != nil || r1.Outcome != "sent" {
		t.Fatalf("the first send: %q (%v)", out1.String(), err)
	}
	if n := g.posts(); n != 1 {
		t.Fatalf("%d POSTs in all, want 1", n)
	}
	if after := cli(t, env, "list"); strings.Contains(after.stderr, "interrupted") {
		t.Fatalf("the next start calls a settled send interrupted: %q", after.stderr)
	}
}
