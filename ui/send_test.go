package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/graph/sending"
)

func (e *env) posts() int { return e.emu.Count("POST", "/send") }

func TestSWithoutYSendsNothing(t *testing.T) {
	e, m := fixture(t, 80, 24)
	m = press(t, m, "s")
	wantState(t, m, stateConfirm)
	if !strings.Contains(screen(m), "Send this draft now?") || !strings.Contains(screen(m), "megan.bowen@contoso.example") {
		t.Fatalf("confirm dialog:\n%s", screen(m))
	}
	m = press(t, m, "s", "r", "q", "n")
	wantState(t, m, stateList)
	wantStatus(t, m, kindInfo, "Not sent")
	m = press(t, m, "s", "esc")
	wantState(t, m, stateList)
	if n := e.posts(); n != 0 {
		t.Fatalf("%d sends, want 0", n)
	}
	if len(subjects(m)) != 6 {
		t.Fatal("a draft went missing")
	}
}

func TestYTwiceSendsOnce(t *testing.T) {
	e, m := fixture(t, 80, 24)
	m, _ = pressOnly(m, "s")
	m, send := pressOnly(m, "y")
	// The user hammers the keys while the POST is in flight.
	var later []tea.Cmd
	for _, k := range []string{"y", "s", "y", "enter", "s", "y", "esc"} {
		var cmd tea.Cmd
		m, cmd = pressOnly(m, k)
		later = append(later, cmd)
	}
	repeat := tea.KeyPressMsg{Code: 'y', Text: "y", IsRepeat: true}
	m, cmd := deliver(t, m, repeat)
	later = append(later, cmd)
	m, _, _ = driveN(t, m, 200, append([]tea.Cmd{send}, later...)...)
	if n := e.posts(); n != 1 {
		t.Fatalf("%d sends, want exactly 1", n)
	}
	wantStatus(t, m, kindOK, "is in Sent Items after")
}

func TestSendKeyDeadWhileInFlight(t *testing.T) {
	e, m := fixture(t, 80, 24)
	m, _ = pressOnly(m, "s")
	m, _ = pressOnly(m, "y") // the POST is not answered yet
	if m.keys.Send.Enabled() {
		t.Fatal("s is enabled for a draft being sent")
	}
	m, cmd := pressOnly(m, "s")
	wantState(t, m, stateList)
	if cmd != nil {
		if _, quit := drive(t, m, cmd); quit {
			t.Fatal("s quit")
		}
	}
	if !strings.Contains(screen(m), "sending") {
		t.Fatalf("no spinner on the row:\n%s", screen(m))
	}
	// Another draft can still be sent.
	m = press(t, m, "j")
	if !m.keys.Send.Enabled() {
		t.Fatal("s is disabled for another draft")
	}
	if e.posts() != 0 {
		t.Fatal("a command ran that was never started")
	}
}

func TestSendFlowDraftGoneSentHighlighted(t *testing.T) {
	e, m := fixture(t, 80, 24)
	m = selectSubject(t, m, "Team lunch on Thursday?")
	m = press(t, m, "s", "y")
	wantStatus(t, m, kindOK, "“Team lunch on Thursday?” is in Sent Items after 0.0 s")
	for _, s := range subjects(m) {
		if s == "Team lunch on Thursday?" {
			t.Fatalf("the sent draft is still listed: %q", subjects(m))
		}
	}
	if len(subjects(m)) != 5 || e.posts() != 1 {
		t.Fatalf("%d drafts, %d sends", len(subjects(m)), e.posts())
	}
	m = press(t, m, "tab")
	wantState(t, m, stateSent)
	sel, ok := m.sent.list.selected()
	if !ok || sel.Subject != "Team lunch on Thursday?" || len(m.sent.justSent) != 1 || sel.ID != m.sent.justSent[0].ID {
		t.Fatalf("selected in Sent Items: %+v (just sent %+v)", sel, m.sent.justSent)
	}
	if !strings.Contains(screen(m), "✓ just sent") {
		t.Fatalf("no highlight:\n%s", screen(m))
	}
	m = press(t, m, "tab")
	wantState(t, m, stateInbox)
	m = press(t, m, "tab")
	wantState(t, m, stateList)
}

