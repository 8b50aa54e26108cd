package main

// Hostile text from the server, end to end: every attack of emulator.HostileTexts in the
// subjects, names and bodies of drafts, shown by the built binary in a pseudo-terminal. The raw
// byte stream the program writes is scanned for the attacks (terminalAttacks, also run on every
// other session of the suite), and the emulated terminal's screen, title and cells are checked.

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"github.com/draftsmail/drafts/graph/emulator"
)

// terminalAttacks returns what in raw, the bytes a program wrote to its terminal, could be an
// attack passed through from content: any OSC but the program's own title ("drafts") and its
// background colour query; any DCS, APC, SOS or PM string; SGR concealed, reversed or blinking
// text, or the basic 16 colours unless basicColours (the program styles with the 256-colour
// palette); a lone ESC, BEL, NUL, DEL or invalid UTF-8 outside a sequence; C1 controls, bidi
// controls and zero-width characters. Screen clears (CSI 2J) cannot be told from the renderer's
// own, which it sends when it redraws: checkScreen catches a cleared screen instead.
func terminalAttacks(raw []byte, basicColours bool) []string {
	var bad []string
	report := func(format string, args ...any) {
		if len(bad) < 20 {
			bad = append(bad, fmt.Sprintf(format, args...))
		}
	}
	p := ansi.NewParser()
	state := byte(0)
	for len(raw) > 0 {
		seq, width, n, next := ansi.DecodeSequence(raw, state, p)
		state = next
		if n <= 0 {
			break
		}
		raw = raw[n:]
		if len(seq) == 0 {
			continue
		}
		switch c := seq[0]; {
		case c == ansi.ESC && len(seq) > 1:
			switch seq[1] {
			case ']':
				if osc := string(seq); !ownOSC(osc) {
					report("OSC %q", seq)
				}
			case 'P', '_', 'X', '^':
				report("DCS/APC/SOS/PM string %q", seq)
			case '[':
				cmd := ansi.Cmd(p.Command())
				if cmd.Final() == 'm' && cmd.Prefix() == 0 && cmd.Intermediate() == 0 {
					if why := badSGR(p.Params(), basicColours); why != "" {
						report("SGR %q (%s)", seq, why)
					}
				}
			}
		case c == ansi.ESC:
			report("a lone ESC")
		case c < 0x20 && c != '\r' && c != '\n' && c != '\t' && c != '\b':
			// (The renderer itself moves the cursor with CR, LF, tab and backspace; a
			// backspace from content would show on the screen, which checkScreen reads.)
			report("control character %q", seq)
		case c == 0x7f:
			report("DEL")
		case width > 0 || c >= 0x20:
			r, size := utf8.DecodeRune(seq)
			if r == utf8.RuneError && size <= 1 {
				report("invalid UTF-8 %q", seq)
				continue
			}
			for _, r := range string(seq) {
				if badRune(r) {
					report("character %U", r)
				}
			}
		}
	}
	return bad
}

// ownOSC reports whether an OSC is one the program sends itself: the window title "drafts" (or
// empty, at exit) and the query of the terminal's background colour.
func ownOSC(osc string) bool {
	body := strings.TrimPrefix(osc, "\x1b]")
	body = strings.TrimSuffix(strings.TrimSuffix(body, "\a"), "\x1b\\")
	switch body {
	case "0;drafts", "2;drafts", "0;", "2;", "11;?":
		return true
	}
	return false
}

// badSGR says what is wrong with SGR parameters a program that styles only with the 256-colour
// palette, bold, faint, italic and underline would never send.
func badSGR(params ansi.Params, basicColours bool) string {
	ps := make([]int, 0, len(params))
	for i := range params {
		v, _, _ := params.Param(i, 0)
		ps = append(ps, v)
	}
	for i := 0; i < len(ps); i++ {
		switch v := ps[i]; {
		case v == 38 || v == 48 || v == 58:
			if i+1 < len(ps) && ps[i+1] == 5 {
				i += 2
			} else if i+1 < len(ps) && ps[i+1] == 2 {
				i += 4
			}
		case v == 7 || v == 27:
			return "reverse video"
		case v == 8 || v == 28:
			return "concealed text"
		case v == 5 || v == 6:
			return "blink"
		case !basicColours && (v >= 30 && v <= 37 || v >= 40 && v <= 47 || v >= 90 && v <= 97 || v >= 100 && v <= 107):
			return "basic colour " + strconv.Itoa(v)
		}
	}
	return ""
}

