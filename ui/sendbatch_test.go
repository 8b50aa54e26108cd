package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
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
	if len(m.marked) != 3 || !strings.Contains(screen(m), "3 marked") {
		t.Fatalf("the drafts taken back are not marked again: %d marked", len(m.marked))
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
	// One line for the whole batch, and every copy marked in Sent Items.
	if m.status.text != "All 3 drafts are in Sent Items" {
		t.Fatalf("status %q at the end of the batch", m.status.text)
	}
	m = press(t, m, "tab")
	if s := screen(m); strings.Count(s, "✓ just sent") != 3 {
		t.Fatalf("Sent Items marks %d copies, want 3:\n%s", strings.Count(s, "✓ just sent"), s)
	}
}

// TestBatchUStopsTheRest: u after the first send takes back the others, which stay drafts.
func TestBatchUStopsTheRest(t *testing.T) {
	e, m, ticks := batchModel(t)
	m, ticks = advanceBatch(t, e, m, ticks, 5*time.Second)
	m = press(t, m, "u")
	m, _ = advanceBatch(t, e, m, ticks, time.Minute)
	// The first send ends after u: the batch's line says how all of it ended.
	if e.posts() != 1 || m.status.text != "Of the 3 drafts sent together: 1 in Sent Items, 2 stopped (still drafts)" {
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

// Pausing the countdowns for the editor and resuming them keeps the order they were started
// in: u still takes back the latest.
func TestPauseKeepsTheOrderOfCountdowns(t *testing.T) {
	e, m, _ := batchModel(t)
	m = press(t, selectSubject(t, m, "Old notes"), "s")
	m, _ = pressOnly(m, "y")
	order := func(m model) []string {
		var ids []string
		for _, it := range m.sends.heldItems() {
			ids = append(ids, it.draft.Subject)
		}
		return ids
	}
	before := order(m)
	for range 20 { // map order would differ from one run to the next
		q, paused := m.sends.pause(e.clock.Now())
		q, _ = q.resume(paused, e.clock.Now())
		m.sends = q
		if got := order(m); strings.Join(got, "|") != strings.Join(before, "|") {
			t.Fatalf("order after a pause: %q, want %q", got, before)
		}
	}
	m = press(t, m, "u")
	if s, _ := m.sends.job(m.drafts.all[len(m.drafts.all)-1].id()); s.Phase != sending.Undone || len(m.sends.heldItems()) != 3 {
		t.Fatalf("u took back something else than the latest: %d held", len(m.sends.heldItems()))
	}
}

// The quit question while a batch waits its turns and another draft counts down names both,
// and does not say that nothing was sent.
func TestQuitQuestionNamesTheBatchWaiting(t *testing.T) {
	e, m, ticks := batchModel(t)
	m, _ = advanceBatch(t, e, m, ticks, 5*time.Second) // the first of the batch goes
	m = press(t, selectSubject(t, m, "Old notes"), "s")
	m, _ = pressOnly(m, "y")
	m = press(t, m, "q")
	s := flatScreen(screen(m))
	if !strings.Contains(s, "“Old notes” will be sent when the countdown ends") || !strings.Contains(s, "2 more") || !strings.Contains(s, "of a batch wait their turn") ||
		strings.Contains(s, "Nothing has been sent yet") {
		t.Fatalf("the quit question:\n%s", screen(m))
	}
}

// A draft whose last send has an unknown outcome is left out of a batch: it may have gone out.
func TestBatchLeavesOutADraftOfUnknownOutcome(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := start(t, e.model(t), 100, 30)
	d, _ := m.drafts.selected()
	s, _ := sending.New(d, time.Time{}, e.clock.Now(), sending.Options{})
	u := unknownSend(s)
	if u.Phase != sending.Unknown {
		t.Fatalf("the send is %v, not unknown", u.Phase)
	}
	m.sends.jobs = map[string]sendJob{d.ID: {s: u}}
	m = press(t, m, "space", "space", "space", "s")
	if s := flatScreen(screen(m)); !strings.Contains(s, "Send these 2 drafts now?") || !strings.Contains(s, "unknown outcome") {
		t.Fatalf("the question:\n%s", screen(m))
	}
}

// unknownSend drives a send to an unknown outcome: an unclear answer to its POST, the draft
// still in Drafts, and the wait for it to settle cut short.
func unknownSend(s sending.Send) sending.Send {
	now := s.Draft.LastModified.Add(time.Hour)
	steps := []sending.Answer{
		{Draft: graph.DraftState{Exists: true, ChangeKey: s.Draft.ChangeKey}}, // verify
		{}, // record
		{Err: &graph.Error{Op: "send", Status: 503}}, // the POST: unclear
		{}, // no copy in Sent Items
		{Draft: graph.DraftState{Exists: true, ChangeKey: s.Draft.ChangeKey}}, // still in Drafts
	}
	for _, a := range steps {
		s, _ = s.Step(a, now)
	}
	s, _ = s.Interrupt(now)
	return s
}

// A second batch confirmed while the first waits its turns takes the turns after them: one pace
// for the mailbox.
func TestSecondBatchWaitsForTheFirst(t *testing.T) {
	_, m, _ := batchModel(t)
	last := m.sends.lastTurn()
	m = press(t, selectSubject(t, m, "Old notes"), "space", "k", "space", "s")
	m, _ = pressOnly(m, "y")
	var firsts []time.Time
	for _, j := range m.sends.jobs {
		if j.batch == 2 {
			firsts = append(firsts, j.s.Until)
		}
	}
	if len(firsts) != 2 {
		t.Fatalf("the second batch has %d sends", len(firsts))
	}
	for _, u := range firsts {
		if u.Before(last.Add(sending.Pace)) {
			t.Fatalf("a turn of the second batch at %v, before the first batch's last (%v) and a pace", u, last)
		}
	}
}

// u after the first send is in Sent Items stops the rest, and the line says how the whole
// batch ended.
func TestBatchUAfterTheFirstIsInSentItems(t *testing.T) {
	e, m, ticks := batchModel(t)
	m, ticks = advanceBatch(t, e, m, ticks, 5*time.Second)
	m, ticks = advanceBatch(t, e, m, ticks, time.Second) // the first's copy is found
	if len(e.emu.Sent("")) != 1 || !strings.Contains(m.status.text, "is in Sent Items") {
		t.Fatalf("%d in Sent Items, status %q", len(e.emu.Sent("")), m.status.text)
	}
	m = press(t, m, "u")
	m, _ = advanceBatch(t, e, m, ticks, time.Minute)
	if e.posts() != 1 || m.status.text != "Of the 3 drafts sent together: 1 in Sent Items, 2 stopped (still drafts)" {
		t.Fatalf("%d POSTs, status %q", e.posts(), m.status.text)
	}
}

// The question for many drafts says how long they take to go out, scrolls by page and to
// either end, and, as each draft's checks arrive, wraps that draft again, not all of them: the
// result is what wrapping everything anew gives.
func TestConfirmManyOfManyDrafts(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.emu.SeedGenerated(40)
	m := start(t, e.model(t), 100, 30)
	m = press(t, m, "*")
	m = press(t, m, "s")
	c, ok := m.top().(confirmMany)
	if !ok || c.checked != 40 {
		t.Fatalf("top %T, %d checked", m.top(), c.checked)
	}
	s := flatScreen(screen(m))
	if !strings.Contains(s, "Send these 40 drafts now?") || !strings.Contains(s, "the last goes out about 2 min after the first") {
		t.Fatalf("the question:\n%s", screen(m))
	}
	tw := c.textWidth(m.width)
	if fresh := (confirmMany{drafts: c.drafts, skipped: c.skipped, checks: c.checks, checked: c.checked}).wrap(m.styles, tw); !slices.Equal(c.mid, fresh) {
		t.Fatalf("the middle kept draft by draft differs from one wrapped anew (%d and %d lines)", len(c.mid), len(fresh))
	}
	m = press(t, m, "G")
	if s := screen(m); !strings.Contains(s, "↑ more (k, g)") || !strings.Contains(s, "40. ") {
		t.Fatalf("G did not reach the end:\n%s", s)
	}
	m = press(t, m, "g")
	m = press(t, m, "space")
	if c := m.top().(confirmMany); c.offset == 0 || c.offset == 1 {
		t.Fatalf("space moved the middle to line %d, want a page", c.offset)
	}
}

// How a batch's sends end is counted once each, whatever way they go: seen late, found out
// otherwise after a late watch, stopped, not sent.
func TestBatchEndCountsEachSendOnce(t *testing.T) {
	b := batchInfo{total: 4, started: true}
	for _, step := range [][2]sending.Phase{
		{sending.Looking, sending.Late}, {sending.Late, sending.Sent}, // late, then seen
		{sending.Looking, sending.Late}, {sending.Late, sending.Unknown}, // late, then unknown (a 404)
		{sending.Held, sending.Undone},       // stopped
		{sending.Verifying, sending.NotSent}, // not sent
	} {
		b = b.ended(step[0], step[1])
	}
	b.failed = 2 // noteBatch counts these (Unknown, NotSent)
	if !b.done() || b.seen != 1 || b.late != 0 || b.unknown != 1 || b.stopped != 1 {
		t.Fatalf("%+v", b)
	}
	want := "Of the 4 drafts sent together: 1 in Sent Items, 1 not sent (still drafts), 1 with an unknown outcome (look in Sent Items before sending again), 1 stopped (still drafts)"
	if got := b.summary(); got.text != want || got.kind != kindWarn {
		t.Fatalf("summary %q (%v), want %q", got.text, got.kind, want)
	}
}

// U stops the rest of a batch under way too, and says how all of it ended.
func TestBatchUndoAllSaysHowTheBatchEnded(t *testing.T) {
	e, m, ticks := batchModel(t)
	m, ticks = advanceBatch(t, e, m, ticks, 5*time.Second)
	m, ticks = advanceBatch(t, e, m, ticks, time.Second) // the first's copy is found
	m = press(t, m, "U")
	m, _ = advanceBatch(t, e, m, ticks, time.Minute)
	if e.posts() != 1 || m.status.text != "Of the 3 drafts sent together: 1 in Sent Items, 2 stopped (still drafts)" {
		t.Fatalf("%d POSTs, status %q", e.posts(), m.status.text)
	}
}

// The copies just sent that Sent Items does not list yet go on top, newest first, at most a
// listing's worth.
func TestSentItemsShowTheCopiesNotListedYet(t *testing.T) {
	msg := func(id string) graph.Message { return graph.Message{ID: id} }
	got := withCopies([]graph.Message{msg("b"), msg("old")}, []graph.Message{msg("a"), msg("b"), msg("c")})
	if ids := fmt.Sprint(idsOf(got)); ids != "[c a b old]" {
		t.Fatalf("listing %s", ids)
	}
	many := make([]graph.Message, 40)
	for i := range many {
		many[i] = msg(fmt.Sprint(i))
	}
	if got := withCopies(nil, many); len(got) != sentPageSize || got[0].ID != "39" {
		t.Fatalf("%d shown, first %q", len(got), got[0].ID)
	}
}

func idsOf(ms []graph.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}