func TestSendRefusedKeepsDraft(t *testing.T) {
	e, m := fixture(t, 80, 24)
	e.emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{Status: http.StatusForbidden, Code: "ErrorSendAsDenied"}})
	m = press(t, m, "s", "y")
	wantStatus(t, m, kindErr, "you may not send as")
	if len(subjects(m)) != 6 || e.posts() != 1 {
		t.Fatalf("%d drafts, %d sends", len(subjects(m)), e.posts())
	}
	if !strings.Contains(screen(m), "✗ not sent") {
		t.Fatalf("no mark on the row:\n%s", screen(m))
	}
	// Nothing is retried; the user may send again, after a new y.
	if !m.keys.Send.Enabled() {
		t.Fatal("s is dead after a refusal")
	}
	m = press(t, m, "s", "y")
	wantStatus(t, m, kindOK, "is in Sent Items")
	if e.posts() != 2 {
		t.Fatalf("%d sends, want 2 (one refused, one by a second y)", e.posts())
	}
}

func TestSendWithoutRecipientsSaysSo(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.emu.AddDraft(emulator.Draft{Subject: "Nobody yet", LastModified: epoch.Add(-time.Hour)})
	m := start(t, e.model(t), 80, 24)
	m = press(t, m, "s")
	s := screen(m)
	if !strings.Contains(s, "This draft cannot be sent") || !strings.Contains(s, "nobody — Outlook refuses") ||
		strings.Contains(s, "y send") || m.keys.Yes.Enabled() {
		t.Fatalf("confirm without recipients offers y:\n%s", s)
	}
	m = press(t, m, "y")
	if e.posts() != 0 || m.state() != stateConfirm || len(m.sends.jobs) != 0 {
		t.Fatalf("y on a draft without recipients: %d POSTs, state %v", e.posts(), m.state())
	}
	m = press(t, m, "n")
	if m.state() != stateList || len(subjects(m)) != 1 {
		t.Fatal("n does not close the dialog, or the draft left the list")
	}
}

func TestLostAnswerIsReconciledAsSent(t *testing.T) {
	e, m := fixture(t, 80, 24)
	e.emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{DropAfterAct: true}})
	m = press(t, m, "s", "y")
	if e.posts() != 1 {
		t.Fatalf("%d sends, want 1", e.posts())
	}
	wantStatus(t, m, kindOK, "in Sent Items")
	if len(subjects(m)) != 5 {
		t.Fatalf("drafts %q", subjects(m))
	}
}

func TestServerErrorOnSendIsReconciledAsNotSent(t *testing.T) {
	e, m := fixture(t, 80, 24)
	e.emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{Status: http.StatusServiceUnavailable}})
	m = press(t, m, "s")
	m, cmd := pressOnly(m, "y")
	// The draft is still in Drafts: it is looked at again, with Sent Items, for 30 s before
	// "not sent" (Exchange may have taken the send and not yet moved the draft).
	m, ticks, _ := driveN(t, m, 0, cmd)
	waited := time.Duration(0)
	for len(ticks) > 0 {
		if waited > time.Minute {
			t.Fatalf("still looking after %v: %q", waited, m.status.text)
		}
		if strings.Contains(m.status.text, "Not sent") {
			t.Fatalf("said not sent %v after an unclear answer: %q", waited, m.status.text)
		}
		e.clock.Advance(5 * time.Second)
		waited += 5 * time.Second
		m, ticks, _ = driveN(t, m, 1, redeliver(ticks)...)
	}
	if waited < 30*time.Second || waited > 40*time.Second {
		t.Fatalf("settled after %v, want 30 s", waited)
	}
	if e.posts() != 1 {
		t.Fatalf("%d sends, want 1: an unclear answer must not be resent", e.posts())
	}
	wantStatus(t, m, kindErr, "Not sent")
	if len(subjects(m)) != 6 {
		t.Fatalf("drafts %q", subjects(m))
	}
}