// badRune reports C1 controls, bidi controls, zero-width characters and the BOM. (The
// zero-width joiner is allowed: emoji sequences such as 👩‍👩‍👧 are made with it.)
func badRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x200e, r == 0x200f, r == 0x061c, r == 0x200b, r == 0x200c, r == 0x2060, r == 0xfeff:
		return true
	}
	return false
}

// TestTerminalAttacksCatchesEveryHostileText is the checker's own test: each hostile text
// written raw to a terminal is caught, and the program's own output of a clean session is not.
func TestTerminalAttacksCatchesEveryHostileText(t *testing.T) {
	// (Text only moves or clears on the screen, which checkScreen reads.)
	harmless := map[string]bool{"CSI 2J clear screen and home": true, "carriage return overwrite": true, "backspaces": true, "tab and newline": true, "CJK and emoji": true, "10 KB subject": true}
	for _, h := range emulator.HostileTexts() {
		got := terminalAttacks([]byte(h.Text), false)
		if harmless[h.Name] != (len(got) == 0) {
			t.Errorf("%s: %q", h.Name, got)
		}
	}
	own := []byte("\x1b[?1049h\x1b]2;drafts\a\x1b]11;?\a\x1b[2J\x1b[H\x1b[38;5;141;1mdrafts\x1b[m \x1b[48;5;141m Drafts · 3 \x1b[m\r\n\x1b[1;3;4mé 日本\x1b[m\x1b]2;\a")
	if got := terminalAttacks(own, false); len(got) != 0 {
		t.Errorf("the program's own sequences are reported: %q", got)
	}
}

// TestE2EHostileTextNeverReachesTheTerminal shows every hostile draft in the list, the preview
// pane, the full view and the confirm dialog, on a wide and a narrow terminal.
func TestE2EHostileTextNeverReachesTheTerminal(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	hs := emulator.HostileTexts()
	g.SeedHostile("")
	// A hostile error message too: opening the body of one draft fails with it.
	g.Inject(emulator.Rule{Method: "GET", Path: "/messages/", Query: "body", Times: 1, Fault: emulator.Fault{Status: 400,
		Code: "ErrorBad\x1b]0;PWNED-TITLE\x07", Message: "no \x1b]52;c;UFdORUQ=\x07\x1b[2J\x1b[7mPWNED-REVERSED\u009b2J body"}})
	s := startTUI(t, newE2EEnv(t, g.base), 120, 40)
	s.waitFor(fmt.Sprintf("1 of %d", len(hs)), "│ From")
	seen := map[string]bool{}
	for i := 0; i < len(hs); i++ {
		scr := s.waitFor(fmt.Sprintf("%d of %d", i+1, len(hs)))
		checkScreen(t, s, scr)
		for _, l := range strings.Split(scr, "\n") {
			if strings.Contains(l, "Pay 100 EUR") && strings.Contains(l, "Pay 900") {
				seen["both amounts on one row"] = true
			}
		}
		for _, h := range hs {
			if h.Visible != "" && strings.Contains(scr, h.Visible) {
				seen[h.Name] = true
			}
		}
		s.keys("j")
	}
	for _, h := range hs {
		if h.Visible != "" && !seen[h.Name] {
			t.Errorf("%s: %q never showed: the text after the attack is lost", h.Name, h.Visible)
		}
	}
	if !seen["both amounts on one row"] {
		// "Pay 900" written over "Pay 100 EUR" by a carriage return would hide the first.
		t.Error("no row shows both Pay 100 EUR and Pay 900")
	}
	// The full view and the confirm dialog of a few, then a narrow terminal.
	s.keys("g")
	s.waitFor(fmt.Sprintf("1 of %d", len(hs)))
	for _, step := range []struct{ key, want string }{{"\r", "esc back"}, {"\x1b", "newest first"}, {"s", "Send this draft now?"}, {"n", "draft is unchanged"}} {
		s.keys(step.key)
		checkScreen(t, s, s.waitFor(step.want))
	}
	s.keys("G")
	s.waitFor(fmt.Sprintf("%d of %d", len(hs), len(hs)))
	s.keys("s")
	s.waitFor("Send this draft now?")
	checkScreen(t, s, s.screen())
	s.keys("n")
	s.resize(60, 20)
	// Wait for the program's own redraw at the new size, not just the terminal's crop of the
	// old screen: header on the first row, keys on the last, no preview pane.
	s.waitUntil("the narrow layout", func(scr string) bool {
		lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
		return !strings.Contains(scr, "│ From") && strings.HasPrefix(lines[0], "drafts") &&
			strings.Contains(lines[len(lines)-1], "quit")
	})
	for i := 0; i < 8; i++ {
		s.keys("k")
		checkScreen(t, s, s.screen())
	}
	s.quit()
	if got := terminalAttacks(s.rawBytes(), false); len(got) > 0 {
		t.Errorf("attacks reached the terminal: %q", got)
	}
	for _, title := range s.windowTitles() {
		if title != "drafts" && title != "" {
			t.Errorf("the window title was set to %q", title)
		}
	}
	if raw := s.rawBytes(); bytes.Contains(raw, []byte("PWNED-TITLE\a")) || bytes.Contains(raw, []byte("]52;")) {
		t.Error("an OSC payload is in the output")
	}
}

