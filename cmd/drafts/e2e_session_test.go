package main

// The pseudo-terminal side of the end-to-end suite: the binary (or run(), in-process) on a pty
// whose output feeds a terminal emulator the tests read.

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// session is the binary running in a pseudo-terminal, its output fed to a terminal emulator
// (whose answers go back to it) and kept byte for byte.
type session struct {
	t      testing.TB
	cmd    *exec.Cmd // nil when run in-process
	pty    *os.File
	term   *vt.SafeEmulator
	exited chan struct{}
	err    error // the process's exit, once exited is closed
	code   int   // the exit code, once exited is closed

	stop    func()        // ends the reading of the terminal
	reading chan struct{} // closed when everything the program wrote has been read

	mu     sync.Mutex
	raw    bytes.Buffer
	titles []string
	// own are sequences the test made the program write on purpose (the clipboard write of c),
	// which the check for attacks skips.
	own [][]byte
	// typesText: the test types into a text field (the filter, the send-later prompt), whose
	// cursor Bubbles draws in reverse video; the check for attacks allows that there.
	typesText bool
}

// startTUI runs the binary's full-screen interface in a cols×rows pseudo-terminal.
func startTUI(t testing.TB, env *e2eEnv, cols, rows int, args ...string) *session {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = env.list()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		noPTY(t, err)
	}
	s := newSession(t, ptmx, cols, rows)
	s.cmd = cmd
	go func() {
		s.err = cmd.Wait()
		s.code = cmd.ProcessState.ExitCode()
		close(s.exited)
	}()
	s.watch(env.vars["HOME"]) // (cleanups run last first: the kill below comes before it)
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-s.exited
	})
	return s
}

// startInProcess runs the full-screen interface through run(), in this process, on a
// pseudo-terminal: for what the built binary cannot reach (the fake identity provider).
func startInProcess(t *testing.T, env map[string]string, cols, rows int, args ...string) *session {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		noPTY(t, err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		t.Fatal(err)
	}
	s := newSession(t, ptmx, cols, rows)
	env["TERM"] = "xterm-256color"
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		s.code = run(ctx, args, stdio{in: tty, out: tty, err: tty, inTTY: true, outTTY: true}, func(k string) string { return env[k] })
		_ = tty.Close()
		close(s.exited)
	}()
	s.watch(env["HOME"])
	t.Cleanup(func() {
		cancel()
		<-s.exited
	})
	return s
}

// newSession starts feeding what the program writes to ptmx to a terminal emulator.
func newSession(t testing.TB, ptmx *os.File, cols, rows int) *session {
	s := &session{t: t, pty: ptmx, term: vt.NewSafeEmulator(cols, rows), exited: make(chan struct{})}
	s.term.SetCallbacks(vt.Callbacks{Title: func(title string) {
		s.titles = append(s.titles, title) // called inside term.Write, under s.mu
	}})
	replies := make(chan struct{})
	go func() { // the terminal's answers to the program's queries
		defer close(replies)
		_, _ = io.Copy(ptmx, s.term)
	}()
	reading := make(chan struct{})
	s.reading = reading
	go func() {
		defer close(reading)
		buf := make([]byte, 64<<10)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				s.mu.Lock() // also keeps the cells still while checkScreen reads them
				s.raw.Write(buf[:n])
				_, _ = s.term.Write(buf[:n])
				s.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	s.stop = func() {
		_ = ptmx.Close()
		<-reading
		_ = s.term.InputPipe().(*io.PipeWriter).Close()
		<-replies
	}
	return s
}

// watch checks, when the test ends, everything the program wrote for leaks and attacks.
func (s *session) watch(home string) {
	t := s.t
	t.Cleanup(func() {
		<-s.exited
		s.stop()
		noLeaks(t, "the terminal", s.rawBytes())
		raw := s.rawBytes()
		for _, own := range s.own {
			raw = bytes.ReplaceAll(raw, own, nil)
		}
		// In-process, the colour profile follows this process's environment, which may
		// ask for the basic 16 colours.
		got := terminalAttacks(raw, s.cmd == nil)
		if s.typesText {
			got = slices.DeleteFunc(got, func(b string) bool { return strings.HasSuffix(b, "(reverse video)") })
		}
		if len(got) > 0 {
			t.Errorf("the program wrote what content must never write to a terminal: %q", got)
		}
		if home != "" {
			noLeaksInFiles(t, home)
		}
		if s.code == 66 {
			t.Errorf("the race detector found a data race:\n%s", s.rawBytes())
		}
	})
}

// screen is the terminal's screen as text, trailing spaces removed.
func (s *session) screen() string {
	lines := strings.Split(ansi.Strip(s.term.Render()), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// inspect runs f with the terminal still: no output is applied meanwhile.
func (s *session) inspect(f func(term *vt.SafeEmulator)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.term)
}

// lines is the screen as exactly its rows, untrimmed.
func (s *session) lines() []string {
	return strings.Split(ansi.Strip(s.term.Render()), "\n")
}

// rawBytes is everything the program wrote to the terminal so far.
func (s *session) rawBytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.raw.Bytes())
}

