package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// demoTipsDraft is a draft to the demo recipients with mail tips: Megan
// (automatic reply), Lee (mailbox full), the People Team list (moderated,
// with a custom tip) and an external address, whose text promises an
// attachment it does not have.
func demoTipsDraft(t *testing.T, opts emulator.Options) (*emulator.Server, map[string]string, string) {
	t.Helper()
	emu, env := mailbox(t, opts)
	emu.SeedDemo()
	d := emu.AddDraft(emulator.Draft{
		Subject: "Offsite plan", Body: "Hi all,\n\nthe agenda is attached.\n",
		To: []emulator.Recipient{
			emulator.Addr("Megan Bowen", "megan.bowen@contoso.example"), emulator.Addr("Lee Gu", "lee.gu@contoso.example"),
			emulator.Addr("People Team", "people@contoso.example"), emulator.Addr("", "ines@fabrikam.example"),
		},
	})
	return emu, env, d.ID
}

var demoWarnings = []string{
	"warning: megan.bowen@contoso.example has an automatic reply: I'm out of the office until Monday",
	"warning: lee.gu@contoso.example's mailbox is full",
	"warning: messages to people@contoso.example wait for a moderator",
	"warning: people@contoso.example: This list reaches the whole People Team",
	"warning: ines@fabrikam.example is outside your organization",
	`warning: the text says "attached" but nothing is attached`,
}

func TestSendPrintsWarningsBeforeTheQuestion(t *testing.T) {
	emu, env, id := demoTipsDraft(t, emulator.Options{NoSendDelay: true})
	r := onTerminal(t, env, "n\n", "send", id)
	q := strings.Index(r.stderr, "Send it now?")
	for _, w := range demoWarnings {
		if i := strings.Index(r.stderr, w); i < 0 || i > q {
			t.Errorf("%q not before the question in:\n%s", w, r.stderr)
		}
	}
	if r.code != exitFailed || emu.Count("POST", "/send") != 0 {
		t.Fatalf("exit %d: answered n, want not sent", r.code)
	}
}

func TestSendYesPrintsWarningsOnStderrAndSends(t *testing.T) {
	emu, env, id := demoTipsDraft(t, emulator.Options{NoSendDelay: true})
	r := drafts(t, env, "send", id, "--yes", "--json")
	for _, w := range demoWarnings {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("%q not on stderr:\n%s", w, r.stderr)
		}
	}
	if strings.Contains(r.stdout, "warning") {
		t.Errorf("warnings on stdout: %s", r.stdout)
	}
	if r.code != exitOK || emu.Count("POST", "/send") != 1 {
		t.Fatalf("exit %d, %d POSTs: warnings must not stop the send", r.code, emu.Count("POST", "/send"))
	}
}

func TestSendMailTipsFailureIsOneLine(t *testing.T) {
	emu, env, id := demoTipsDraft(t, emulator.Options{NoSendDelay: true})
	emu.Inject(emulator.Rule{Method: "POST", Path: "getMailTips", Fault: emulator.Fault{Status: http.StatusForbidden, Code: "ErrorAccessDenied"}})
	r := drafts(t, env, "send", id, "--yes")
	if !strings.Contains(r.stderr, "(mail tips unavailable: recipients not checked)") || r.code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestSendUndoCtrlCIsNotSent(t *testing.T) {
	emu, env, id := demoTipsDraft(t, emulator.Options{NoSendDelay: true})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() {
		done <- runWith(ctx, stdio{in: strings.NewReader("")}, env, "send", id, "--yes", "--undo", "1m")
	}()
	for emu.Count("POST", "getMailTips") == 0 { // the warnings come just before the countdown
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case r := <-done:
		if r.code != exitFailed || emu.Count("POST", "/send") != 0 || !strings.Contains(r.stderr, "not sent") || !strings.Contains(r.stderr, "sending in 1m0s") {
			t.Fatalf("exit %d, %d POSTs, stderr %q", r.code, emu.Count("POST", "/send"), r.stderr)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Ctrl-C did not end the countdown")
	}
}

func TestSendUndoThenSends(t *testing.T) {
	emu, env, id := demoTipsDraft(t, emulator.Options{NoSendDelay: true})
	r := drafts(t, env, "send", id, "--yes", "--undo", "50ms")
	if r.code != exitOK || emu.Count("POST", "/send") != 1 {
		t.Fatalf("exit %d, %d POSTs: %s", r.code, emu.Count("POST", "/send"), r.stderr)
	}
}

// A send with --json that ends before it begins (the draft was sent or deleted elsewhere) still
// prints its outcome as JSON, exits non-zero, and POSTs nothing.
func TestSendJSONSaysWhyWhenThereIsNoDraft(t *testing.T) {
	emu, env, id := demoTipsDraft(t, emulator.Options{NoSendDelay: true})
	if err := emu.DeleteElsewhere("", id); err != nil {
		t.Fatal(err)
	}
	r := drafts(t, env, "send", id, "--yes", "--json")
	var out sendJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("stdout is not JSON: %q (%v)", r.stdout, err)
	}
	if out.ID != id || out.Outcome != "not-sent" || out.Error == "" || r.code == exitOK || emu.Count("POST", "/send") != 0 {
		t.Fatalf("exit %d, %+v, %d POSTs", r.code, out, emu.Count("POST", "/send"))
	}
}
