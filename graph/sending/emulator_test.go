package sending

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// These tests drive sends against the project's Graph emulator over real HTTP on loopback. The
// emulator's clock is the driver's: a send delay is waited out by the driver's waits, not by
// the test.

var alex = []emulator.Recipient{emulator.Addr("", "alexw@contoso.example")}

func TestSendAgainstEmulator(t *testing.T) {
	emu, e := emulatorEnv(t, emulator.Options{SendDelay: 300 * time.Millisecond})
	d := emu.AddDraft(emulator.Draft{Subject: "Ship it", To: alex})
	draft := onlyDraft(t, e.client)
	if draft.ChangeKey == "" || draft.ChangeKey != d.ChangeKey {
		t.Fatalf("the listing has changeKey %q, the draft %q", draft.ChangeKey, d.ChangeKey)
	}
	r := e.send(context.Background(), draft, time.Time{}, Options{PollDelay: func(int) time.Duration { return 100 * time.Millisecond }})
	if r.Phase != Sent || r.Copy == nil {
		t.Fatalf("send = %+v", r)
	}
	if r.Copy.ID == d.ID || r.Copy.InternetMessageID != d.InternetMessageID || r.Copy.IsDraft {
		t.Fatalf("copy = %+v; want a new id, the same internetMessageId, not a draft", r.Copy)
	}
	if el := r.Elapsed(time.Time{}); el < 300*time.Millisecond {
		t.Fatalf("seen after %v, before the emulator's send delay", el)
	}
	if n := emu.Count("POST", "/send"); n != 1 {
		t.Fatalf("%d POSTs", n)
	}
	for _, rec := range emu.Requests() {
		if rec.Method == "POST" && rec.ContentLength != 0 {
			t.Fatalf("POST %s with Content-Length %d, want 0", rec.Path, rec.ContentLength)
		}
	}
	if left, _ := e.client.ListDrafts(context.Background()); len(left) != 0 {
		t.Fatalf("draft still listed: %+v", left)
	}
	if st, err := e.client.DraftState(context.Background(), d.ID); st.Exists || err != nil {
		t.Fatalf("DraftState(old id) = %+v, %v", st, err)
	}
	sent, err := e.client.LatestSent(context.Background(), 5)
	if err != nil || len(sent) != 1 || sent[0].ID != r.Copy.ID {
		t.Fatalf("LatestSent = %+v, %v", sent, err)
	}
	if !e.journal.forgot(d.ID) || len(e.journal.left(t)) != 0 {
		t.Fatal("the journal keeps a send that went out")
	}
}

func TestSendDroppedAfterActAgainstEmulator(t *testing.T) {
	emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
	emu.AddDraft(emulator.Draft{Subject: "Dropped", To: alex})
	emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{DropAfterAct: true}})
	r := e.send(context.Background(), onlyDraft(t, e.client), time.Time{}, Options{})
	if r.Phase != Sent || !r.Reconciled || emu.Count("POST", "/send") != 1 {
		t.Fatalf("send = %+v after %d POSTs", r, emu.Count("POST", "/send"))
	}
	if len(emu.Sent("")) != 1 {
		t.Fatalf("%d messages in Sent Items, want exactly 1", len(emu.Sent("")))
	}
}

func TestSendDroppedBeforeActAgainstEmulator(t *testing.T) {
	emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
	emu.AddDraft(emulator.Draft{Subject: "Dropped", To: alex})
	emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{DropBeforeAct: true}})
	r := e.send(context.Background(), onlyDraft(t, e.client), time.Time{}, Options{})
	if r.Phase != NotSent || !r.Reconciled || !r.InDrafts || emu.Count("POST", "/send") != 1 || len(emu.Sent("")) != 0 {
		t.Fatalf("send = %+v after %d POSTs, %d sent", r, emu.Count("POST", "/send"), len(emu.Sent("")))
	}
}

