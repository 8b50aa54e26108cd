package graph_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// fixedClock is an emulator clock moved by hand.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func scheduleEnv(t *testing.T) (*emulator.Server, *graph.Client, *fixedClock, graph.Message) {
	t.Helper()
	clock := &fixedClock{t: time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC)}
	emu, c := startEmulator(t, emulator.Options{Now: clock.Now, NoSendDelay: true})
	emu.AddDraft(emulator.Draft{Subject: "Board pack", To: []emulator.Recipient{emulator.Addr("", "megan.bowen@contoso.example")}})
	drafts, err := c.ListDrafts(context.Background())
	if err != nil || len(drafts) != 1 {
		t.Fatalf("%v %v", drafts, err)
	}
	return emu, c, clock, drafts[0]
}

var fastPoll = graph.SendOptions{PollDelay: func(int) time.Duration { return time.Millisecond }, Deadline: 5 * time.Second}

func TestScheduleSendHoldsInTheOutbox(t *testing.T) {
	emu, c, clock, d := scheduleEnv(t)
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	r := c.ScheduleSend(context.Background(), d, at, fastPoll)
	if r.Outcome != graph.OutcomeScheduled || !r.At.Equal(at) || r.Outcome.String() != "scheduled" {
		t.Fatalf("%+v: %s", r, r.Summary())
	}
	if n := emu.Count("POST", "/send"); n != 1 {
		t.Fatalf("%d POSTs", n)
	}
	out, err := c.Scheduled(context.Background())
	if err != nil || len(out) != 1 || !out[0].DeferredUntil.Equal(at) || !out[0].IsScheduled(clock.Now()) || out[0].Subject != "Board pack" {
		t.Fatalf("outbox %+v (%v)", out, err)
	}
	if sent, _ := c.FindSent(context.Background(), d.InternetMessageID); sent != nil {
		t.Fatal("in Sent Items before its time")
	}
	clock.Advance(10 * time.Hour)
	if out, _ := c.Scheduled(context.Background()); len(out) != 0 {
		t.Fatalf("still in the Outbox after its time: %+v", out)
	}
	if sent, err := c.FindSent(context.Background(), d.InternetMessageID); sent == nil || !sent.Sent.Equal(at) {
		t.Fatalf("copy %+v (%v)", sent, err)
	}
}

func TestScheduleSendListingsCarryTheTime(t *testing.T) {
	_, c, _, d := scheduleEnv(t)
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	if err := c.SetDeferredSend(context.Background(), d.ID, at); err != nil {
		t.Fatal(err)
	}
	drafts, _ := c.ListDrafts(context.Background())
	opened, err := c.Message(context.Background(), d.ID)
	if len(drafts) != 1 || !drafts[0].DeferredUntil.Equal(at) || err != nil || !opened.DeferredUntil.Equal(at) {
		t.Fatalf("listed %+v, opened %+v (%v)", drafts, opened, err)
	}
}

func TestScheduleSendRefusedResetsTheTime(t *testing.T) {
	emu, c, clock, d := scheduleEnv(t)
	emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{Status: http.StatusForbidden, Code: "ErrorSendAsDenied"}})
	r := c.ScheduleSend(context.Background(), d, clock.Now().Add(time.Hour), fastPoll)
	if r.Outcome != graph.OutcomeNotSent || !graph.IsForbidden(r.Err) {
		t.Fatalf("%+v", r)
	}
	got, err := c.Message(context.Background(), d.ID)
	if err != nil || got.IsScheduled(clock.Now()) {
		t.Fatalf("the deferred time is left on the draft: %v (%v)", got.DeferredUntil, err)
	}
	// A normal send now goes out at once.
	if res := c.SendAndConfirm(context.Background(), d, fastPoll); res.Outcome != graph.OutcomeSent {
		t.Fatalf("normal send after a failed schedule: %s", res.Summary())
	}
}

func TestScheduleSendUnclearAnswerLooksInDrafts(t *testing.T) {
	emu, c, clock, d := scheduleEnv(t)
	emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{DropAfterAct: true}})
	r := c.ScheduleSend(context.Background(), d, clock.Now().Add(time.Hour), fastPoll)
	if r.Outcome != graph.OutcomeScheduled || !r.Reconciled || emu.Count("POST", "/send") != 1 {
		t.Fatalf("%+v: %s", r, r.Summary())
	}
	// Lost before Graph acted: the draft is still in Drafts, not sent, and
	// its deferred time is reset.
	emu2, c2, clock2, d2 := scheduleEnv(t)
	emu2.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{DropBeforeAct: true}})
	r = c2.ScheduleSend(context.Background(), d2, clock2.Now().Add(time.Hour), fastPoll)
	if r.Outcome != graph.OutcomeNotSent || !r.InDrafts {
		t.Fatalf("%+v: %s", r, r.Summary())
	}
	if got, _ := c2.Message(context.Background(), d2.ID); got.IsScheduled(clock2.Now()) {
		t.Fatal("the deferred time is left on the draft")
	}
}
