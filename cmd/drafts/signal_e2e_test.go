package main

import (
	"syscall"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestE2ESigtermExitsInterrupted sends SIGTERM to the full-screen interface, several times
// over: the exit code is 130 every time (interrupted), never 0, whichever of the program's
// ends wins the race.
func TestE2ESigtermExitsInterrupted(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	g.AddDraft(emulator.Draft{Subject: "Signalled", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	for i := 0; i < 5; i++ {
		s := startTUI(t, newE2EEnv(t, g.base), 80, 24)
		s.waitFor("1 of 1")
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if code := s.waitExit(); code != exitCanceled {
			t.Fatalf("run %d: exit %d after SIGTERM, want %d", i, code, exitCanceled)
		}
	}
}
