package ui

import (
	"bytes"
	"image/color"
	"math"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"github.com/draftsmail/drafts/graph/emulator"
)

// xterm16 is xterm's default palette of 16 colours: the reference the contrast is read against
// (each terminal has its own shades; xterm's are the common ground).
var xterm16 = [16]color.RGBA{
	{0x00, 0x00, 0x00, 0xff}, {0xcd, 0x00, 0x00, 0xff}, {0x00, 0xcd, 0x00, 0xff}, {0xcd, 0xcd, 0x00, 0xff},
	{0x00, 0x00, 0xee, 0xff}, {0xcd, 0x00, 0xcd, 0xff}, {0x00, 0xcd, 0xcd, 0xff}, {0xe5, 0xe5, 0xe5, 0xff},
	{0x7f, 0x7f, 0x7f, 0xff}, {0xff, 0x00, 0x00, 0xff}, {0x00, 0xff, 0x00, 0xff}, {0xff, 0xff, 0x00, 0xff},
	{0x5c, 0x5c, 0xff, 0xff}, {0xff, 0x00, 0xff, 0xff}, {0x00, 0xff, 0xff, 0xff}, {0xff, 0xff, 0xff, 0xff},
}

// TestSixteenColoursReadOnBothBackgrounds renders the main screens as a 16-colour terminal
// shows them (the ANSI profile), on a white and on a black background, and reads every
// character's colour against the colour behind it: each must have a contrast of at least 3:1
// (WCAG's floor for large text and interface parts). The help bar in light grey on white and
// the pane divider in black on black were 1.3:1 and 1:1.
func TestSixteenColoursReadOnBothBackgrounds(t *testing.T) {
	for _, dark := range []bool{false, true} {
		bg := color.Color(color.White)
		if dark {
			bg = color.Black
		}
		e := newEnv(t, emulator.Options{})
		e.seedFixtures()
		e.emu.SeedDemo() // an Inbox and Sent Items with answers and files
		m := start(t, e.model(t), 120, 30)
		m, _ = deliver(t, m, tea.ColorProfileMsg{Profile: colorprofile.ANSI})
		m, _ = deliver(t, m, tea.BackgroundColorMsg{Color: bg})
		if m.styles.profile != colorprofile.ANSI || m.styles.isDark != dark {
			t.Fatalf("styles for profile %v, dark %v; want ANSI, %v", m.styles.profile, m.styles.isDark, dark)
		}
		screens := map[string]model{
			"list and preview": m,
			"full view":        press(t, m, "enter"),
			"confirm":          press(t, selectSubject(t, m, "URGENT: Fabrikam contract renewal expires Friday"), "s"),
			"help":             press(t, m, "?"),
			"filter":           press(t, m, "/", "t"),
			"send later":       press(t, m, "S"),
			"sent items":       press(t, m, "tab"),
			"sending":          press(t, m, "s", "y"),
			"inbox":            press(t, m, "tab", "tab"),
			"reader":           press(t, m, "tab", "tab", "enter"),
			"inbox filter":     press(t, m, "tab", "tab", "/", "f"),
		}
		for name, s := range screens {
			checkReadable(t, name, s, dark)
		}
	}
}

// checkReadable fails for every run of characters whose colour is less than 3:1 against its
// background, as xterm's palette shows the screen in 16 colours.
func checkReadable(t *testing.T, name string, m model, dark bool) {
	t.Helper()
	var out bytes.Buffer
	w := &colorprofile.Writer{Forward: &out, Profile: colorprofile.ANSI} // what the renderer does
	_, _ = w.Write([]byte(strings.ReplaceAll(m.View().Content, "\n", "\r\n")))
	emu := vt.NewEmulator(m.width, m.height)
	_, _ = emu.Write(out.Bytes())
	defFg, defBg := xterm16[0], xterm16[15]
	if dark {
		defFg, defBg = xterm16[7], xterm16[0]
	}
	bad := map[string]bool{}
	for y := 0; y < m.height; y++ {
		for x := 0; x < m.width; x++ {
			c := emu.CellAt(x, y)
			if c == nil || strings.TrimSpace(c.Content) == "" {
				continue
			}
			fg, bg := resolve16(t, c.Style.Fg, defFg), resolve16(t, c.Style.Bg, defBg)
			if c.Style.Attrs&uv.AttrReverse != 0 {
				fg, bg = bg, fg
			}
			if r := contrast(fg, bg); r < 3 {
				bad[ansi.Strip(lineAt(emu, y))+" ("+colorName(fg)+" on "+colorName(bg)+")"] = true
			}
		}
	}
	for l := range bad {
		t.Errorf("%s, dark=%v: unreadable in 16 colours: %s", name, dark, l)
	}
}

// resolve16 is the colour a 16-colour terminal with xterm's palette shows for c.
func resolve16(t *testing.T, c color.Color, def color.RGBA) color.RGBA {
	t.Helper()
	switch c := c.(type) {
	case nil:
		return def
	case ansi.BasicColor:
		return xterm16[c]
	case ansi.IndexedColor:
		if c < 16 {
			return xterm16[c]
		}
	}
	t.Fatalf("colour %v is not one of the 16", c)
	return def
}

func colorName(c color.RGBA) string {
	for i, p := range xterm16 {
		if p == c {
			return "colour " + string(rune('0'+i/10)) + string(rune('0'+i%10))
		}
	}
	return "?"
}

func lineAt(emu *vt.Emulator, y int) string {
	var b strings.Builder
	for x := 0; x < emu.Width(); x++ {
		if c := emu.CellAt(x, y); c != nil {
			b.WriteString(c.Content)
		}
	}
	return strings.TrimSpace(b.String())
}

// contrast is WCAG's contrast ratio of two colours, from 1 to 21.
func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}
