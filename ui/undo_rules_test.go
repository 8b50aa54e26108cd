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

// twoHeld is the list with two drafts confirmed under a 5 s countdown: "Team lunch on
// Thursday?" first, then "Old notes" (the latest).
func twoHeld(t *testing.T) (*env, model) {
	t.Helper()
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := e.model(t)
	m.sends.opts.Undo = 5 * time.Second
	m = start(t, m, 80, 24)
	for _, subject := range []string{"Team lunch on Thursday?", "Old notes"} {
		m = press(t, selectSubject(t, m, subject), "s")
		m, _ = pressOnly(m, "y")
	}
	if held(m) != 2 {
		t.Fatalf("%d held, want 2", held(m))
	}
	return e, m
}

func heldSubjectsOf(m model) []string {
	var out []string
	for _, s := range m.sends.held() {
		out = append(out, s.Draft.Subject)
	}
	return out
}

func TestTwoCountdownsUndoTakesTheOneNamed(t *testing.T) {
	e, m := twoHeld(t)
	line := m.sendsLine().text
	if !strings.Contains(line, "2 sends counting down") || !strings.Contains(line, "“Old notes” in 5 s — u undoes it") || !strings.Contains(line, "U undoes all") {
		t.Fatalf("sends line %q", line)
	}
	m = press(t, m, "u")
	if got := heldSubjectsOf(m); len(got) != 1 || got[0] != "Team lunch on Thursday?" {
		t.Fatalf("u undid the wrong send: still held %q", got)
	}
	if !strings.Contains(m.status.text, "“Old notes” is still a draft") {
		t.Fatalf("status %q", m.status.text)
	}
	if line := m.sendsLine().text; !strings.Contains(line, "Sending “Team lunch on Thursday?” in 5 s — u undo") || strings.Contains(line, "U ") {
		t.Fatalf("sends line after undo %q", line)
	}
	m = press(t, m, "u")
	if held(m) != 0 || e.posts() != 0 {
		t.Fatalf("%d held, %d POSTs", held(m), e.posts())
	}
}

func TestUndoAllTakesEveryCountdown(t *testing.T) {
	e, m := twoHeld(t)
	m = press(t, m, "U")
	if held(m) != 0 || e.posts() != 0 || !strings.Contains(m.status.text, "2 drafts are unchanged") {
		t.Fatalf("%d held, %d POSTs, status %q", held(m), e.posts(), m.status.text)
	}
}

func TestUndoWorksUnderADialog(t *testing.T) {
	e, m, id := heldModel(t)
	// A confirm dialog for another draft is open: u is not swallowed by it.
	m = press(t, selectSubject(t, m, "Old notes"), "s")
	wantState(t, m, stateConfirm)
	if !strings.Contains(screen(m), "— u undo") {
		t.Fatalf("the countdown is not on screen under the dialog:\n%s", screen(m))
	}
	m = press(t, m, "u")
	if s, _ := m.sends.job(id); s.Phase != sending.Undone || m.state() != stateConfirm {
		t.Fatalf("u under the dialog: phase %v, state %v", s.Phase, m.state())
	}
	// In the send-later prompt u is a letter: the line names ctrl+z, which works there.
	m = press(t, m, "esc")
	m, _ = heldAgain(t, m, "Team lunch on Thursday?")
	m = press(t, selectSubject(t, m, "Old notes"), "S", "u")
	wantState(t, m, stateWhen)
	if whenOf(t, m).input.Value() != "u" || held(m) != 1 {
		t.Fatalf("u in the prompt: typed %q, %d held", whenOf(t, m).input.Value(), held(m))
	}
	if line := m.sendsLine().text; !strings.Contains(line, "ctrl+z undo") || strings.Contains(line, "— u ") {
		t.Fatalf("sends line in the prompt %q", line)
	}
	next, _ := m.Update(tea.KeyPressMsg{Code: 'z', Mod: tea.ModCtrl})
	m = next.(model)
	if held(m) != 0 || m.state() != stateWhen || e.posts() != 0 {
		t.Fatalf("ctrl+z in the prompt: %d held, state %v, %d POSTs", held(m), m.state(), e.posts())
	}
}

// heldAgain confirms the draft with the subject again, under the countdown.
func heldAgain(t *testing.T, m model, subject string) (model, tea.Cmd) {
	t.Helper()
	m = press(t, selectSubject(t, m, subject), "s")
	return pressOnly(m, "y")
}

func TestUndoOnATooSmallScreen(t *testing.T) {
	e, m, id := heldModel(t)
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 30, Height: 8})
	s := screen(m)
	if !strings.Contains(s, "in 5 s") || !strings.Contains(s, "u undo") || !strings.Contains(s, "too small") {
		t.Fatalf("the countdown is not on the small screen:\n%s", s)
	}
	m = press(t, m, "u")
	if j, _ := m.sends.job(id); j.Phase != sending.Undone || e.posts() != 0 {
		t.Fatalf("u on the small screen: phase %v, %d POSTs", j.Phase, e.posts())
	}
	// The quit question works there too, with the keys it names.
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m, _ = heldAgain(t, m, "Team lunch on Thursday?")
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 30, Height: 8})
	m = press(t, m, "q")
	if s := screen(m); m.state() != stateQuit || !strings.Contains(s, "s send now") || !strings.Contains(s, "u cancel & quit") {
		t.Fatalf("no quit question on the small screen:\n%s", s)
	}
	_, cmd := pressOnly(m, "u")
	if !quits(cmd) || e.posts() != 0 {
		t.Fatalf("u (cancel send) on the small screen: quit %v, %d POSTs", quits(cmd), e.posts())
	}
}

