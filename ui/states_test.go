package ui

import (
	"net/http"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/draftsmail/drafts/graph/emulator"
)

func TestResizeMovesThePreview(t *testing.T) {
	_, m := fixture(t, 120, 30)
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 70, Height: 20})
	if m.wide || strings.Contains(screen(m), "│ From") {
		t.Fatalf("narrow screen with a preview pane:\n%s", screen(m))
	}
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 30, Height: 8})
	if !strings.Contains(screen(m), "too small") {
		t.Fatalf("tiny screen:\n%s", screen(m))
	}
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 150, Height: 40})
	if !m.wide || !strings.Contains(screen(m), "│ From") {
		t.Fatalf("wide screen without the pane:\n%s", screen(m))
	}
}

func TestNetworkErrorKeepsListAndRRetries(t *testing.T) {
	e, m := fixture(t, 80, 24)
	e.emu.Inject(emulator.Rule{Method: "GET", Path: "mailFolders/drafts/messages", Fault: emulator.Fault{Status: http.StatusServiceUnavailable}})
	e.emu.Inject(emulator.Rule{Method: "GET", Path: "/messages/delta", Fault: emulator.Fault{Status: http.StatusServiceUnavailable}})
	m = press(t, m, "r")
	wantStatus(t, m, kindErr, "press r to retry")
	if len(subjects(m)) != 6 {
		t.Fatal("the last good list is gone")
	}
	e.emu.ClearFaults()
	m = press(t, m, "r")
	if m.status.kind == kindErr || m.load.err != nil {
		t.Fatalf("status after a good retry: %+v", m.status)
	}
}

func TestEmptyMailbox(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	m := start(t, e.model(t), 80, 24)
	if !strings.Contains(screen(m), "No drafts — write one in Outlook and press r") {
		t.Fatalf("empty mailbox:\n%s", screen(m))
	}
	for _, k := range []string{"s", "enter", "/", "j"} {
		m = press(t, m, k)
		wantState(t, m, stateList)
	}
}

func TestAuthErrorSaysHowToSignIn(t *testing.T) {
	e := newEnv(t, emulator.Options{Token: "the.right.token"})
	m := start(t, e.model(t), 80, 24)
	s := screen(m)
	if !strings.Contains(s, "Not signed in") || !strings.Contains(s, "DRAFTS_ACCESS_TOKEN") || !strings.Contains(s, "drafts --demo") {
		t.Fatalf("auth error:\n%s", s)
	}
}

func TestLightTerminalRestyles(t *testing.T) {
	_, m := fixture(t, 80, 24)
	m, _ = deliver(t, m, tea.BackgroundColorMsg{Color: whiteColor{}})
	if m.styles.isDark {
		t.Fatal("styles still dark on a white background")
	}
}

type whiteColor struct{}

func (whiteColor) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

func TestEveryLineFitsTheTerminal(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	e.emu.AddDraft(emulator.Draft{
		Subject: strings.Repeat("長い件名 with emoji 🎉 and a very long tail ", 300),
		To:      []emulator.Recipient{akiko, megan, alex, lee, ines, legal, hr},
		Body:    strings.Repeat("本文 ", 2000), HasAttachments: true, Importance: "high",
	})
	for _, size := range [][2]int{{80, 24}, {50, 16}, {120, 30}, {40, 10}, {200, 50}} {
		m := start(t, e.model(t), size[0], size[1])
		for _, keys := range [][]string{nil, {"s"}, {"esc", "enter"}, {"esc", "tab"}, {"tab", "?"}} {
			m = press(t, m, keys...)
			lines := strings.Split(m.View().Content, "\n")
			if len(lines) != size[1] {
				t.Fatalf("%v after %v: %d lines, want %d", size, keys, len(lines), size[1])
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Fatalf("%v after %v: line %d is %d cells wide:\n%s", size, keys, i, w, ansi.Strip(l))
				}
			}
		}
	}
}

