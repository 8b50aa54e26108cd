package sending

import (
	"fmt"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// batchDrafts are n sendable drafts, d1…dn.
func batchDrafts(n int) []graph.Message {
	ds := make([]graph.Message, n)
	for i := range ds {
		ds[i] = testDraft()
		ds[i].ID = fmt.Sprintf("d%d", i+1)
	}
	return ds
}

// TestBatchSharesOneCountdownThenTakesTurns: every send of a batch is held; the first's
// countdown is the undo time, each next one's Pace later; a draft with no recipients ends at
// once and takes no turn.
func TestBatchSharesOneCountdownThenTakesTurns(t *testing.T) {
	ds := batchDrafts(4)
	ds[1].To = nil
	sends, actions := Batch(ds, t0, time.Time{}, Options{Undo: 10 * time.Second})
	wantUntil := []time.Time{t0.Add(10 * time.Second), {}, t0.Add(10*time.Second + Pace), t0.Add(10*time.Second + 2*Pace)}
	for i, s := range sends {
		if i == 1 {
			if s.Phase != NotSent || s.Err != ErrNoRecipients || actions[i].Kind != None {
				t.Fatalf("no recipients: %v %v %v", s.Phase, s.Err, actions[i])
			}
			continue
		}
		if s.Phase != Held || !s.Until.Equal(wantUntil[i]) || actions[i].Kind != Wait || actions[i].Wait != wantUntil[i].Sub(t0) {
			t.Fatalf("send %d: %v until %v, action %v; want held until %v", i, s.Phase, s.Until, actions[i], wantUntil[i])
		}
	}
	// Undo takes back a send whose turn has not come, however far the batch is.
	if s, ok := sends[3].Undo(t0.Add(11 * time.Second)); !ok || s.Phase != Undone {
		t.Fatalf("undo of a later turn: %v %v", s.Phase, ok)
	}
}

// TestBatchWithoutCountdownStartsAtOnce: with undo off, the first verifies at once and the
// others wait their turn.
func TestBatchWithoutCountdownStartsAtOnce(t *testing.T) {
	sends, actions := Batch(batchDrafts(2), t0, time.Time{}, Options{})
	if sends[0].Phase != Verifying || actions[0].Kind != Verify {
		t.Fatalf("first: %v %v", sends[0].Phase, actions[0])
	}
	if sends[1].Phase != Held || actions[1].Wait != Pace {
		t.Fatalf("second: %v %v", sends[1].Phase, actions[1])
	}
}

// TestBatchStaysUnderTheMessageRate: in no minute do more than MessagesPerMinute turns come,
// for a batch of any size.
func TestBatchStaysUnderTheMessageRate(t *testing.T) {
	sends, _ := Batch(batchDrafts(200), t0, time.Time{}, Options{Undo: 5 * time.Second})
	for i := range sends {
		n := 0
		for j := i; j < len(sends) && sends[j].Until.Sub(sends[i].Until) < time.Minute; j++ {
			n++
		}
		if n > MessagesPerMinute {
			t.Fatalf("%d turns in the minute from turn %d, over Exchange's %d", n, i, MessagesPerMinute)
		}
	}
}

// TestRescheduleMovesOnlyACountdown: a held send's countdown can be moved (its turn, after
// "send now"); any other send is left as it is.
func TestRescheduleMovesOnlyACountdown(t *testing.T) {
	s, _ := New(testDraft(), time.Time{}, t0, Options{Undo: 10 * time.Second})
	s, a := s.Reschedule(t0.Add(3*time.Second), t0.Add(time.Second))
	if s.Phase != Held || !s.Until.Equal(t0.Add(3*time.Second)) || a.Kind != Wait || a.Wait != 2*time.Second {
		t.Fatalf("rescheduled: %v until %v, %v", s.Phase, s.Until, a)
	}
	if s, _ = s.Step(Tick, t0.Add(3*time.Second)); s.Phase != Verifying {
		t.Fatalf("at its new time: %v, want verifying", s.Phase)
	}
	if r, a := s.Reschedule(t0.Add(time.Hour), t0); r.Phase != Verifying || a.Kind != None {
		t.Fatalf("a send on its way was rescheduled: %v %v", r.Phase, a)
	}
}

// TestBatchAfterAnotherTakesTheNextTurns: a batch confirmed while another waits its turns
// starts after the last of them, so the mailbox keeps one pace.
func TestBatchAfterAnotherTakesTheNextTurns(t *testing.T) {
	last := t0.Add(30 * time.Second) // the other batch's last turn
	sends, _ := Batch(batchDrafts(2), t0, last.Add(Pace), Options{Undo: 5 * time.Second})
	if !sends[0].Until.Equal(last.Add(Pace)) || !sends[1].Until.Equal(last.Add(2*Pace)) {
		t.Fatalf("turns at %v and %v, want %v and %v", sends[0].Until, sends[1].Until, last.Add(Pace), last.Add(2*Pace))
	}
	sends, _ = Batch(batchDrafts(1), t0, t0.Add(time.Second), Options{Undo: 5 * time.Second})
	if !sends[0].Until.Equal(t0.Add(5 * time.Second)) {
		t.Fatalf("a turn due before the countdown ends: %v, want the countdown's end", sends[0].Until)
	}
}

// TestPacerSpacesPosts: slots a Pace apart, however close together they are asked for; a
// slot asked for after a long pause is at once; a nil Pacer never waits.
func TestPacerSpacesPosts(t *testing.T) {
	var p Pacer
	for i, want := range []time.Duration{0, Pace, 2 * Pace} {
		if got := p.Reserve(t0.Add(time.Second)); got != want {
			t.Fatalf("slot %d: wait %v, want %v", i, got, want)
		}
	}
	if got := p.Reserve(t0.Add(time.Hour)); got != 0 {
		t.Fatalf("after a pause: wait %v", got)
	}
	if (*Pacer)(nil).Reserve(t0) != 0 {
		t.Fatal("a nil pacer waits")
	}
}