// TestSendWithoutRecipientsIsRefusedAgainstEmulator: a draft with no recipient is refused
// before anything is asked of Graph (which would answer 400 ErrorInvalidRecipients).
func TestSendWithoutRecipientsIsRefusedAgainstEmulator(t *testing.T) {
	emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
	emu.AddDraft(emulator.Draft{Subject: "Nobody"})
	emu.ResetRequests()
	r := e.send(context.Background(), onlyDraft(t, e.client), time.Time{}, Options{})
	if r.Phase != NotSent || !errors.Is(r.Err, ErrNoRecipients) || emu.Count("POST", "/send") != 0 || len(e.journal.records) != 0 {
		t.Fatalf("send = %+v after %d POSTs", r, emu.Count("POST", "/send"))
	}
	if len(emu.Requests()) != 1 { // the listing
		t.Fatalf("requests %+v; want none for the send", emu.Requests())
	}
	if len(emu.Drafts("")) != 1 {
		t.Fatal("the draft was lost")
	}
}

// TestSendToAnInvalidAddressIsRefusedAgainstEmulator: Graph's 400 ErrorInvalidRecipients is a
// definite refusal: not sent, one POST, the draft kept.
func TestSendToAnInvalidAddressIsRefusedAgainstEmulator(t *testing.T) {
	emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
	emu.AddDraft(emulator.Draft{Subject: "Typo", To: []emulator.Recipient{emulator.Addr("", "alexw at contoso")}})
	r := e.send(context.Background(), onlyDraft(t, e.client), time.Time{}, Options{})
	if r.Phase != NotSent || !graph.IsInvalidRecipients(r.Err) || r.Reconciled || emu.Count("POST", "/send") != 1 {
		t.Fatalf("send = %+v after %d POSTs", r, emu.Count("POST", "/send"))
	}
	if len(emu.Drafts("")) != 1 || len(emu.Sent("")) != 0 {
		t.Fatal("the draft was lost, or sent")
	}
	if !strings.Contains(r.Summary(), "no valid recipient") || !e.journal.forgot(r.Draft.ID) {
		t.Errorf("summary %q", r.Summary())
	}
}

// TestSendThrottledAgainstEmulator: Graph's 429 with Retry-After 2.128 s is waited out and the
// POST made again: one message goes out. A Retry-After too long is not waited: not sent.
func TestSendThrottledAgainstEmulator(t *testing.T) {
	t.Run("short", func(t *testing.T) {
		emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
		emu.AddDraft(emulator.Draft{Subject: "Busy", To: alex})
		emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Throttled("2.128")})
		r := e.send(context.Background(), onlyDraft(t, e.client), time.Time{}, Options{})
		if r.Phase != Sent || emu.Count("POST", "/send") != 2 || len(emu.Sent("")) != 1 || r.Err != nil {
			t.Fatalf("send = %+v after %d POSTs, %d sent; want sent once after 2 POSTs", r, emu.Count("POST", "/send"), len(emu.Sent("")))
		}
		if w := e.waits.all(); len(w) == 0 || w[0] != 2128*time.Millisecond {
			t.Fatalf("waits %v, want the Retry-After of 2.128 s first", w)
		}
		var posts []time.Time
		for _, rec := range emu.Requests() {
			if rec.Method == "POST" {
				posts = append(posts, rec.Time)
			}
		}
		if gap := posts[1].Sub(posts[0]); gap < 2128*time.Millisecond {
			t.Fatalf("posted again after %v, before Retry-After: 2.128", gap)
		}
	})
	t.Run("too long", func(t *testing.T) {
		emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
		emu.AddDraft(emulator.Draft{Subject: "Busy", To: alex})
		emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Fault: emulator.Throttled("3600")})
		r := e.send(context.Background(), onlyDraft(t, e.client), time.Time{}, Options{})
		if r.Phase != NotSent || !graph.IsThrottled(r.Err) || emu.Count("POST", "/send") != 1 || len(emu.Sent("")) != 0 || len(e.waits.all()) != 0 {
			t.Fatalf("send = %+v after %d POSTs, waits %v", r, emu.Count("POST", "/send"), e.waits.all())
		}
		if len(emu.Drafts("")) != 1 {
			t.Fatal("the draft was lost")
		}
	})
}