// checkScreen checks what the emulated terminal shows: the header on the first row, the keys
// on the last, no row wider than the terminal, the preview pane's border in one column, and no
// cell concealed, reversed or linked.
func checkScreen(t *testing.T, s *session, scr string) {
	t.Helper()
	lines := s.lines()
	w := len(lines[0]) // (set below from the terminal)
	s.inspect(func(term *vt.SafeEmulator) { w = term.Width() })
	if !strings.HasPrefix(lines[0], "drafts") {
		t.Fatalf("the header is not on the first row (the screen was cleared or scrolled):\n%s", scr)
	}
	border := -1
	for y, l := range lines {
		if lw := ansi.StringWidth(strings.TrimRight(l, " ")); lw > w {
			t.Fatalf("row %d is %d cells wide on a %d-cell terminal:\n%s", y, lw, w, scr)
		}
		if y < 2 || y >= len(lines)-2 {
			continue
		}
		if i := strings.Index(l, "│"); i >= 0 && strings.Contains(scr, "│ From") {
			col := ansi.StringWidth(l[:i])
			if border >= 0 && col != border && !strings.Contains(scr, "Send this draft now?") {
				t.Fatalf("the preview pane's border is at column %d on row %d, %d above: the layout is broken:\n%s", col, y, border, scr)
			}
			if border < 0 {
				border = col
			}
		}
	}
	var bad string
	s.inspect(func(term *vt.SafeEmulator) {
		for y := 0; y < term.Height() && bad == ""; y++ {
			for x := 0; x < term.Width(); x++ {
				c := term.CellAt(x, y)
				if c != nil && (c.Style.Attrs&(uv.AttrReverse|uv.AttrConceal|uv.AttrBlink) != 0 || c.Link.URL != "") {
					bad = fmt.Sprintf("the cell at %d,%d (%q) is reversed, concealed, blinking or a link (%+v)", x, y, c.Content, c.Style)
					break
				}
			}
		}
	})
	if bad != "" {
		t.Fatalf("%s:\n%s", bad, scr)
	}
}

// TestE2EListCommandHostileText lists the hostile drafts as a table and as JSON, and sends one:
// plain text only (cli checks every byte), table columns aligned, the text after each attack
// kept.
func TestE2EListCommandHostileText(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	msgs := g.SeedHostile("")
	env := newE2EEnv(t, g.base)
	r := cli(t, env, "list")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != len(msgs)+1 {
		t.Fatalf("%d lines for %d drafts (a newline from content split a row?):\n%s", len(lines), len(msgs), r.stdout)
	}
	idCol := -1
	for _, l := range lines[1:] {
		id := strings.LastIndex(l, "AAMk")
		if id < 0 {
			t.Fatalf("no id on the row %q", l)
		}
		col := ansi.StringWidth(l[:id])
		if idCol >= 0 && col != idCol {
			t.Fatalf("the id column is at %d on %q, at %d above: the table is not aligned", col, l, idCol)
		}
		idCol = col
	}
	js := cli(t, env, "list", "--json")
	for _, h := range emulator.HostileTexts() {
		if h.Visible != "" && !strings.Contains(js.stdout, h.Visible) {
			t.Errorf("%s: %q is lost from the JSON list", h.Name, h.Visible)
		}
	}
	send := cli(t, env, "send", msgs[0].ID, "--yes")
	if send.code != exitOK || !strings.HasPrefix(send.stdout, "sent: ") {
		t.Fatalf("send: exit %d, %q %q", send.code, send.stdout, send.stderr)
	}
}