// windowTitles is every title the program set.
func (s *session) windowTitles() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.titles...)
}

// waitFor waits until the screen shows every one of wants, and returns it.
func (s *session) waitFor(wants ...string) string {
	s.t.Helper()
	return s.waitUntil(strings.Join(wants, " and "), func(scr string) bool {
		for _, w := range wants {
			if !strings.Contains(scr, w) {
				return false
			}
		}
		return true
	})
}

// waitUntil waits until ok(screen) holds.
func (s *session) waitUntil(what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(e2eWait)
	for {
		scr := s.screen()
		if ok(scr) {
			return scr
		}
		select {
		case <-s.exited:
			s.t.Fatalf("drafts exited (%v) while waiting for %s; the screen shows:\n%s", s.err, what, scr)
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen did not show %s within %s; it shows:\n%s%s", what, e2eWait, scr, s.stacks())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stacks ends a stuck binary with SIGQUIT and returns what the Go runtime then printed (every
// goroutine's stack), for the failure message: where a program that stopped drawing waits.
func (s *session) stacks() string {
	if s.cmd == nil || s.cmd.Process == nil {
		return ""
	}
	from := len(s.rawBytes())
	if s.cmd.Process.Signal(syscall.SIGQUIT) != nil {
		return ""
	}
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
	}
	dump := ansi.Strip(string(s.rawBytes()[from:]))
	const most = 16 << 10
	if len(dump) > most {
		dump = dump[:most] + "\n…"
	}
	return "\n\nits goroutines (SIGQUIT):\n" + dump
}

// keys types s.
func (s *session) keys(k string) {
	s.t.Helper()
	if _, err := s.pty.Write([]byte(k)); err != nil {
		s.t.Fatalf("typing %q: %v", k, err)
	}
}

// resize changes the terminal's size.
func (s *session) resize(cols, rows int) {
	s.t.Helper()
	// The wider of the two sizes first: what the program draws for one size must never reach
	// a terminal narrower than it, where it would wrap, and the program, which redraws only
	// what changed, would never mend it. Growing: the test's terminal, then the program's;
	// shrinking: the program's first.
	setTerm := func() {
		s.mu.Lock()
		s.term.Resize(cols, rows)
		s.mu.Unlock()
	}
	s.mu.Lock()
	growing := cols >= s.term.Width()
	s.mu.Unlock()
	if growing {
		setTerm()
	}
	if err := pty.Setsize(s.pty, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		s.t.Fatal(err)
	}
	if !growing {
		setTerm()
	}
}

// waitExit waits for the program to end, and for all it wrote to be read (a pseudo-terminal
// read ends once the program's side is closed and drained), and returns its exit code.
func (s *session) waitExit() int {
	s.t.Helper()
	select {
	case <-s.exited:
	case <-time.After(e2eWait):
		s.t.Fatalf("drafts did not exit; the screen shows:\n%s", s.screen())
	}
	if s.cmd != nil {
		select {
		case <-s.reading:
		case <-time.After(e2eWait):
			s.t.Fatalf("the terminal was not drained after drafts exited")
		}
	}
	return s.code
}

// quit presses q (and y if it asks) and waits for a clean exit. The quit question closes by
// itself when the last send settles while it is open; then q is pressed again.
func (s *session) quit() {
	s.t.Helper()
	deadline := time.Now().Add(e2eWait)
	s.keys("q")
	for {
		select {
		case <-s.exited:
			if s.code != 0 {
				s.t.Fatalf("drafts exited with %d; the screen shows:\n%s", s.code, s.screen())
			}
			return
		case <-time.After(500 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("drafts did not exit; the screen shows:\n%s", s.screen())
		}
		if strings.Contains(s.screen(), "y quit") {
			s.keys("y")
		} else {
			s.keys("q")
		}
	}
}

// kill ends the program with SIGKILL, as a crash or the OOM killer would.
func (s *session) kill() {
	s.t.Helper()
	if s.cmd == nil {
		s.t.Fatal("kill: the program runs in-process")
	}
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatal(err)
	}
	<-s.exited
}

// statusLine is the status area: the rows between the body and the help, as one line.
func (s *session) statusLine() string {
	ls := s.lines()
	if len(ls) < 2 {
		return ""
	}
	// The status area is up to four lines above the help (the sends line, then the latest
	// event's status wrapped to three): joined, as it reads.
	from := max(len(ls)-1-4, 0)
	var parts []string
	for _, l := range ls[from : len(ls)-1] {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// noPTY ends a test that could not open a pseudo-terminal: skipped on a developer's machine
// without one, failed in CI (CI set), where a skipped end-to-end test would prove nothing.
func noPTY(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("cannot open a pseudo-terminal, and CI is set: the end-to-end test must run here: %v", err)
	}
	t.Skipf("cannot open a pseudo-terminal here, so the end-to-end test cannot run: %v", err)
}
