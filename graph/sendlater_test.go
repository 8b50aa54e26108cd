package graph_test

import (
	"context"
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

// The sends later themselves (deferred time, one POST, the Outbox) are driven by the send
// engine and tested in graph/sending.

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