func TestDeadlineSaysAcceptedNotAnError(t *testing.T) {
	e := newEnv(t, emulator.Options{SendDelay: 3 * time.Minute})
	e.seedFixtures()
	m := start(t, e.model(t), 80, 24)
	m, send := pressOnly(press(t, m, "s"), "y")
	m, held, _ := driveN(t, m, 2, send)
	sel, _ := m.drafts.selected()
	if s, _ := m.sends.job(sel.ID); len(held) != 1 || s.Phase != sending.Looking {
		t.Fatalf("not waiting for Sent Items (held %v)", held)
	}
	if line := m.sendsLine().text; !strings.Contains(line, ", waiting for Sent Items") {
		t.Fatalf("sends line %q", line)
	}
	if !m.sends.busy() {
		t.Fatal("a send waiting for its copy is settled")
	}

	e.clock.Advance(2*time.Minute + time.Second)
	m, held, _ = driveN(t, m, 1, redeliver(held)...)
	wantStatus(t, m, kindWarn, "accepted by Outlook, not in Sent Items yet")
	if m.sends.busy() {
		t.Fatal("a send past its deadline still counts as unsettled")
	}
	if len(subjects(m)) != 5 {
		t.Fatalf("the list was not refreshed: %q", subjects(m))
	}
	if len(held) != 1 {
		t.Fatal("the watch stopped at the deadline")
	}

	// The copy arrives later; the background watch sees it.
	e.clock.Advance(time.Minute)
	m, held, _ = driveN(t, m, 5, redeliver(held)...)
	wantStatus(t, m, kindOK, "is in Sent Items after 181 s")
	if len(held) != 0 {
		t.Fatal("still watching after the copy arrived")
	}
	if e.posts() != 1 {
		t.Fatalf("%d sends", e.posts())
	}
}

func TestQuitAsksWhileSending(t *testing.T) {
	_, m := fixture(t, 80, 24)
	m, _ = pressOnly(m, "s")
	m, _ = pressOnly(m, "y")
	m, cmd := pressOnly(m, "q")
	if quits(cmd) {
		t.Fatal("q quit during a send without asking")
	}
	wantState(t, m, stateQuit)
	if !strings.Contains(screen(m), "Quit while sending?") {
		t.Fatalf("no question:\n%s", screen(m))
	}
	m, cmd = pressOnly(m, "n")
	wantState(t, m, stateList)
	if quits(cmd) {
		t.Fatal("n quit")
	}
	m, cmd = pressOnly(m, "ctrl+c")
	wantState(t, m, stateQuit)
	if quits(cmd) {
		t.Fatal("ctrl+c quit during a send without asking")
	}
	m, cmd = pressOnly(m, "esc")
	wantState(t, m, stateList)
	m, _ = pressOnly(m, "q")
	_, cmd = pressOnly(m, "y")
	if !quits(cmd) {
		t.Fatal("y did not quit")
	}
}

func TestQuitWithoutSendQuits(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		_, m := fixture(t, 80, 24)
		if _, cmd := pressOnly(m, k); !quits(cmd) {
			t.Fatalf("%s did not quit", k)
		}
	}
}

func TestSendFromFullViewReturnsToTheList(t *testing.T) {
	e, m := fixture(t, 80, 24)
	m = press(t, m, "enter")
	wantState(t, m, stateFull)
	m = press(t, m, "s", "y")
	wantState(t, m, stateList)
	wantStatus(t, m, kindOK, "is in Sent Items")
	if m.keys.Send.Enabled() && m.sendLocked(m.preview.msg.ID) {
		t.Fatal("inconsistent keys")
	}
	if e.posts() != 1 || len(subjects(m)) != 5 {
		t.Fatalf("%d sends, %d drafts", e.posts(), len(subjects(m)))
	}
}

