package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestE2EDumbTerminalGetsALine runs 'drafts --demo' in a pseudo-terminal with TERM=dumb: it
// prints one line that says what works there and exits 2, having written no escape sequence at
// all (no alternate screen, mouse mode or terminal query). The commands still work there.
func TestE2EDumbTerminalGetsALine(t *testing.T) {
	e2e(t)
	env := newE2EEnv(t, "")
	delete(env.vars, "DRAFTS_GRAPH_URL")
	delete(env.vars, "DRAFTS_ACCESS_TOKEN")
	env.vars["TERM"] = "dumb"
	s := startTUI(t, env, 80, 24, "--demo")
	if code := s.waitExit(); code != exitUsage {
		t.Fatalf("exit %d, want %d; the screen shows:\n%s", code, exitUsage, s.screen())
	}
	raw := s.rawBytes()
	if bytes.ContainsRune(raw, '\x1b') {
		t.Errorf("escape sequences written to a dumb terminal: %q", raw)
	}
	out := strings.TrimSpace(strings.ReplaceAll(string(raw), "\r\n", "\n"))
	if strings.Count(out, "\n") != 0 || !strings.Contains(out, "TERM=dumb") || !strings.Contains(out, "drafts list") {
		t.Errorf("want one line naming TERM=dumb and what works; got %q", out)
	}
	if r := cli(t, env, "list", "--demo"); r.code != exitOK || !strings.Contains(r.stdout, "Q3 budget review") {
		t.Errorf("drafts list with TERM=dumb: exit %d, %q", r.code, r.stderr)
	}
}
