package sending

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// A send later against both behaviours of Exchange the emulator has: Exchange Online moves the
// deferred send to the Outbox (the default); users report that Outlook.com keeps it in Drafts
// with its time until it goes out (emulator.Options.DeferredInDrafts). Both are scheduled.

// behaviours are the two places a deferred send waits.
var behaviours = []struct {
	name     string
	inDrafts bool
}{
	{"outbox", false},
	{"drafts", true},
}

// behaviourEnv is an emulator with one draft, on the driver's clock, with the behaviour asked.
func behaviourEnv(t *testing.T, inDrafts bool) (*emulator.Server, *env, graph.Message) {
	t.Helper()
	emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true, DeferredInDrafts: inDrafts})
	emu.AddDraft(emulator.Draft{Subject: "Board pack", To: []emulator.Recipient{emulator.Addr("", "megan.bowen@contoso.example")}})
	return emu, e, onlyDraft(t, e.client)
}

// scheduledSummary checks that a summary says scheduled and never suggests sending again, nor
// looking in Sent Items, which a send later is not in before its time.
func scheduledSummary(t *testing.T, s Send) {
	t.Helper()
	sum := s.Summary()
	if !strings.Contains(sum, "scheduled") && !strings.Contains(sum, "send later was taken") {
		t.Errorf("summary %q does not say scheduled", sum)
	}
	for _, bad := range []string{"again", "Sent Items", "not known", "not sent"} {
		if strings.Contains(sum, bad) {
			t.Errorf("summary %q says %q", sum, bad)
		}
	}
}

// TestSendLaterIsScheduledOnBothBehaviours: whether Exchange moves the send to the Outbox or
// keeps it in Drafts with its time, the send later ends Scheduled (never Unknown, never Pending)
// after exactly one POST, with a summary that says so; the message goes out once, at its time.
func TestSendLaterIsScheduledOnBothBehaviours(t *testing.T) {
	options := []struct {
		name string
		o    Options
	}{
		{"defaults", Options{}},
		{"fast poll", fastPoll},
		{"no watch", Options{Deadline: -1}},
		{"undo", Options{Undo: 10 * time.Second}},
	}
	for _, b := range behaviours {
		for _, o := range options {
			t.Run(b.name+"/"+o.name, func(t *testing.T) {
				emu, e, d := behaviourEnv(t, b.inDrafts)
				ctx := context.Background()
				c := e.client
				r := e.send(ctx, d, later, o.o)
				if r.Phase != Scheduled || r.Outcome() != "scheduled" || !r.At.Equal(later) || r.Reconciled || r.Err != nil || !r.Locks() {
					t.Fatalf("%+v: %s", r, r.Summary())
				}
				if slices.Contains(e.phases, Unknown) || slices.Contains(e.phases, Pending) || slices.Contains(e.phases, Late) {
					t.Errorf("phases %v", e.phases)
				}
				if n := emu.Count("POST", "/send"); n != 1 {
					t.Fatalf("%d POSTs, want 1", n)
				}
				scheduledSummary(t, r)
				if want := "scheduled for " + later.Local().Format("Mon 2 Jan 15:04") + ": Exchange holds it until then"; r.Summary() != want {
					t.Errorf("summary %q, want %q", r.Summary(), want)
				}
				if !e.journal.forgot(d.ID) || len(e.journal.left(t)) != 0 {
					t.Errorf("the journal keeps a scheduled send: %+v", e.journal.left(t))
				}

				// Where it waits.
				out, err := c.Scheduled(ctx)
				drafts, derr := c.ListDrafts(ctx)
				if err != nil || derr != nil {
					t.Fatal(err, derr)
				}
				if b.inDrafts {
					if len(out) != 0 || len(drafts) != 1 || drafts[0].ID != d.ID || !drafts[0].DeferredUntil.Equal(later) || !drafts[0].IsScheduled(e.clock.Now()) {
						t.Fatalf("outbox %+v, drafts %+v; want it in Drafts with its time", out, drafts)
					}
				} else if len(out) != 1 || len(drafts) != 0 || !out[0].DeferredUntil.Equal(later) {
					t.Fatalf("outbox %+v, drafts %+v; want it in the Outbox", out, drafts)
				}
				if sent, _ := c.FindSent(ctx, d.InternetMessageID); sent != nil {
					t.Fatal("in Sent Items before its time")
				}

				// Its time: gone from Drafts and the Outbox; one copy in Sent Items.
				e.clock.Advance(later.Sub(e.clock.Now()))
				if out, _ := c.Scheduled(ctx); len(out) != 0 {
					t.Fatalf("still in the Outbox: %+v", out)
				}
				if drafts, _ := c.ListDrafts(ctx); len(drafts) != 0 {
					t.Fatalf("still in Drafts: %+v", drafts)
				}
				if sent, err := c.FindSent(ctx, d.InternetMessageID); err != nil || sent == nil || sent.ID == d.ID || !sent.Sent.Equal(later) {
					t.Fatalf("copy %+v (%v)", sent, err)
				}
				if n := len(emu.Sent("")); n != 1 || emu.Count("POST", "/send") != 1 {
					t.Fatalf("%d copies after %d POSTs", n, emu.Count("POST", "/send"))
				}
			})
		}
	}
}