func TestUnknownOutcomeWarnsBeforeSendingAgain(t *testing.T) {
	e, m := fixture(t, 80, 24)
	// The answer is lost and so is every look in Sent Items.
	e.emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{DropBeforeAct: true}})
	e.emu.Inject(emulator.Rule{Method: "GET", Path: "mailFolders/sentitems/messages", Fault: emulator.Fault{Status: http.StatusForbidden}})
	m = press(t, m, "s", "y")
	wantStatus(t, m, kindWarn, "Not known whether it was sent")
	if !m.keys.Send.Enabled() {
		t.Fatal("the user cannot send again after an unknown outcome")
	}
	m = press(t, m, "s")
	if !strings.Contains(screen(m), "unknown outcome") {
		t.Fatalf("no warning in the dialog:\n%s", screen(m))
	}
	m = press(t, m, "n")
	if e.posts() != 1 {
		t.Fatalf("%d sends, want 1", e.posts())
	}
}

func TestStartSendRefusesADraftWhoseSendIsNotOver(t *testing.T) {
	e, m := fixture(t, 80, 24)
	d, _ := m.drafts.selected()
	q, first := m.sends.start(d, time.Time{}, m.now())
	// start is the last guard, behind the dead key and the dialog: whatever reaches it, a
	// draft in any of these phases is not posted.
	for _, p := range []sending.Phase{sending.Held, sending.Verifying, sending.Posting, sending.Checking, sending.Looking, sending.Late, sending.Sent, sending.Scheduled, sending.Pending} {
		j := q.jobs[d.ID]
		j.s.Phase = p
		probe := q
		probe.jobs = map[string]sendJob{d.ID: j}
		if _, cmd := probe.start(d, time.Time{}, m.now()); cmd != nil {
			t.Fatalf("a second send started while the first is in phase %v", p)
		}
	}
	m.sends = q
	m, _ = drive(t, m, first)
	if n := e.posts(); n != 1 {
		t.Fatalf("%d sends, want 1", n)
	}
	wantStatus(t, m, kindOK, "is in Sent Items")
}

func TestTickForASettledSendLooksNoMore(t *testing.T) {
	e, m := fixture(t, 80, 24)
	e.emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{Status: http.StatusForbidden, Code: "ErrorSendAsDenied"}})
	d, _ := m.drafts.selected()
	m = press(t, m, "s", "y")
	looks := e.emu.Count("GET", "mailFolders/sentitems/messages")
	seq := m.sends.jobs[d.ID].seq
	for _, msg := range []tea.Msg{sendStepMsg{id: d.ID, seq: seq, tick: true}, sendStepMsg{id: d.ID, seq: seq}} {
		var cmd tea.Cmd
		m, cmd = deliver(t, m, msg)
		if cmd != nil {
			t.Fatalf("%+v for a refused send started more work", msg)
		}
	}
	if e.emu.Count("GET", "mailFolders/sentitems/messages") != looks {
		t.Fatal("Sent Items was searched for a send that was refused")
	}
	wantStatus(t, m, kindErr, "Not sent")
}

func TestBackgroundWatchEnds(t *testing.T) {
	e := newEnv(t, emulator.Options{SendDelay: time.Hour})
	e.seedFixtures()
	m := start(t, e.model(t), 80, 24)
	m, send := pressOnly(press(t, m, "s"), "y")
	m, held, _ := driveN(t, m, 1, send)
	e.clock.Advance(2*time.Minute + time.Second)
	m, held, _ = driveN(t, m, 1, redeliver(held)...)
	wantStatus(t, m, kindWarn, "not in Sent Items yet")
	if len(held) != 1 {
		t.Fatal("the watch did not go on after the deadline")
	}
	e.clock.Advance(backgroundWatch)
	looks := e.emu.Count("GET", "mailFolders/sentitems/messages")
	m, held, _ = driveN(t, m, 1000, redeliver(held)...)
	if len(held) != 0 || e.emu.Count("GET", "mailFolders/sentitems/messages") != looks {
		t.Fatal("Sent Items is still watched after the background watch ended")
	}
	wantStatus(t, m, kindWarn, "not in Sent Items yet")
	if e.posts() != 1 {
		t.Fatalf("%d sends", e.posts())
	}
}