// TestEveryUndoHintOnScreenWorks puts a countdown under every state and overlay, at three
// sizes, and checks each undo key the screen names: pressing it takes back a held send, and
// the screen never names one without the other.
func TestEveryUndoHintOnScreenWorks(t *testing.T) {
	states := map[string]func(t *testing.T, m model) model{
		"list":         func(t *testing.T, m model) model { return m },
		"full":         func(t *testing.T, m model) model { return press(t, m, "enter") },
		"sent":         func(t *testing.T, m model) model { return press(t, m, "tab") },
		"sent-filter":  func(t *testing.T, m model) model { return press(t, m, "tab", "/", "o") },
		"inbox-filter": func(t *testing.T, m model) model { return press(t, m, "tab", "tab", "/", "o") },
		"reader": func(t *testing.T, m model) model {
			m = press(t, m, "tab", "tab", "enter")
			if m.state() != stateRead {
				t.Fatalf("enter in the Inbox: state %v", m.state())
			}
			return m
		},
		"help":     func(t *testing.T, m model) model { return press(t, m, "?") },
		"filter":   func(t *testing.T, m model) model { return press(t, m, "/", "o") },
		"confirm":  func(t *testing.T, m model) model { return press(t, selectSubject(t, m, "Old notes"), "s") },
		"no-rcpt":  func(t *testing.T, m model) model { return press(t, selectSubject(t, m, "Nobody yet"), "s") },
		"when":     func(t *testing.T, m model) model { return press(t, selectSubject(t, m, "Old notes"), "S") },
		"quit":     func(t *testing.T, m model) model { return press(t, m, "q") },
		"two-held": func(t *testing.T, m model) model { m, _ = heldAgain(t, m, "Old notes"); return m },
	}
	hints := []struct {
		text string
		key  tea.KeyPressMsg
		all  bool
	}{
		{"— u undo", keyMsg("u"), false},
		{"u undoes it", keyMsg("u"), false},
		{"ctrl+z undo", tea.KeyPressMsg{Code: 'z', Mod: tea.ModCtrl}, false},
		{"U undoes all", keyMsg("U"), true},
	}
	for name, to := range states {
		for _, size := range [][2]int{{80, 24}, {50, 16}, {30, 8}} {
			e, m, _ := heldModel(t)
			e.emu.AddDraft(emulator.Draft{Subject: "Nobody yet", LastModified: epoch.Add(-40 * 24 * time.Hour)})
			e.emu.AddDraft(emulator.Draft{Folder: "inbox", NotDraft: true, From: &lee, To: []emulator.Recipient{megan}, Subject: "Received", Body: "Hello"})
			m = press(t, m, "r")
			m = to(t, m)
			m, _ = deliver(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			scr := strings.Join(strings.Fields(screen(m)), " ")
			named := 0
			for _, h := range hints {
				if !strings.Contains(scr, h.text) {
					continue
				}
				named++
				before := held(m)
				next, _ := m.Update(h.key)
				after := held(next.(model))
				if h.all && after != 0 || !h.all && after != before-1 {
					t.Errorf("%s %dx%d: the screen says %q, but the key left %d of %d held:\n%s", name, size[0], size[1], h.text, after, before, screen(m))
				}
			}
			if named == 0 && m.state() != stateQuit {
				t.Errorf("%s %dx%d: a countdown runs and no undo key is named:\n%s", name, size[0], size[1], screen(m))
			}
			if e.posts() != 0 {
				t.Errorf("%s: %d POSTs", name, e.posts())
			}
		}
	}
}

// U takes back a lone countdown too: "undo all" never lets one go.
func TestUndoAllWithOneCountdown(t *testing.T) {
	e, m, _ := heldModel(t)
	m = press(t, m, "U")
	if held(m) != 0 || e.posts() != 0 || m.status.text != "Undone: the draft is unchanged" {
		t.Fatalf("after U: %d held, %d POSTs, status %q", held(m), e.posts(), m.status.text)
	}
}

// A discard counting down is named as one: u's hint says what u takes back.
func TestUndoHintNamesADiscard(t *testing.T) {
	_, m := fixture(t, 100, 30)
	m.sends.opts.Undo = 5 * time.Second
	m, _ = pressOnly(m, "d")
	if !strings.Contains(screen(m), "u undo discard") || strings.Contains(screen(m), "undo send") {
		t.Fatalf("a discard's countdown:\n%s", screen(m))
	}
}

// "s send now" under the quit question: the countdown's tick already on its way belongs to
// the countdown, not to the send it released. Delivered between each step of the send, it
// must change nothing: one POST, after the journal's record, and the send ends in Sent Items.
func TestSendNowIgnoresTheCountdownsLastTick(t *testing.T) {
	e, m, id := heldModel(t)
	stale := countdownTick(m, id)
	m, _ = pressOnly(m, "q")
	wantState(t, m, stateQuit)
	m, cmd := pressOnly(m, "s")
	queue, quit := []tea.Cmd{cmd}, false
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 1000 {
			t.Fatal("the send does not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			quit = true
		case nil:
		default:
			if !deliverable(msg) {
				continue
			}
			next, _ := m.Update(stale) // the old tick first, every time
			m = next.(model)
			next, c2 := m.Update(msg)
			m = next.(model)
			queue = append(queue, c2)
		}
	}
	if e.posts() != 1 || !strings.Contains(m.status.text, "is in Sent Items") || m.drafts.contains(id) {
		t.Fatalf("%d POSTs, status %q, still in Drafts %v", e.posts(), m.status.text, m.drafts.contains(id))
	}
	if !quit {
		t.Fatal("'s send now' chose to quit, and the program stayed once the send was out")
	}
}

// "s send now" whose send is refused does not quit: the program stays to say so.
func TestSendNowRefusedStays(t *testing.T) {
	e, m, _ := heldModel(t)
	e.emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Fault: emulator.Fault{Status: http.StatusForbidden, Code: "ErrorSendAsDenied"}})
	m, _ = pressOnly(m, "q")
	next, cmd := m.Update(keyMsg("s"))
	m, quit := drive(t, next.(model), cmd)
	if quit || !strings.Contains(m.status.text, "Not sent") || m.state() != stateQuit {
		t.Fatalf("quit %v, status %q, dialog %T", quit, m.status.text, m.top())
	}
	if s := flatScreen(screen(m)); !strings.Contains(s, "Nothing is on its way any more") {
		t.Fatalf("the question after the refusal:\n%s", screen(m))
	}
}

