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

// Sends later: the deferred-send time is set (PATCH), the draft posted once, and Exchange
// holds it until then; the send is confirmed by the draft leaving Drafts.

func scheduleEnv(t *testing.T) (*emulator.Server, *env, graph.Message) {
	t.Helper()
	emu, e := emulatorEnv(t, emulator.Options{NoSendDelay: true})
	emu.AddDraft(emulator.Draft{Subject: "Board pack", To: []emulator.Recipient{emulator.Addr("", "megan.bowen@contoso.example")}})
	return emu, e, onlyDraft(t, e.client)
}

func TestSendLaterHoldsInTheOutbox(t *testing.T) {
	emu, e, d := scheduleEnv(t)
	c := e.client
	r := e.send(context.Background(), d, later, fastPoll)
	if r.Phase != Scheduled || !r.At.Equal(later) || r.Outcome() != "scheduled" || r.Reconciled {
		t.Fatalf("%+v: %s", r, r.Summary())
	}
	if n := emu.Count("POST", "/send"); n != 1 {
		t.Fatalf("%d POSTs", n)
	}
	if want := []Phase{Verifying, Deferring, Recording, Posting, Looking, Scheduled}; !slices.Equal(e.phases, want) {
		t.Errorf("phases %v, want %v", e.phases, want)
	}
	if rec := e.journal.records; len(rec) != 1 || !rec[0].At.Equal(later) || !e.journal.forgot(d.ID) {
		t.Errorf("journal records %+v, forgotten %v", rec, e.journal.forgot(d.ID))
	}
	out, err := c.Scheduled(context.Background())
	if err != nil || len(out) != 1 || !out[0].DeferredUntil.Equal(later) || !out[0].IsScheduled(e.clock.Now()) || out[0].Subject != "Board pack" {
		t.Fatalf("outbox %+v (%v)", out, err)
	}
	if sent, _ := c.FindSent(context.Background(), d.InternetMessageID); sent != nil {
		t.Fatal("in Sent Items before its time")
	}
	e.clock.Advance(10 * time.Hour)
	if out, _ := c.Scheduled(context.Background()); len(out) != 0 {
		t.Fatalf("still in the Outbox after its time: %+v", out)
	}
	if sent, err := c.FindSent(context.Background(), d.InternetMessageID); sent == nil || !sent.Sent.Equal(later) {
		t.Fatalf("copy %+v (%v)", sent, err)
	}
}

func TestSendLaterRefusedResetsTheTime(t *testing.T) {
	emu, e, d := scheduleEnv(t)
	c := e.client
	emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{Status: http.StatusForbidden, Code: "ErrorSendAsDenied"}})
	r := e.send(context.Background(), d, e.clock.Now().Add(time.Hour), fastPoll)
	if r.Phase != NotSent || !graph.IsForbidden(r.Err) || emu.Count("POST", "/send") != 1 || !slices.Contains(e.phases, Resetting) {
		t.Fatalf("%+v, phases %v", r, e.phases)
	}
	got, err := c.Message(context.Background(), d.ID)
	if err != nil || got.IsScheduled(e.clock.Now()) {
		t.Fatalf("the deferred time is left on the draft: %v (%v)", got.DeferredUntil, err)
	}
	// The draft as confirmed before is stale now (setting and resetting the time changed it):
	// sending it again needs the draft as it is.
	if res := e.send(context.Background(), d, time.Time{}, fastPoll); res.Phase != Changed || emu.Count("POST", "/send") != 1 {
		t.Fatalf("a send of the stale draft: %s", res.Summary())
	}
	// A normal send now goes out at once.
	if res := e.send(context.Background(), onlyDraft(t, c), time.Time{}, fastPoll); res.Phase != Sent {
		t.Fatalf("normal send after a failed schedule: %s", res.Summary())
	}
}

// TestSendLaterUnclearAnswerLooksInDrafts: an unclear answer to the POST of a send later is
// settled by looking in Drafts, never by posting again.
func TestSendLaterUnclearAnswerLooksInDrafts(t *testing.T) {
	emu, e, d := scheduleEnv(t)
	emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{DropAfterAct: true}})
	r := e.send(context.Background(), d, e.clock.Now().Add(time.Hour), fastPoll)
	if r.Phase != Scheduled || !r.Reconciled || emu.Count("POST", "/send") != 1 {
		t.Fatalf("%+v: %s", r, r.Summary())
	}
	// Lost before Graph acted: the draft is still in Drafts with its time. Exchange may keep a
	// scheduled send there (Outlook.com does), so it cannot be told from one never posted:
	// unknown, and its time is left as it is (taking it off could send it at once).
	emu2, e2, d2 := scheduleEnv(t)
	emu2.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{DropBeforeAct: true}})
	at := e2.clock.Now().Add(time.Hour)
	r = e2.send(context.Background(), d2, at, fastPoll)
	if r.Phase != Unknown || !r.InDrafts || emu2.Count("POST", "/send") != 1 {
		t.Fatalf("%+v: %s", r, r.Summary())
	}
	if !strings.HasPrefix(r.Summary(), "not known whether it was scheduled: the draft is still in Drafts with its send time") {
		t.Errorf("summary %q", r.Summary())
	}
	if got, _ := e2.client.Message(context.Background(), d2.ID); !got.DeferredUntil.Equal(at) {
		t.Fatalf("the deferred time was changed: %v", got.DeferredUntil)
	}
	if left := e2.journal.left(t); len(left) != 1 {
		t.Fatalf("journal %+v: an unknown send is kept", left)
	}
}