// TestSendOfAChangedOrVanishedDraftAgainstEmulator: between the confirmation and the send the
// draft was edited or deleted elsewhere: nothing is posted.
func TestSendOfAChangedOrVanishedDraftAgainstEmulator(t *testing.T) {
	t.Run("edited", func(t *testing.T) {
		emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
		emu.AddDraft(emulator.Draft{Subject: "v1", To: alex})
		d := onlyDraft(t, e.client)
		req, _ := http.NewRequest(http.MethodPatch, e.client.BaseURL()+"/me/messages/"+d.ID, strings.NewReader(`{"subject":"v2"}`))
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("PATCH: %v %v", resp, err)
		}
		resp.Body.Close()
		r := e.send(context.Background(), d, time.Time{}, Options{})
		if r.Phase != Changed || !errors.Is(r.Err, ErrChanged) || emu.Count("POST", "/send") != 0 || len(e.journal.records) != 0 {
			t.Fatalf("send = %+v after %d POSTs", r, emu.Count("POST", "/send"))
		}
	})
	t.Run("deleted", func(t *testing.T) {
		emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
		emu.AddDraft(emulator.Draft{Subject: "gone", To: alex})
		d := onlyDraft(t, e.client)
		if err := emu.DeleteElsewhere("", d.ID); err != nil {
			t.Fatal(err)
		}
		r := e.send(context.Background(), d, time.Time{}, Options{})
		if r.Phase != NotSent || !errors.Is(r.Err, ErrGone) || emu.Count("POST", "/send") != 0 {
			t.Fatalf("send = %+v after %d POSTs", r, emu.Count("POST", "/send"))
		}
	})
}

// TestSendNowOfADraftWithADeferredTimeAgainstEmulator: a deferred-send time left on the draft
// is cleared first, so the send now goes out now instead of waiting in the Outbox.
func TestSendNowOfADraftWithADeferredTimeAgainstEmulator(t *testing.T) {
	emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
	emu.AddDraft(emulator.Draft{Subject: "Left a time", To: alex})
	d := onlyDraft(t, e.client)
	if err := e.client.SetDeferredSend(context.Background(), d.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	d = onlyDraft(t, e.client) // as listed (and confirmed) now, with the time
	if !d.IsScheduled(t0) {
		t.Fatalf("DeferredUntil %v", d.DeferredUntil)
	}
	r := e.send(context.Background(), d, time.Time{}, Options{})
	if r.Phase != Sent || emu.Count("POST", "/send") != 1 || emu.Count("PATCH", d.ID) != 2 || !slices.Contains(e.phases, Clearing) {
		t.Fatalf("send = %+v, %d POSTs, %d PATCHes, phases %v", r, emu.Count("POST", "/send"), emu.Count("PATCH", d.ID), e.phases)
	}
	if out, _ := e.client.Scheduled(context.Background()); len(out) != 0 {
		t.Fatalf("held in the Outbox: %+v", out)
	}
}

// A draft taken from a lean list (the screen keeps no Internet message id or conversation id)
// has them from the check before the POST: the journal records them, and the sent copy is found
// by them.
func TestSendOfALeanDraftRecordsWhatFindsItsCopy(t *testing.T) {
	emu, e := emulatorEnv(t, emulator.Options{})
	d := emu.AddDraft(emulator.Draft{Subject: "Lean", To: alex})
	full := onlyDraft(t, e.client)
	lean := graph.Message{ID: full.ID, ChangeKey: full.ChangeKey, Subject: full.Subject, To: full.To, IsDraft: true}
	r := e.send(context.Background(), lean, time.Time{}, Options{PollDelay: func(int) time.Duration { return 10 * time.Millisecond }})
	if r.Phase != Sent || r.Copy == nil || r.Copy.InternetMessageID != d.InternetMessageID {
		t.Fatalf("send = %+v", r)
	}
	e.journal.mu.Lock()
	defer e.journal.mu.Unlock()
	if len(e.journal.records) != 1 || e.journal.records[0].InternetMessageID != d.InternetMessageID ||
		e.journal.records[0].ConversationID != d.ConversationID || d.ConversationID == "" {
		t.Fatalf("recorded %+v; want the ids of %+v", e.journal.records, d)
	}
}