// TestSendAgainOfADraftScheduledInDrafts: a send later kept in Drafts is listed as a draft with
// its time. Sending it again (later, or now) posts nothing: the emulator refuses to change a
// submitted draft (its guess of Graph's answer), so the engine cannot even set the time. The
// message goes out once.
func TestSendAgainOfADraftScheduledInDrafts(t *testing.T) {
	emu, e, d := behaviourEnv(t, true)
	ctx := context.Background()
	if r := e.send(ctx, d, later, fastPoll); r.Phase != Scheduled {
		t.Fatalf("%+v: %s", r, r.Summary())
	}
	for _, at := range []time.Time{later.Add(time.Hour), {}} {
		again := onlyDraft(t, e.client) // as listed now, with its time
		r := e.send(ctx, again, at, fastPoll)
		if r.Phase != NotSent || r.Posted() || emu.Count("POST", "/send") != 1 {
			t.Fatalf("send again (at %v): %+v after %d POSTs: %s", at, r, emu.Count("POST", "/send"), r.Summary())
		}
		if ge, ok := graph.AsError(r.Err); !ok || ge.Status != 400 {
			t.Errorf("send again (at %v): err %v", at, r.Err)
		}
	}
	if got, _ := e.client.Message(ctx, d.ID); !got.DeferredUntil.Equal(later) {
		t.Fatalf("the send time was changed: %v", got.DeferredUntil)
	}
	e.clock.Advance(later.Sub(e.clock.Now()))
	if n := len(emu.Sent("")); n != 1 {
		t.Fatalf("%d copies, want 1", n)
	}
}

// postThenStop drives a send of d at at until its POST, makes the POST and stops, as a program
// killed before the answer came: the journal keeps the entry the engine recorded.
func postThenStop(t *testing.T, e *env, d graph.Message, at time.Time) Entry {
	t.Helper()
	ctx := context.Background()
	s, a := New(d, at, e.clock.Now(), Options{})
	for a.Kind != Post {
		if a.Kind == None || a.Kind == Wait {
			t.Fatalf("the send stopped at %v (%v) before the POST: %+v", a.Kind, s.Phase, s)
		}
		ans := Perform(ctx, e.driver.Mailbox, e.driver.Journal, s, a, e.clock.Now())
		s, a = s.Step(ans, e.clock.Now())
	}
	if ans := Perform(ctx, e.driver.Mailbox, e.driver.Journal, s, a, e.clock.Now()); ans.Err != nil {
		t.Fatalf("POST: %v", ans.Err)
	}
	left := e.journal.left(t)
	if len(left) != 1 || !left[0].At.Equal(at) || left[0].DraftID != d.ID {
		t.Fatalf("journal %+v; want the send later's entry", left)
	}
	return left[0]
}

