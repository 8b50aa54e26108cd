package ui

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// vterm is a terminal emulator the tests read the screen from. Its answers
// to the program's queries (background colour, modes) go to replies.
type vterm struct {
	emu *vt.SafeEmulator
}

func newVTerm(t testing.TB, w, h int, replies io.Writer) *vterm {
	t.Helper()
	v := &vterm{emu: vt.NewSafeEmulator(w, h)}
	if replies == nil {
		replies = io.Discard
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(replies, v.emu)
	}()
	t.Cleanup(func() {
		// Closing the pipe (not the emulator) ends the copy without a race.
		_ = v.emu.InputPipe().(*io.PipeWriter).Close()
		<-done
	})
	return v
}

// Write feeds program output to the emulator.
func (v *vterm) Write(p []byte) (int, error) { return v.emu.Write(p) }

// text is the screen as plain text, trailing spaces removed.
func (v *vterm) text() string {
	lines := strings.Split(ansi.Strip(v.emu.Render()), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// waitFor polls the screen until it shows want, calling pump first each
// time (to move output into the emulator when nothing else does).
func (v *vterm) waitFor(t testing.TB, want string, timeout time.Duration, pump func()) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if pump != nil {
			pump()
		}
		s := v.text()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen did not show %q within %s; it shows:\n%s", want, timeout, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
