package main

// A send interrupted by SIGKILL while its POST is in flight, then a restart: the program does not
// send again, and says what is true, from the journal it keeps next to the token cache.

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// killCase is where the POST is when the program is killed.
type killCase struct {
	name  string
	fault func(hold chan struct{}) emulator.Fault
	where string // where the draft is after the restart
	tui   string // what the restarted interface says
	cli   string // what the restarted command says on stderr
}

func killCases() []killCase {
	return []killCase{
		{
			name:  "before Graph acted",
			fault: func(h chan struct{}) emulator.Fault { return emulator.Fault{Hold: h} },
			where: "drafts",
			tui:   "An interrupted send did not go out: “Killed mid-send” is still in Drafts",
			cli:   "“Killed mid-send”: an interrupted send did not go out; the draft is still in Drafts",
		},
		{
			name:  "after Graph acted",
			fault: func(h chan struct{}) emulator.Fault { return emulator.Fault{HoldAfterAct: h} },
			where: "sent",
			tui:   "An interrupted send went out: “Killed mid-send” is in Sent Items",
			cli:   "“Killed mid-send”: an interrupted send went out: it is in Sent Items",
		},
	}
}

// waitPostHeld waits until the POST reached the server (and, after the act, the send happened).
func waitPostHeld(t *testing.T, g *graphServer, d emulator.Message, kc killCase) {
	t.Helper()
	waitRequests(t, g, "the POST held", func([]emulator.RequestRecord) bool {
		recs := g.sendRecords()
		return len(recs) == 1 && recs[0].Outcome == emulator.OutcomePending && (kc.where != "sent" || g.where(d.InternetMessageID) == "sent")
	})
}

// waitAbandoned waits until the server has seen the killed client go away from its held POST
// (before releasing the hold, which would otherwise race with that).
func waitAbandoned(t *testing.T, g *graphServer) {
	t.Helper()
	waitRequests(t, g, "the POST abandoned", func([]emulator.RequestRecord) bool {
		recs := g.sendRecords()
		return len(recs) == 1 && recs[0].Outcome == emulator.OutcomeCanceled
	})
}

// checkJournal checks the journal file while the send is unsettled: private, and naming the
// draft (and never the token).
func checkJournal(t *testing.T, env *e2eEnv, d emulator.Message) {
	t.Helper()
	path := filepath.Join(env.cacheDir, "sends.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no send journal while the POST is in flight: %v", err)
	}
	var f struct {
		Sends []struct {
			Mailbox, DraftID, InternetMessageID, Subject string
			Started                                      time.Time
		}
	}
	if err := json.Unmarshal(data, &f); err != nil || len(f.Sends) != 1 || f.Sends[0].DraftID != d.ID ||
		f.Sends[0].InternetMessageID != d.InternetMessageID || !strings.HasPrefix(f.Sends[0].Mailbox, "loopback:") || f.Sends[0].Started.IsZero() {
		t.Fatalf("the journal holds %s (%v)", data, err)
	}
	if bytes.Contains(data, []byte("S3CRET")) {
		t.Fatal("the journal holds the token")
	}
	if runtime.GOOS != "windows" {
		for p, want := range map[string]os.FileMode{path: 0o600, env.cacheDir: 0o700} {
			if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v, want %04o", p, fi.Mode().Perm(), want)
			}
		}
	}
}

