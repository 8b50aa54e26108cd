package sending

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestSettleAgainstTheEmulator: the sends an earlier run left in the journal are looked for once
// (Options{Deadline: -1}), never posted again; what is known is forgotten, the rest kept.
func TestSettleAgainstTheEmulator(t *testing.T) {
	emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
	c := e.client
	to := []emulator.Recipient{emulator.Addr("", "a@contoso.example")}
	went := emu.AddDraft(emulator.Draft{Subject: "went out", To: to})
	stayed := emu.AddDraft(emulator.Draft{Subject: "stayed", To: to})
	vanished := emu.AddDraft(emulator.Draft{Subject: "vanished", To: to})
	old := emu.AddDraft(emulator.Draft{Subject: "old", To: to})
	if err := emu.SendElsewhere("", went.ID); err != nil {
		t.Fatal(err)
	}
	if err := emu.DeleteElsewhere("", vanished.ID); err != nil {
		t.Fatal(err)
	}
	if err := emu.DeleteElsewhere("", old.ID); err != nil {
		t.Fatal(err)
	}

	f, err := OpenFile(t.TempDir(), testHint)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	key := MailboxKey(c.BaseURL(), c.Mailbox())
	j := f.For(key)
	e.journal.Journal = j
	now := e.clock.Now()
	const maxAge = 24 * time.Hour
	for _, m := range []emulator.Message{went, stayed, vanished} {
		if err := j.Record(ctx, Entry{DraftID: m.ID, InternetMessageID: m.InternetMessageID, ConversationID: m.ConversationID, Subject: m.Subject, Started: now.Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Record(ctx, Entry{DraftID: old.ID, InternetMessageID: old.InternetMessageID, Subject: "old", Started: now.Add(-maxAge - time.Hour)}); err != nil {
		t.Fatal(err)
	}
	// Another mailbox's send is not this one's to settle.
	if err := f.Record(ctx, Entry{Mailbox: MailboxKey(c.BaseURL(), "shared@contoso.example"), DraftID: stayed.ID, Subject: "shared", Started: now}); err != nil {
		t.Fatal(err)
	}
	f.Close() // the run that recorded them ends: its entries are the next run's to settle
	opts := Options{Deadline: -1, MaxPendingAge: maxAge}
	got, _, err := e.driver.Settle(ctx, opts)
	if err != nil || len(got) != 4 {
		t.Fatalf("%d settled, %v", len(got), err)
	}
	want := map[string]struct {
		phase     Phase
		forgotten bool
		words     string
	}{
		"old":      {Pending, true, "not in Sent Items yet"},
		"went out": {Sent, true, "an interrupted send went out: it is in Sent Items"},
		"stayed":   {NotSent, true, "did not go out; the draft is still in Drafts"},
		"vanished": {Pending, false, "do not send it again"},
	}
	for _, s := range got {
		w, ok := want[s.Draft.Subject]
		forgotten := e.journal.forgot(s.Draft.ID)
		if !ok || s.Phase != w.phase || forgotten != w.forgotten || !strings.Contains(s.Summary(), w.words) || !s.Recovered || s.ForgetErr != nil {
			t.Errorf("%s: %v forgotten=%v %q", s.Draft.Subject, s.Phase, forgotten, s.Summary())
		}
		if s.Draft.Subject == "stayed" && !s.InDrafts {
			t.Errorf("stayed: not InDrafts")
		}
	}
	if got[0].Draft.Subject != "old" {
		t.Errorf("settled %q first, want the oldest", got[0].Draft.Subject)
	}
	if n := emu.Count("POST", "/send"); n != 0 {
		t.Fatalf("settling the journal sent something (%d POSTs)", n)
	}
	if len(e.waits.all()) != 0 {
		t.Fatalf("settling waited %v; it looks once", e.waits.all())
	}
	if left, _ := j.Pending(ctx); len(left) != 1 || left[0].Subject != "vanished" {
		t.Fatalf("left in the journal: %+v", left)
	}
	if shared, _ := f.Pending(ctx, MailboxKey(c.BaseURL(), "shared@contoso.example")); len(shared) != 1 {
		t.Fatalf("the other mailbox's send was settled: %+v", shared)
	}

	// Graph unreachable: nothing is settled, the user is told it could not be checked.
	if err := emu.Close(); err != nil {
		t.Fatal(err)
	}
	e.journal.settled = nil
	got, _, err = e.driver.Settle(ctx, opts)
	if err != nil || len(got) != 1 || got[0].Phase != Unknown || e.journal.forgot(vanished.ID) || !strings.Contains(got[0].Summary(), "could not be checked") {
		t.Fatalf("offline: %+v (%v)", got, err)
	}
	if left, _ := j.Pending(ctx); len(left) != 1 {
		t.Fatalf("offline: left in the journal: %+v", left)
	}
	if n := emu.Count("POST", "/send"); n != 0 {
		t.Fatalf("%d POSTs", n)
	}
}

// TestSettleSendsLaterAgainstTheEmulator: an interrupted send later is settled by looking in
// Drafts: gone (in the Outbox) is scheduled; still in Drafts with its time cannot be told
// from a send Exchange keeps there, and is kept.
func TestSettleSendsLaterAgainstTheEmulator(t *testing.T) {
	emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
	c := e.client
	to := []emulator.Recipient{emulator.Addr("", "a@contoso.example")}
	taken := emu.AddDraft(emulator.Draft{Subject: "taken", To: to})
	notPosted := emu.AddDraft(emulator.Draft{Subject: "not posted", To: to})
	ctx := context.Background()
	for _, m := range []emulator.Message{taken, notPosted} {
		if err := c.SetDeferredSend(ctx, m.ID, later); err != nil {
			t.Fatal(err)
		}
		if err := e.journal.Record(ctx, Entry{DraftID: m.ID, InternetMessageID: m.InternetMessageID, Subject: m.Subject, Started: t0, At: later}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Send(ctx, taken.ID); err != nil {
		t.Fatal(err)
	}
	posts := emu.Count("POST", "/send")
	got, _, err := e.driver.Settle(ctx, Options{Deadline: -1})
	if err != nil || len(got) != 2 {
		t.Fatalf("%d settled, %v", len(got), err)
	}
	for _, s := range got {
		switch s.Draft.Subject {
		case "taken":
			if s.Phase != Scheduled || !e.journal.forgot(taken.ID) || !strings.Contains(s.Summary(), "an interrupted send later was taken") {
				t.Errorf("taken: %v %q", s.Phase, s.Summary())
			}
		case "not posted":
			if s.Phase != Unknown || !s.InDrafts || e.journal.forgot(notPosted.ID) || !strings.Contains(s.Summary(), "still in Drafts with its send time") {
				t.Errorf("not posted: %v %q", s.Phase, s.Summary())
			}
		}
	}
	if emu.Count("POST", "/send") != posts || emu.Count("PATCH", notPosted.ID) != 1 {
		t.Fatal("settling posted, or changed the deferred time")
	}
}