// The too-small screen says "q quits" in every state, and q does: under the filter and under
// a confirm dialog too (which it closes unanswered, asking first while a send counts down).
func TestTooSmallQuitsInEveryState(t *testing.T) {
	for _, under := range []string{"list", "filter", "confirm"} {
		t.Run(under, func(t *testing.T) {
			_, m, _ := heldModel(t)
			switch under {
			case "filter":
				m = press(t, m, "/")
			case "confirm":
				m = press(t, selectSubject(t, m, "Old notes"), "s")
			}
			m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 30, Height: 8})
			if s := screen(m); !strings.Contains(strings.Join(strings.Fields(s), " "), "q quits") {
				t.Fatalf("the small screen does not name q:\n%s", s)
			}
			m = press(t, m, "q")
			if m.state() != stateQuit {
				t.Fatalf("q on the small screen under %s: state %v", under, m.state())
			}
		})
	}
}

// A y that can do nothing says so: the draft's send began meanwhile (recovered from the
// journal while the dialog was open). And s on a draft counting down to its discard does not
// open a dialog beside it.
func TestConfirmThatCannotStartSaysWhy(t *testing.T) {
	e, m := fixture(t, 80, 24)
	m.sends.opts.Undo = 5 * time.Second
	m = press(t, selectSubject(t, m, "Old notes"), "s")
	d := confirmOf(t, m).draft
	m.sends, _ = m.sends.start(d, time.Time{}, m.now()) // as a recovered send would
	m, _ = pressOnly(m, "y")
	if !strings.Contains(m.status.text, "Not sent again") || m.top() != nil || e.posts() != 0 {
		t.Fatalf("status %q, dialog %T, %d POSTs", m.status.text, m.top(), e.posts())
	}

	_, m = fixture(t, 80, 24)
	m.sends.opts.Undo = 5 * time.Second
	m, _ = pressOnly(selectSubject(t, m, "Old notes"), "d")
	m, _ = pressOnly(m, "s")
	if m.top() != nil {
		t.Fatalf("s during a discard: dialog %T, status %q", m.top(), m.status.text)
	}
}

// After an unclear answer (a 404: the draft had left Drafts), nothing says Outlook accepted
// the send: the line and the row say the draft left Drafts.
func TestReconciledSendIsNotCalledAccepted(t *testing.T) {
	_, m := fixture(t, 80, 24)
	d := m.drafts.all[0].message()
	s := sending.Send{Draft: d, Phase: sending.Looking, Reconciled: true}
	m.sends.jobs = map[string]sendJob{d.ID: {s: s, seq: 1}}
	if line := m.sends.progress(); !strings.Contains(line, "has left Drafts") || strings.Contains(line, "Sent “") {
		t.Fatalf("progress %q", line)
	}
	s.Phase = sending.Late
	m.sends.jobs = map[string]sendJob{d.ID: {s: s, seq: 1}}
	if v := screen(m); strings.Contains(v, "accepted") || !strings.Contains(v, "left Drafts, not in Sent Items yet") {
		t.Fatalf("the row of a reconciled late send:\n%s", v)
	}
}
