package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// statusKind says how a status line reads: news, good news, a warning, or
// an error.
type statusKind int

const (
	kindInfo statusKind = iota
	kindOK
	kindWarn
	kindErr
)

// status is the line above the help: what just happened, in words. Errors
// show here and never replace the list.
type status struct {
	kind statusKind
	text string
	spin bool // work is in flight: show the spinner
}

func info(s string) status    { return status{kind: kindInfo, text: s} }
func success(s string) status { return status{kind: kindOK, text: s} }
func warning(s string) status { return status{kind: kindWarn, text: s} }
func failure(s string) status { return status{kind: kindErr, text: s} }

// working marks the status as work in flight.
func (s status) working() status {
	s.spin = true
	return s
}

// maxStatusLines is how many lines an event's status may take: an error and its next step
// are wrapped, never cut mid-sentence at the screen's edge.
const maxStatusLines = 3

// view draws the status in at most maxStatusLines lines of w cells; spin is the spinner frame,
// or "" when nothing is in flight any more.
func (s status) view(st styles, w int, spin string) []string {
	if s.text == "" || w <= 0 {
		return nil
	}
	prefix := ""
	style := st.statusInfo
	switch s.kind {
	case kindOK:
		prefix, style = "✓ ", st.statusOK
	case kindWarn:
		prefix, style = "! ", st.statusWarn
	case kindErr:
		prefix, style = "✗ ", st.statusErr
	}
	if s.spin && spin != "" {
		prefix = spin + " "
	}
	lines := strings.Split(ansi.Wrap(prefix+s.text, w, " "), "\n")
	if len(lines) > maxStatusLines {
		lines = append(lines[:maxStatusLines-1:maxStatusLines-1], truncate(strings.Join(lines[maxStatusLines-1:], " "), w))
	}
	for i, l := range lines {
		lines[i] = style.Render(truncate(l, w))
	}
	return lines
}

// statusArea is the lines above the help: the sends line (countdowns and sends in flight),
// then the status of the latest event. It is at least one line, blank or not.
func (m model) statusArea() []string {
	var out []string
	if line := m.sendsLine(); line.text != "" {
		out = append(out, line.view(m.styles, m.width, m.spinFrame())...)
	}
	out = append(out, m.status.view(m.styles, m.width, m.spinFrame())...)
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// statusHeight is the height of the status area.
func (m model) statusHeight() int { return len(m.statusArea()) }

// sendsLine is the line that says what sends are held or in flight. A countdown names the keys
// that take it back as they work in the current state: 'u' (and 'U' for all), ctrl+z where
// text is being typed, none under the quit question, which has keys of its own.
func (m model) sendsLine() status {
	undoKey, allKey := "", ""
	if m.keys.Undo.Enabled() && m.state() != stateQuit {
		undoKey = m.keys.Undo.Help().Key
	}
	if m.keys.UndoAll.Enabled() && m.state() != stateQuit {
		allKey = m.keys.UndoAll.Help().Key
	}
	if text := m.sends.countdown(m.now(), undoKey, allKey); text != "" {
		return status{kind: kindWarn, text: text}
	}
	if text := m.sends.progress(); text != "" {
		return info(text).working()
	}
	return status{}
}
