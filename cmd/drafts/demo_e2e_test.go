package main

import (
	"strings"
	"testing"
	"time"
)

// TestE2EDemoInPseudoTerminal runs 'drafts --demo' in a pseudo-terminal and drives it by
// keystrokes while reading the screen: the list shows, a resize brings the preview, a draft is
// sent with s and y after the undo countdown, the status says it is in Sent Items, Sent Items
// shows it, and q quits cleanly.
func TestE2EDemoInPseudoTerminal(t *testing.T) {
	e2e(t)
	env := newE2EEnv(t, "")
	delete(env.vars, "DRAFTS_GRAPH_URL")
	delete(env.vars, "DRAFTS_ACCESS_TOKEN")
	env.vars["DRAFTS_UNDO_SEND"] = "1s" // a countdown, short
	s := startTUI(t, env, 80, 24, "--demo")
	scr := s.waitFor("newest first")
	if !strings.Contains(scr, "Drafts · ") || !strings.Contains(scr, "1 of ") {
		t.Fatalf("the list did not load:\n%s", scr)
	}
	s.keys("j")
	s.waitFor("2 of ")
	s.resize(120, 30)
	s.waitFor("│ From") // the preview beside the list
	s.keys("s")
	s.waitFor("Send this draft now?")
	s.keys("y")
	s.waitFor("— u undo") // the countdown comes first
	s.waitUntil("the send", func(string) bool { return strings.Contains(s.statusLine(), "is in Sent Items after") })
	if strings.Contains(s.screen(), "Not sent") {
		t.Fatalf("the send failed:\n%s", s.screen())
	}
	s.keys("\t")
	s.waitFor("✓ just sent")
	s.quit()
}

// BenchmarkDemoStartup measures 'drafts --demo' from the start of the process to the first
// frame that shows the list ("… newest first" under the header), in a 120×40 pseudo-terminal
// read through a terminal emulator (ms-to-list). The binary is built once, before the clock
// starts; each run then quits with q.
func BenchmarkDemoStartup(b *testing.B) {
	binary(b)
	var total time.Duration
	runs := 0
	for b.Loop() {
		env := newE2EEnv(b, "")
		delete(env.vars, "DRAFTS_GRAPH_URL")
		delete(env.vars, "DRAFTS_ACCESS_TOKEN")
		start := time.Now()
		s := startTUI(b, env, 120, 40, "--demo")
		for !strings.Contains(s.screen(), "newest first") {
			time.Sleep(200 * time.Microsecond)
		}
		b.StopTimer()
		total += time.Since(start)
		runs++
		s.quit()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(runs), "ms-to-list")
}
