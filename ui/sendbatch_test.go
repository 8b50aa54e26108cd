package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/graph/sending"
)

// The fixtures' three newest drafts, which batchModel marks.
var batchSubjects = []string{"Q3 budget review — revised figures", "Team lunch on Thursday?", "URGENT: Fabrikam contract renewal expires Friday"}

// batchModel marks the three newest fixtures with space, asks with s, and answers y under a 5 s
// countdown. It returns the countdown's ticks, undelivered.
func batchModel(t *testing.T) (*env, model, []tea.Msg) {
	t.Helper()
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := e.model(t)
	m.sends.opts.Undo = 5 * time.Second
	m = start(t, m, 100, 30)
	m = press(t, m, "space", "space", "space")
	if s := screen(m); !strings.Contains(s, "3 marked") || strings.Count(s, markedMrk) != 3 {
		t.Fatalf("three marks, on the rows and in the sub-header:\n%s", s)
	}
	m = press(t, m, "s")
	s := flatScreen(screen(m))
	for _, want := range append([]string{"Send these 3 drafts now?", "y send 3", "one every 2.5 s"}, batchSubjects...) {
		if !strings.Contains(s, want) {
			t.Fatalf("no %q in the question:\n%s", want, screen(m))
		}
	}
	m, cmd := pressOnly(m, "y")
	m, ticks, _ := driveN(t, m, 200, cmd)
	if n := len(m.sends.held()); n != 3 || e.posts() != 0 {
		t.Fatalf("%d held, %d POSTs; want 3 held and none posted during the countdown", n, e.posts())
	}
	if line := m.sendsLine().text; line != "Sending 3 drafts in 5 s — u undo" {
		t.Fatalf("sends line %q", line)
	}
	if strings.Contains(screen(m), "marked") {
		t.Fatalf("the confirmed drafts are still marked:\n%s", screen(m))
	}
	return e, m, ticks
}

// TestBatchUndoTakesAllBack: one u during the countdown takes back every send of the batch.
func TestBatchUndoTakesAllBack(t *testing.T) {
	e, m, _ := batchModel(t)
	m = press(t, m, "u")
	if len(m.sends.heldItems()) != 0 || e.posts() != 0 || m.status.text != "Not sent: 3 drafts are still drafts" {
		t.Fatalf("%d held, %d POSTs, status %q", len(m.sends.heldItems()), e.posts(), m.status.text)
	}
}

// advanceBatch moves the clock by d and delivers the held ticks; it returns the ticks held again.
func advanceBatch(t *testing.T, e *env, m model, ticks []tea.Msg, d time.Duration) (model, []tea.Msg) {
	t.Helper()
	e.clock.Advance(d)
	var again []tea.Msg
	for _, tick := range ticks { // a countdown's tick is delivered by hand (driveN holds it)
		var cmd tea.Cmd
		var held []tea.Msg
		m, cmd = deliver(t, m, tick)
		m, held, _ = driveN(t, m, 200, cmd)
		again = append(again, held...)
	}
	return m, again
}

// TestBatchPostsOneATurn: after the countdown, one POST each sending.Pace, the sends line
// counting; every draft ends in Sent Items.
func TestBatchPostsOneATurn(t *testing.T) {
	e, m, ticks := batchModel(t)
	m, ticks = advanceBatch(t, e, m, ticks, 5*time.Second)
	if e.posts() != 1 {
		t.Fatalf("%d POSTs when the countdown ended, want 1", e.posts())
	}
	if line := m.sendsLine().text; line != "1 of 3 sent · next in 3 s — u stops the rest" {
		t.Fatalf("sends line %q", line)
	}
	if !strings.Contains(screen(m), "u undo the rest") {
		t.Fatalf("the help does not name u for the rest:\n%s", screen(m))
	}
	m, ticks = advanceBatch(t, e, m, ticks, time.Second)
	if e.posts() != 1 {
		t.Fatalf("%d POSTs a second later, want 1: the next waits its turn", e.posts())
	}
	m, ticks = advanceBatch(t, e, m, ticks, sending.Pace-time.Second)
	m, _ = advanceBatch(t, e, m, ticks, sending.Pace)
	if e.posts() != 3 || len(e.emu.Sent("")) != 3 {
		t.Fatalf("%d POSTs, %d in Sent Items; want 3 and 3", e.posts(), len(e.emu.Sent("")))
	}
}

// TestBatchUStopsTheRest: u after the first send takes back the others, which stay drafts.
func TestBatchUStopsTheRest(t *testing.T) {
	e, m, ticks := batchModel(t)
	m, ticks = advanceBatch(t, e, m, ticks, 5*time.Second)
	m = press(t, m, "u")
	m, _ = advanceBatch(t, e, m, ticks, time.Minute)
	if e.posts() != 1 || m.status.text != "Not sent: 2 drafts are still drafts" {
		t.Fatalf("%d POSTs, status %q", e.posts(), m.status.text)
	}
}

// TestQuitDuringABatchSaysTheRestStayDrafts: quitting between turns says what stays a draft,
// and y quits without another POST.
func TestQuitDuringABatchSaysTheRestStayDrafts(t *testing.T) {
	e, m, ticks := batchModel(t)
	m, _ = advanceBatch(t, e, m, ticks, 5*time.Second)
	m = press(t, m, "q")
	if s := flatScreen(screen(m)); !strings.Contains(s, "2 more drafts wait their turn") || !strings.Contains(s, "they stay drafts") || !strings.Contains(s, "y quit") {
		t.Fatalf("the quit question:\n%s", screen(m))
	}
	m, cmd := pressOnly(m, "y")
	if _, quit := drive(t, m, cmd); !quit || e.posts() != 1 {
		t.Fatalf("quit %v, %d POSTs; want to quit with 1", quit, e.posts())
	}
}

// TestSendNowInABatchKeepsThePace: "s send now" under the quit question sends the first at once
// and the others a Pace apart, not all at once.
func TestSendNowInABatchKeepsThePace(t *testing.T) {
	e, m, ticks := batchModel(t)
	m = press(t, m, "q")
	m, cmd := pressOnly(m, "s")
	m, again, _ := driveN(t, m, 200, cmd)
	ticks = append(ticks, again...)
	if e.posts() != 1 {
		t.Fatalf("%d POSTs on send now, want 1", e.posts())
	}
	m, ticks = advanceBatch(t, e, m, ticks, sending.Pace)
	m, _ = advanceBatch(t, e, m, ticks, sending.Pace)
	if e.posts() != 3 {
		t.Fatalf("%d POSTs after two turns, want 3", e.posts())
	}
}

// TestMarksSurviveARefreshAndStarMarksWhatTheFilterShows.
func TestMarksSurviveARefreshAndStarMarksWhatTheFilterShows(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := start(t, e.model(t), 100, 30)
	m = press(t, m, "space", "r")
	if len(m.marked) != 1 || !strings.Contains(screen(m), "1 marked") {
		t.Fatalf("after r: %d marked\n%s", len(m.marked), screen(m))
	}
	m = press(t, m, "/", "T", "e", "a", "m", "enter", "*")
	if len(m.marked) != 2 {
		t.Fatalf("* with the filter 'Team': %d marked, want 2", len(m.marked))
	}
	m = press(t, m, "*")
	if len(m.marked) != 1 {
		t.Fatalf("* again unmarks what the filter shows: %d marked, want 1", len(m.marked))
	}
	// One marked draft: s asks about it as about any one draft.
	m = press(t, m, "esc", "s")
	if !strings.Contains(screen(m), "Send this draft now?") {
		t.Fatalf("one mark:\n%s", screen(m))
	}
}
