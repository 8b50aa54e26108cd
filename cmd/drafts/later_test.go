package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

func TestSendAtSchedules(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{NoSendDelay: true})
	d := emu.AddDraft(emulator.Draft{Subject: "Board pack", To: []emulator.Recipient{emulator.Addr("", "alexw@contoso.example")}})
	r := drafts(t, env, "send", d.ID, "--yes", "--at", "in 2h", "--json")
	var out sendJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != exitOK || out.Outcome != "scheduled" || out.At == "" {
		t.Fatalf("exit %d, %q (%v), stderr %s", r.code, r.stdout, err, r.stderr)
	}
	at, _ := time.Parse(time.RFC3339, out.At)
	if d := time.Until(at); d < 119*time.Minute || d > 121*time.Minute {
		t.Fatalf("scheduled for %v", at)
	}
	if n := emu.Count("POST", "/send"); n != 1 {
		t.Fatalf("%d POSTs", n)
	}
	if len(emu.Messages("", "outbox")) != 1 || len(emu.Drafts("")) != 0 || len(emu.Sent("")) != 0 {
		t.Fatal("not held in the Outbox")
	}
}

func TestSendAtAsksWithTheTime(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{NoSendDelay: true})
	d := emu.AddDraft(emulator.Draft{Subject: "Board pack", To: []emulator.Recipient{emulator.Addr("", "alexw@contoso.example")}})
	r := onTerminal(t, env, "y\n", "send", d.ID, "--at", "tomorrow 9:00")
	if r.code != exitOK || !strings.Contains(r.stderr, "Send it later, at ") || !strings.Contains(r.stdout, "scheduled for") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
}

func TestSendAtBadTimeIsAUsageError(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{NoSendDelay: true})
	d := emu.AddDraft(emulator.Draft{Subject: "x", To: []emulator.Recipient{emulator.Addr("", "alexw@contoso.example")}})
	for _, when := range []string{"whenever", "in -2h", "2001-01-01 09:00"} {
		r := drafts(t, env, "send", d.ID, "--yes", "--at", when)
		if r.code != exitUsage || !strings.Contains(r.stderr, "--at") || emu.Count("POST", "/send") != 0 {
			t.Errorf("%q: exit %d, stderr %s", when, r.code, r.stderr)
		}
	}
}