func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	hostile := "Pay 100 EUR\rPay 900\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b[8m\u202eevil\u009b31m\x00\u200b"
	e.emu.AddDraft(emulator.Draft{
		Subject: hostile,
		Body:    hostile + "\n\x1bP+q\x1b\\ body",
		To:      []emulator.Recipient{emulator.Addr(hostile, "x@contoso.example")},
	})
	for _, size := range [][2]int{{80, 24}, {120, 30}} {
		m := start(t, e.model(t), size[0], size[1])
		for _, keys := range [][]string{nil, {"enter"}, {"esc", "s"}} {
			m = press(t, m, keys...)
			out := m.View().Content
			for _, bad := range []string{"\r", "\x07", "\x00", "]0;", "]52;", "\x1b[2J", "\x1b[8m", "\x1bP", "\u202e", "\u009b"} {
				if strings.Contains(out, bad) {
					t.Fatalf("%v after %v: the screen carries %q from the server:\n%q", size, keys, bad, out)
				}
			}
			if !strings.Contains(screen(m), "Pay 900") {
				t.Fatalf("%v after %v: the subject is not shown:\n%s", size, keys, screen(m))
			}
		}
	}
}

func TestTooSmallScreenSendsNothingBlind(t *testing.T) {
	e, m := fixture(t, 80, 24)
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 30, Height: 8})
	m = press(t, m, "s", "y", "enter", "y")
	wantState(t, m, stateList)
	// A dialog opened on a big screen is not answered once it is too small.
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = press(t, m, "s")
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 30, Height: 8})
	m = press(t, m, "y")
	if n := e.posts(); n != 0 {
		t.Fatalf("%d sends from a screen too small to show the dialog", n)
	}
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	wantState(t, m, stateConfirm)
	// Quitting still works, and still asks during a send.
	m, _ = pressOnly(m, "y")
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 30, Height: 8})
	m, cmd := pressOnly(m, "q")
	if quits(cmd) {
		t.Fatal("q quit during a send without asking")
	}
	wantState(t, m, stateQuit)
	if !strings.Contains(screen(m), "y quit") {
		t.Fatalf("the question is not on the small screen:\n%s", screen(m))
	}
	if _, cmd = pressOnly(m, "y"); !quits(cmd) {
		t.Fatal("y did not quit")
	}
}

func TestDialogsFitShortTerminals(t *testing.T) {
	for _, size := range [][2]int{{40, 10}, {44, 11}, {50, 12}, {80, 24}} {
		_, m := fixture(t, size[0], size[1])
		m = press(t, selectSubject(t, m, "URGENT: Fabrikam contract renewal expires Friday"), "s")
		wantDialog(t, m, size, "Send this draft now?", "y send")
		m, _ = pressOnly(press(t, m, "n"), "s")
		m, _ = pressOnly(m, "y")
		m, _ = pressOnly(m, "q")
		wantDialog(t, m, size, "Quit while sending?", "y quit")
	}
}

// wantDialog checks that the whole dialog box is on the screen: title, keys
// and both borders.
func wantDialog(t *testing.T, m model, size [2]int, title, keys string) {
	t.Helper()
	s := screen(m)
	if lines := strings.Split(s, "\n"); len(lines) != size[1] {
		t.Fatalf("%v: %d lines", size, len(lines))
	}
	for _, want := range []string{"╭", title, keys, "╰"} {
		if !strings.Contains(s, want) {
			t.Fatalf("%v: the dialog lacks %q:\n%s", size, want, s)
		}
	}
}

func TestWheelScrollsWhatIsUnderTheMouse(t *testing.T) {
	_, m := fixture(t, 120, 16) // the body of the first draft is taller than the pane
	m, _ = deliver(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelDown, X: 100, Y: 8})
	if m.preview.vp.YOffset() == 0 || m.drafts.index != 0 {
		t.Fatalf("the wheel over the preview: offset %d, selection %d", m.preview.vp.YOffset(), m.drafts.index)
	}
	m, _ = deliver(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelDown, X: 5, Y: 8})
	if m.drafts.index != 1 {
		t.Fatalf("the wheel over the list: selection %d, want 1", m.drafts.index)
	}
	m, _ = deliver(t, m, tea.WindowSizeMsg{Width: 30, Height: 8})
	m, _ = deliver(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelDown, X: 5, Y: 5})
	if m.drafts.index != 1 {
		t.Fatal("the wheel moved the selection on a screen too small to show it")
	}
}