// TestSendLaterNotRecordedResetsTheTime: the journal refused the entry: nothing is posted and
// the time set a moment before is taken off again.
func TestSendLaterNotRecordedResetsTheTime(t *testing.T) {
	emu, e, d := scheduleEnv(t)
	e.journal.recordErr = errors.New("disk full")
	r := e.send(context.Background(), d, e.clock.Now().Add(time.Hour), fastPoll)
	if r.Phase != NotSent || !errors.Is(r.Err, ErrNotRecorded) || emu.Count("POST", "/send") != 0 || emu.Count("PATCH", d.ID) != 2 {
		t.Fatalf("%+v after %d POSTs, %d PATCHes", r, emu.Count("POST", "/send"), emu.Count("PATCH", d.ID))
	}
	if got, _ := e.client.Message(context.Background(), d.ID); got.IsScheduled(e.clock.Now()) {
		t.Fatal("the deferred time is left on the draft")
	}
}

// TestSendLaterKeptInDrafts: Outlook.com keeps a scheduled send in Drafts with its time instead
// of moving it to the Outbox: accepted and there with its time is scheduled.
func TestSendLaterKeptInDrafts(t *testing.T) {
	s := newSendServer(t, accept)
	s.keepInDrafts = true
	e := newServerEnv(t, s)
	r := e.send(context.Background(), testDraft(), later, Options{Deadline: -1})
	posts, _, _, patches := s.get()
	if r.Phase != Scheduled || posts != 1 || len(patches) != 1 || !patches[0].Equal(later) || r.Summary() != "scheduled for "+later.Local().Format("Mon 2 Jan 15:04")+": Exchange holds it until then" {
		t.Fatalf("%+v, %d POSTs, patches %v: %s", r, posts, patches, r.Summary())
	}
	if want := []string{"draft-state", "patch", "record", "post", "draft-state", "forget"}; !slices.Equal(e.ev.all(), want) {
		t.Errorf("requests %v, want %v", e.ev.all(), want)
	}
}

// TestSendLaterThrottledIsRepostedOnce: a 429 to a send later's POST is waited out like a send
// now's; its time stays set.
func TestSendLaterThrottledIsRepostedOnce(t *testing.T) {
	s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "2.128")
			writeGraphError(w, 429, graph.CodeApplicationThrottled, "throttled")
			return
		}
		accept(s, w, n)
	})
	r, e := runSendAt(t, s, later, fastPoll)
	posts, _, copies, patches := s.get()
	if r.Phase != Scheduled || posts != 2 || copies != 1 || len(patches) != 1 || e.waits.all()[0] != 2128*time.Millisecond {
		t.Fatalf("%+v, %d POSTs, %d copies, patches %v, waits %v", r, posts, copies, patches, e.waits.all())
	}
}

func runSendAt(t *testing.T, s *sendServer, at time.Time, o Options) (Send, *env) {
	t.Helper()
	e := newServerEnv(t, s)
	return e.send(context.Background(), testDraft(), at, o), e
}

// TestFailedResetIsSaid: a send later that was refused, whose send time could not be taken off
// the draft again, says so: Outlook would hold the draft until that time.
func TestFailedResetIsSaid(t *testing.T) {
	s, a := New(testDraft(), later, t0, Options{})
	for _, ans := range []Answer{draftOK, done, done, status(403)} { // verify, defer, record, POST refused
		s, a = s.Step(ans, t0)
	}
	if s.Phase != Resetting || a.Kind != SetDeferred {
		t.Fatalf("after the refusal: %v %v", s.Phase, a)
	}
	s, _ = s.Step(journalFull, t0) // the reset failed
	if s.Phase != NotSent || s.ResetErr == nil {
		t.Fatalf("%v, reset error %v", s.Phase, s.ResetErr)
	}
	if sum := s.Summary(); !strings.Contains(sum, "could not be taken off the draft") || !strings.Contains(sum, "Exchange would hold it until then") {
		t.Fatalf("summary %q", sum)
	}
}