// TestInterruptedSendLaterOnBothBehaviours: a send later whose POST went through but whose
// answer never came is settled from its journal entry, never posted again. Gone from Drafts (the
// Outbox) is scheduled. Kept in Drafts with its time cannot be told from a POST that never
// arrived: the machine says Unknown on purpose, keeps the entry, and advises what fits a
// scheduled send (open it in Outlook), not a look in Sent Items, where it cannot be yet. Once its
// time has passed and it has left Drafts, settling again finds it taken and forgets it.
func TestInterruptedSendLaterOnBothBehaviours(t *testing.T) {
	for _, b := range behaviours {
		t.Run(b.name, func(t *testing.T) {
			emu, e, d := behaviourEnv(t, b.inDrafts)
			ctx := context.Background()
			entry := postThenStop(t, e, d, later)
			if emu.Count("POST", "/send") != 1 || emu.Count("PATCH", d.ID) != 1 {
				t.Fatalf("%d POSTs, %d PATCHes before the stop", emu.Count("POST", "/send"), emu.Count("PATCH", d.ID))
			}
			e.clock.Advance(time.Minute) // the next start

			s, a := Recover(entry, Options{Deadline: -1})
			r := e.driver.Run(ctx, s, a)
			if emu.Count("POST", "/send") != 1 || emu.Count("PATCH", d.ID) != 1 || len(e.waits.all()) != 0 {
				t.Fatalf("settling posted, changed the draft or waited: %d POSTs, %d PATCHes, waits %v",
					emu.Count("POST", "/send"), emu.Count("PATCH", d.ID), e.waits.all())
			}
			if !r.Recovered || !r.At.Equal(later) {
				t.Fatalf("%+v", r)
			}
			sum := r.Summary()
			if strings.Contains(sum, "Sent Items") {
				t.Errorf("summary %q sends the user to Sent Items", sum)
			}
			if !b.inDrafts {
				if r.Phase != Scheduled || !e.journal.forgot(d.ID) || len(e.journal.left(t)) != 0 {
					t.Fatalf("%v, forgotten %v: %s", r.Phase, e.journal.forgot(d.ID), sum)
				}
				scheduledSummary(t, r)
				if want := "an interrupted send later was taken: Exchange holds it until " + later.Local().Format("Mon 2 Jan 15:04"); sum != want {
					t.Errorf("summary %q, want %q", sum, want)
				}
				return
			}
			if r.Phase != Unknown || !r.InDrafts || r.LookErr != nil || e.journal.forgot(d.ID) || len(e.journal.left(t)) != 1 {
				t.Fatalf("%v InDrafts=%v LookErr=%v forgotten=%v: %s", r.Phase, r.InDrafts, r.LookErr, e.journal.forgot(d.ID), sum)
			}
			if want := "not known whether an interrupted send later was taken: the draft is still in Drafts with its send time; open it in Outlook before sending it again"; sum != want {
				t.Errorf("summary %q, want %q", sum, want)
			}
			if got, _ := e.client.Message(ctx, d.ID); !got.DeferredUntil.Equal(later) {
				t.Fatalf("the send time was changed: %v", got.DeferredUntil)
			}

			// It was scheduled after all: at its time it goes out, once; the entry kept is
			// then settled as taken, and forgotten.
			e.clock.Advance(later.Sub(e.clock.Now()))
			if n := len(emu.Sent("")); n != 1 {
				t.Fatalf("%d copies at its time, want 1", n)
			}
			got, _, err := e.driver.Settle(ctx, Options{Deadline: -1})
			if err != nil || len(got) != 1 || got[0].Phase != Scheduled || !e.journal.forgot(d.ID) || len(e.journal.left(t)) != 0 {
				t.Fatalf("settled again: %+v (%v)", got, err)
			}
			if emu.Count("POST", "/send") != 1 {
				t.Fatalf("%d POSTs", emu.Count("POST", "/send"))
			}
		})
	}
}
