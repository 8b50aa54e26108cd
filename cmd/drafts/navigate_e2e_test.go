package main

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestE2ENavigationInPseudoTerminal drives the demo by mouse and keys in a pseudo-terminal: a
// click (an SGR mouse report, as terminals send it) selects the third row, J in the full view
// shows the next draft, q goes back to the list (not out), and c writes the selected draft's id
// to the terminal's clipboard with OSC 52.
func TestE2ENavigationInPseudoTerminal(t *testing.T) {
	e2e(t)
	env := newE2EEnv(t, "")
	delete(env.vars, "DRAFTS_GRAPH_URL")
	delete(env.vars, "DRAFTS_ACCESS_TOKEN")
	s := startTUI(t, env, 80, 24, "--demo")
	s.waitFor("1 of ")
	// Row 3 starts on line 3+2*3 = 9 of the screen (1-based): header, sub-header, rows of 3 lines.
	s.keys("\x1b[<0;10;9M\x1b[<0;10;9m")
	s.waitFor("3 of ")
	s.keys("\r")
	s.waitFor("q/esc back")
	s.keys("J")
	s.keys("q")
	s.waitFor("4 of ")
	if strings.Contains(s.screen(), "q/esc back") {
		t.Fatalf("q did not go back to the list:\n%s", s.screen())
	}
	s.keys("c")
	scr := s.waitFor("on the clipboard")
	id := regexp.MustCompile(`\(OSC 52\): (\S+)`).FindStringSubmatch(strings.Join(strings.Fields(scr), " "))
	// The clipboard write is a command of its own: it may reach the terminal after the status.
	oscRE := regexp.MustCompile("\x1b\\]52;c;([A-Za-z0-9+/=]+)\a")
	var osc []string
	for deadline := time.Now().Add(e2eWait); osc == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		osc = oscRE.FindStringSubmatch(string(s.rawBytes()))
	}
	if osc == nil {
		t.Fatalf("no OSC 52 written; status:\n%s", s.statusLine())
	}
	s.own = append(s.own, []byte(osc[0])) // the one clipboard write asked for
	got, err := base64.StdEncoding.DecodeString(osc[1])
	if err != nil || id == nil || !strings.HasPrefix(string(got), strings.TrimSuffix(id[1], "…")) {
		t.Fatalf("the clipboard got %q (%v); the status names %q", got, err, id)
	}
	s.quit()
}