// journalGone waits until the settled send has left the journal.
func journalGone(t *testing.T, env *e2eEnv) {
	t.Helper()
	path := filepath.Join(env.cacheDir, "sends.json")
	deadline := time.Now().Add(e2eWait)
	for fileExists(path) {
		if time.Now().After(deadline) {
			data, _ := os.ReadFile(path)
			t.Fatalf("the settled send is still in the journal: %s", data)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestE2EKilledMidSendTheRestartSaysWhatIsTrue kills the interface with SIGKILL while its POST
// is held in the server, before or after Graph acted, releases the POST, and starts it again.
func TestE2EKilledMidSendTheRestartSaysWhatIsTrue(t *testing.T) {
	e2e(t)
	for _, kc := range killCases() {
		t.Run(kc.name, func(t *testing.T) {
			t.Parallel()
			g := newGraph(t, emulator.Options{})
			g.AddDraft(emulator.Draft{Subject: "Another draft", LastModified: time.Now().Add(-time.Hour), To: []emulator.Recipient{emulator.Addr("", "b@contoso.example")}})
			d := g.AddDraft(emulator.Draft{Subject: "Killed mid-send", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
			env := newE2EEnv(t, g.base)
			hold := make(chan struct{})
			g.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: kc.fault(hold)})

			first := startTUI(t, env, 80, 24)
			first.waitFor("1 of 2", "Killed mid-send")
			first.keys("s")
			first.waitFor("Send this draft now?")
			first.keys("y")
			waitPostHeld(t, g, d, kc)
			checkJournal(t, env, d)
			first.kill()
			waitAbandoned(t, g)
			close(hold)
			waitRequests(t, g, "the held POST to end", func([]emulator.RequestRecord) bool { return g.InFlight() == 0 })

			again := startTUI(t, env, 80, 24)
			again.waitUntil("the truth about the interrupted send", func(string) bool { return strings.Contains(again.statusLine(), kc.tui) })
			journalGone(t, env)
			if n := g.posts(); n != 1 {
				t.Fatalf("%d POSTs after the restart, want 1", n)
			}
			if got := g.where(d.InternetMessageID); got != kc.where {
				t.Fatalf("the draft is in %s, want %s", got, kc.where)
			}
			if kc.where == "drafts" {
				// Not sent: the user may send it again, with a new y.
				again.waitFor("Killed mid-send")
				again.keys("s")
				again.waitFor("Send this draft now?")
				again.keys("y")
				again.waitUntil("the send", func(string) bool { return strings.Contains(again.statusLine(), "is in Sent Items after") })
				if n := g.posts(); n != 2 {
					t.Fatalf("%d POSTs after sending again, want 2", n)
				}
			} else {
				again.waitFor("1 of 1", "Another draft")
			}
			again.quit()
		})
	}
}

// TestE2ESendCommandKilledMidSend kills 'drafts send --yes' while its POST is held; the next
// 'drafts list' says what is true and settles it, and never sends.
func TestE2ESendCommandKilledMidSend(t *testing.T) {
	e2e(t)
	bin := binary(t)
	for _, kc := range killCases() {
		t.Run(kc.name, func(t *testing.T) {
			t.Parallel()
			g := newGraph(t, emulator.Options{})
			d := g.AddDraft(emulator.Draft{Subject: "Killed mid-send", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
			env := newE2EEnv(t, g.base)
			hold := make(chan struct{})
			g.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: kc.fault(hold)})
			cmd := exec.Command(bin, "send", d.ID, "--yes")
			cmd.Env = env.list()
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitPostHeld(t, g, d, kc)
			checkJournal(t, env, d)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			_ = cmd.Wait()
			noLeaks(t, "drafts send", out.Bytes())
			waitAbandoned(t, g)
			close(hold)
			waitRequests(t, g, "the held POST to end", func([]emulator.RequestRecord) bool { return g.InFlight() == 0 })

			r := cli(t, env, "list")
			if r.code != exitOK || !strings.Contains(r.stderr, kc.cli) || strings.Count(r.stderr, "\n") != 1 {
				t.Fatalf("drafts list after the kill: exit %d, stderr %q", r.code, r.stderr)
			}
			if (kc.where == "drafts") != strings.Contains(r.stdout, "Killed mid-send") {
				t.Fatalf("the list:\n%s", r.stdout)
			}
			journalGone(t, env)
			if r := cli(t, env, "list"); r.stderr != "" {
				t.Fatalf("a settled send is told again: %q", r.stderr)
			}
			if n := g.posts(); n != 1 || g.where(d.InternetMessageID) != kc.where {
				t.Fatalf("%d POSTs, the draft in %s", n, g.where(d.InternetMessageID))
			}
		})
	}
}
