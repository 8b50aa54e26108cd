package ui

import (
	"bytes"
	"io"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestFlowLoadPreviewSendSeeSent runs the whole program in teatest against
// the emulator: load, move, preview, s, y, the draft leaves the list, and
// Sent Items shows the copy highlighted.
func TestFlowLoadPreviewSendSeeSent(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	const w, h = 110, 30
	tm := teatest.NewTestModel(t, e.model(t),
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(
			tea.WithColorProfile(colorprofile.Ascii),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}),
		),
	)
	term := newVTerm(t, w, h, nil)
	// Without a tty for input, Bubble Tea expects the terminal to turn
	// "\n" into "\r\n" (as a tty in cooked mode does): do that here.
	pump := func() {
		b, _ := io.ReadAll(tm.Output())
		_, _ = term.Write(bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")))
	}
	wait := func(want string) { term.waitFor(t, want, 10*time.Second, pump) }

	wait("Q3 budget review — revised")
	wait("revised Q3 figures after Tuesday's review") // the preview has the body
	tm.Send(keyMsg("j"))
	wait("2 of 6")
	wait("Lunch is on me this Thursday")
	tm.Send(keyMsg("s"))
	wait("Send this draft now?")
	tm.Send(keyMsg("y"))
	wait("“Team lunch on Thursday?” is in Sent Items after")
	wait("Drafts · 5")
	tm.Send(keyMsg("tab"))
	wait("✓ just sent")
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	final := tm.FinalModel(t).(model)
	golden(t, "flow_final_110x30", screen(final))
	if n := e.posts(); n != 1 {
		t.Fatalf("%d sends, want 1", n)
	}
	for _, d := range e.emu.Drafts("") {
		if d.Subject == "Team lunch on Thursday?" {
			t.Fatal("the draft is still in Drafts")
		}
	}
	if sent := e.emu.Sent(""); len(sent) != 1 || sent[0].Subject != "Team lunch on Thursday?" {
		t.Fatalf("Sent Items: %+v", sent)
	}
}
