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
