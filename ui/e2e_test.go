package ui

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestEndToEndDemoInPseudoTerminal builds the real binary, runs
// 'drafts --demo' in a pseudo-terminal, and drives it by keystrokes while
// reading the screen through a terminal emulator: the list shows, a resize
// brings the preview, a draft is sent with s and y after the undo
// countdown, the status says it is in Sent Items, Sent Items shows it, and
// q quits cleanly.
func TestEndToEndDemoInPseudoTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "drafts")
	build := exec.Command(goTool(), "build", "-o", bin, "github.com/draftsmail/drafts/cmd/drafts")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "--demo")
	cmd.Env = append(cleanEnv(), "TERM=xterm-256color")
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		t.Skipf("cannot open a pseudo-terminal on this machine, so the end-to-end test cannot run: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = ptmx.Close()
	})

	term := newVTerm(t, 80, 24, ptmx) // the terminal's answers go back to the program
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				_, _ = term.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	wait := func(want string) string { return term.waitFor(t, want, 10*time.Second, nil) }
	keys := func(s string) {
		if _, err := ptmx.Write([]byte(s)); err != nil {
			t.Fatalf("typing %q: %v", s, err)
		}
	}

	s := wait("newest first")
	if !strings.Contains(s, "Drafts · ") || !strings.Contains(s, "1 of ") {
		t.Fatalf("the list did not load:\n%s", s)
	}
	keys("j")
	wait("2 of ")

	// A wider terminal gets the preview pane beside the list. The emulator
	// is widened first: the program redraws for 120 columns as soon as the
	// pty says so, and a redraw read into an 80-column screen (its reader
	// running before the emulator's resize) is garbled, and never repainted
	// whole, since Bubble Tea v2 redraws only the cells that change.
	term.emu.Resize(120, 30)
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: 120, Rows: 30}); err != nil {
		t.Fatal(err)
	}
	wait("│ From")

	keys("s")
	wait("Send this draft now?")
	keys("y")
	wait("— u undo") // the undo countdown (5 s by default) comes first
	s = term.waitFor(t, "is in Sent Items after", 15*time.Second, nil)
	if strings.Contains(s, "Not sent") {
		t.Fatalf("the send failed:\n%s", s)
	}
	keys("\t")
	wait("✓ just sent")
	keys("q")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("drafts exited with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("drafts did not quit on q; the screen shows:\n%s", term.text())
	}
}

// goTool is the go command of the toolchain running the tests.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// cleanEnv is the environment without drafts' own settings, so a token on
// the developer's machine cannot reach the demo.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "DRAFTS_") || strings.HasPrefix(kv, "TERM=") || strings.HasPrefix(kv, "NO_COLOR=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
