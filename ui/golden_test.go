package ui

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// The golden views: every designed screen at 80×24 and at a narrow 50×16,
// as plain text (styles stripped), at the fixed clock. Rewrite them with
//
//	go test ./ui/... -update
func TestGoldenViews(t *testing.T) {
	views := []struct {
		name string
		// setup may fault or empty the emulator before the first load.
		setup func(e *env)
		// act brings the loaded model to the screen.
		act func(t *testing.T, e *env, m model) model
	}{
		{name: "list"},
		{name: "preview", act: func(t *testing.T, _ *env, m model) model {
			return press(t, m, "enter")
		}},
		{name: "confirm", act: func(t *testing.T, _ *env, m model) model {
			return press(t, selectSubject(t, m, "URGENT: Fabrikam contract renewal expires Friday"), "s")
		}},
		{name: "sending", act: func(t *testing.T, _ *env, m model) model {
			m, _ = pressOnly(press(t, m, "s"), "y") // the POST has not answered
			return m
		}},
		{name: "waiting", setup: func(e *env) {
			e.emu.Inject(emulator.Rule{Method: "GET", Path: "mailFolders/sentitems/messages", Query: "internetMessageId", Fault: emulator.Fault{Status: http.StatusServiceUnavailable}})
		}, act: func(t *testing.T, _ *env, m model) model {
			m, send := pressOnly(press(t, m, "s"), "y")
			m, _, _ = driveN(t, m, 0, send)
			return m
		}},
		{name: "quit", act: func(t *testing.T, _ *env, m model) model {
			m, _ = pressOnly(press(t, m, "s"), "y")
			m, _ = pressOnly(m, "q")
			return m
		}},
		{name: "sent", act: func(t *testing.T, _ *env, m model) model {
			m = press(t, selectSubject(t, m, "Team lunch on Thursday?"), "s", "y")
			return press(t, m, "tab")
		}},
		{name: "sent_done", act: func(t *testing.T, _ *env, m model) model {
			return press(t, selectSubject(t, m, "Team lunch on Thursday?"), "s", "y")
		}},
		{name: "refused", setup: func(e *env) {
			e.emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Fault: emulator.Fault{Status: http.StatusForbidden, Code: "ErrorSendAsDenied"}})
		}, act: func(t *testing.T, _ *env, m model) model {
			return press(t, m, "s", "y")
		}},
		{name: "error_status", act: func(t *testing.T, e *env, m model) model {
			e.emu.Inject(emulator.Rule{Method: "GET", Path: "mailFolders/drafts/messages", Fault: emulator.Fault{Status: http.StatusServiceUnavailable}})
			return press(t, m, "r")
		}},
		{name: "error", setup: func(e *env) {
			e.emu.Inject(emulator.Rule{Method: "GET", Path: "mailFolders/drafts/messages", Fault: emulator.Fault{Status: http.StatusServiceUnavailable}})
		}},
		{name: "auth"},
		{name: "empty"},
		{name: "filter", act: func(t *testing.T, _ *env, m model) model {
			return press(t, m, "/", "i", "n", "ê", "s")
		}},
		{name: "help", act: func(t *testing.T, _ *env, m model) model {
			return press(t, m, "?")
		}},
	}
	sizes := [][2]int{{80, 24}, {50, 16}}
	for _, v := range views {
		for _, size := range sizes {
			name := fmt.Sprintf("%s_%dx%d", v.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				opts := emulator.Options{}
				if v.name == "auth" {
					opts.Token = "the.right.token"
				}
				e := newEnv(t, opts)
				if v.name != "empty" {
					e.seedFixtures()
				}
				if v.setup != nil {
					v.setup(e)
				}
				m := start(t, e.model(t), size[0], size[1])
				if v.act != nil {
					m = v.act(t, e, m)
				}
				golden(t, name, screen(m))
			})
		}
	}
}

// TestGoldenWide is the list with the preview pane beside it.
func TestGoldenWide(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := start(t, e.model(t), 120, 30)
	golden(t, "preview_pane_120x30", screen(m))
	m = press(t, m, "j", "s")
	golden(t, "confirm_pane_120x30", screen(m))
}
