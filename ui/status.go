package ui

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

// view draws the status on one line of w cells; spin is the spinner frame,
// or "" when nothing is in flight any more.
func (s status) view(st styles, w int, spin string) string {
	if s.text == "" || w <= 0 {
		return ""
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
	return style.Render(truncate(prefix+s.text, w))
}
