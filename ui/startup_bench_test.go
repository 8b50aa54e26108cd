package ui

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// BenchmarkDemoStartup measures 'drafts --demo' from the start of the
// process to the first frame that shows the list ("… newest first" under
// the header), in a 120×40 pseudo-terminal read through a terminal
// emulator (ms-to-list; ns/op is the same span and the terminal emulator's
// own work). The binary is built once, before the clock starts; each run
// then quits with q.
func BenchmarkDemoStartup(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "drafts")
	if out, err := exec.Command(goTool(), "build", "-o", bin, "github.com/draftsmail/drafts/cmd/drafts").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	var total time.Duration
	runs := 0
	for b.Loop() {
		cmd := exec.Command(bin, "--demo")
		cmd.Env = append(cleanEnv(), "TERM=xterm-256color", "HOME="+b.TempDir())
		start := time.Now()
		ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 120, Rows: 40})
		if err != nil {
			b.Skipf("no pseudo-terminal here: %v", err)
		}
		term := newVTerm(b, 120, 40, ptmx)
		buf := make([]byte, 64*1024)
		for !strings.Contains(term.text(), "newest first") {
			n, err := ptmx.Read(buf)
			if n > 0 {
				_, _ = term.Write(buf[:n])
			}
			if err != nil {
				b.Fatalf("the program ended before showing the list: %v\n%s", err, term.text())
			}
		}
		b.StopTimer()
		total += time.Since(start)
		runs++
		_, _ = ptmx.Write([]byte("q"))
		go func() { // drain until the program exits
			for {
				if _, err := ptmx.Read(buf); err != nil {
					return
				}
			}
		}()
		_ = cmd.Wait()
		_ = ptmx.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(runs), "ms-to-list")
}