// When the send settles under the quit question, the question stays and says there is nothing
// left to wait for: closing by itself, it would hand the next key (n, for "stay") to the list,
// where n writes a new draft.
func TestQuitQuestionStaysWhenTheSendSettles(t *testing.T) {
	e, m := fixture(t, 80, 24)
	m, _ = pressOnly(m, "s")
	m, send := pressOnly(m, "y")
	m, _ = pressOnly(m, "q")
	wantState(t, m, stateQuit)
	m, quit := drive(t, m, send)
	if quit {
		t.Fatal("the program quit by itself")
	}
	wantState(t, m, stateQuit)
	wantStatus(t, m, kindOK, "is in Sent Items")
	if s := flatScreen(screen(m)); !strings.Contains(s, "Nothing is on its way any more") || e.posts() != 1 {
		t.Fatalf("%d sends; screen:\n%s", e.posts(), screen(m))
	}
	m = press(t, m, "n")
	wantState(t, m, stateList)
}

// ctrl+c twice during a countdown quits, and the line left after the screen says the draft was
// not sent; a send already posted is said to be on its way.
func TestQuitLeavesALineAboutWhatItStopped(t *testing.T) {
	_, m := fixture(t, 80, 24)
	m.sends.opts.Undo = 10 * time.Second
	m, _ = pressOnly(m, "s")
	m, _ = pressOnly(m, "y")
	m, _ = pressOnly(m, "ctrl+c")
	m, cmd := pressOnly(m, "ctrl+c")
	if !quits(cmd) {
		t.Fatal("ctrl+c twice did not quit")
	}
	var out strings.Builder
	m.sayFarewell(&out)
	if !strings.HasPrefix(out.String(), "drafts: not sent: “") || !strings.Contains(out.String(), "is still a draft (quitting ended its countdown)") {
		t.Fatalf("farewell %q", out.String())
	}
	_, m = fixture(t, 80, 24)
	if len(m.farewell()) != 0 {
		t.Fatalf("a quiet quit says %q", m.farewell())
	}
	d := m.drafts.all[0].message()
	m.sends.jobs = map[string]sendJob{d.ID: {s: sending.Send{Draft: d, Phase: sending.Looking, Posts: 1}, seq: 1}}
	if got := m.farewell(); len(got) != 1 || !strings.Contains(got[0], "was on its way when drafts closed: the next start looks in Sent Items") {
		t.Fatalf("a send posted: %q", got)
	}
	m.opts.Ephemeral = true // the demo: no next start knows of it
	if got := m.farewell(); len(got) != 1 || !strings.Contains(got[0], "was on its way when drafts closed (the demo's mailbox closed with it)") {
		t.Fatalf("a send posted in the demo: %q", got)
	}
}

// A "✗ not sent" is about the version that was refused: once the draft is changed (in Outlook,
// say), the mark goes.
func TestNotSentMarkGoesWhenTheDraftChanges(t *testing.T) {
	e, m := fixture(t, 80, 24)
	e.emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{Status: http.StatusForbidden, Code: "ErrorSendAsDenied"}})
	m = press(t, m, "s", "y")
	d, _ := m.drafts.selected()
	if !strings.Contains(screen(m), "✗ not sent") {
		t.Fatalf("no mark on the row:\n%s", screen(m))
	}
	e.clock.Advance(time.Minute)
	e.patch(t, d.ID, map[string]any{"subject": "Fixed in Outlook"})
	m = press(t, m, "r")
	if s := screen(m); strings.Contains(s, "✗ not sent") || !strings.Contains(s, "Fixed in Outlook") {
		t.Fatalf("after the edit:\n%s", s)
	}
}
