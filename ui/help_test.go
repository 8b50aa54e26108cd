package ui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// The help fits the screen at every size, and what matters most is on it: how to close it,
// quit, filter and send. What is cut is cut whole, and a "…" says so.
func TestHelpFitsAndKeepsTheEssentials(t *testing.T) {
	for _, size := range [][2]int{{100, 30}, {80, 24}, {50, 16}, {40, 10}} {
		_, m := fixture(t, size[0], size[1])
		m = press(t, m, "?")
		s := screen(m)
		for _, line := range strings.Split(s, "\n") {
			if w := lipgloss.Width(line); w > size[0] {
				t.Errorf("%dx%d: a line of %d cells: %q", size[0], size[1], w, line)
			}
		}
		for _, want := range []string{"?/esc close help", "q     quit", "/     filter", "s     send"} {
			if !strings.Contains(strings.Join(strings.Fields(s), " "), strings.Join(strings.Fields(want), " ")) {
				t.Errorf("%dx%d: %q is not in the help:\n%s", size[0], size[1], want, s)
			}
		}
		if strings.Contains(s, "send lat\n") || strings.Contains(s, "close he\n") {
			t.Errorf("%dx%d: a key is cut in half:\n%s", size[0], size[1], s)
		}
	}
}

// TestHelpPagesWhatDoesNotFit: on a small screen the help shows what fits and j shows the rest,
// k goes back; every key of the view is on one page or another.
func TestHelpPagesWhatDoesNotFit(t *testing.T) {
	_, m := fixture(t, 40, 12)
	m = press(t, m, "?")
	first := screen(m)
	if !strings.Contains(first, "j more keys") || !strings.Contains(first, "…") {
		t.Fatalf("no way to the rest:\n%s", first)
	}
	seen := strings.Join(strings.Fields(first), " ")
	for range 5 {
		if !m.keys.HelpMore.Enabled() {
			break
		}
		m = press(t, m, "j")
		seen += " " + strings.Join(strings.Fields(screen(m)), " ")
	}
	for _, want := range []string{"G/end last", "g/home first", "s send", "q quit"} {
		if !strings.Contains(seen, want) {
			t.Errorf("%q is on no page of the help", want)
		}
	}
	m = press(t, m, "k")
	if !m.keys.HelpMore.Enabled() {
		t.Fatalf("k did not go back a page:\n%s", screen(m))
	}
	m = press(t, m, "esc")
	if strings.Contains(screen(m), "more keys") {
		t.Fatalf("the help's keys stay after it closed:\n%s", screen(m))
	}
}
