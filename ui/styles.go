package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/list"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// styles holds every style the UI uses, for a light or a dark terminal.
// Colours are chosen to read on both; selection and state are also shown by
// markers and text attributes, so they survive NO_COLOR.
type styles struct {
	isDark  bool
	profile colorprofile.Profile

	// header and sub-header
	appName, tab, tabActive, account, subheader lipgloss.Style

	// rows of the drafts and sent lists
	marker, subject, subjectSel, noSubject, meta, metaSel lipgloss.Style
	important, attachment, age                            lipgloss.Style
	working, ok, warn, bad, justSent                      lipgloss.Style

	// preview
	label, divider, pane, faint lipgloss.Style

	// confirm and quit dialogs
	dialog, dialogTitle, keyHint lipgloss.Style

	// status line
	statusInfo, statusOK, statusWarn, statusErr lipgloss.Style

	// designed empty, loading and error screens
	notice, noticeTitle lipgloss.Style

	spinner lipgloss.Style
	help    help.Styles
	list    list.Styles
}

// palette is the handful of colours the styles are made of.
type palette struct {
	accent, subtle, faint, line, green, yellow, red, onAcc color.Color
	// basic: the terminal has only its 16 colours, whose shades each terminal chooses; the
	// greys of the other palettes would come out as its white or black, unreadable on one of
	// the two backgrounds (light grey help on white, a black divider on black).
	basic bool
}

// newPalette picks the colours for a light or dark background and a terminal's colour profile.
func newPalette(isDark bool, p colorprofile.Profile) palette {
	ld := lipgloss.LightDark(isDark)
	if p == colorprofile.ANSI {
		// Only colours that read on the background in the usual palettes (xterm's, Tango's):
		// the terminal's own foreground for every grey, and no green or yellow on white.
		def := lipgloss.NoColor{}
		return palette{
			accent: ld(lipgloss.Blue, lipgloss.BrightBlue),
			subtle: def, faint: def, line: def,
			green:  ld(def, lipgloss.Green),
			yellow: ld(lipgloss.Magenta, lipgloss.Yellow),
			red:    lipgloss.Red,
			onAcc:  lipgloss.BrightWhite, // on the blue of either accent
			basic:  true,
		}
	}
	return palette{
		accent: ld(lipgloss.Color("#5A4FCF"), lipgloss.Color("#9D97FF")),
		subtle: ld(lipgloss.Color("#5F5F5F"), lipgloss.Color("#A0A0A0")),
		faint:  ld(lipgloss.Color("#8A8A8A"), lipgloss.Color("#6C6C6C")),
		line:   ld(lipgloss.Color("#D0D0D0"), lipgloss.Color("#3A3A3A")),
		green:  ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#3FB950")),
		yellow: ld(lipgloss.Color("#9A6700"), lipgloss.Color("#D29922")),
		red:    ld(lipgloss.Color("#CF222E"), lipgloss.Color("#F85149")),
		onAcc:  ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#1A1A1A")),
	}
}

// newStyles is the styles for a terminal of more than 16 colours (the profile is a
// tea.ColorProfileMsg away; see newStylesFor).
func newStyles(isDark bool) styles { return newStylesFor(isDark, colorprofile.TrueColor) }

// newStylesFor builds the styles for a light or dark background and the terminal's colour
// profile.
func newStylesFor(isDark bool, profile colorprofile.Profile) styles {
	pal := newPalette(isDark, profile)
	accent, subtle, faint, line := pal.accent, pal.subtle, pal.faint, pal.line
	green, yellow, red, onAcc := pal.green, pal.yellow, pal.red, pal.onAcc
	base := lipgloss.NewStyle()
	s := styles{isDark: isDark, profile: profile}

	s.appName = base.Bold(true).Foreground(accent)
	s.tab = base.Foreground(subtle).Padding(0, 1)
	s.tabActive = base.Bold(true).Foreground(onAcc).Background(accent).Padding(0, 1)
	s.account = base.Foreground(subtle)
	s.subheader = base.Foreground(subtle)

	s.marker = base.Foreground(accent).Bold(true)
	s.subject = base
	s.subjectSel = base.Bold(true).Foreground(accent)
	s.noSubject = base.Italic(true).Foreground(subtle)
	s.meta = base.Foreground(subtle)
	s.metaSel = base.Foreground(subtle)
	s.important = base.Bold(true).Foreground(red)
	s.attachment = base.Foreground(subtle)
	s.age = base.Foreground(subtle)
	s.working = base.Foreground(accent)
	s.ok = base.Foreground(green)
	s.warn = base.Foreground(yellow)
	s.bad = base.Foreground(red)
	s.justSent = base.Bold(true).Foreground(green)

	s.label = base.Foreground(subtle)
	s.divider = base.Foreground(line)
	s.pane = base.Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(line).PaddingLeft(1)
	s.faint = base.Foreground(faint)

	s.dialog = base.Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 2).Margin(0, 1)
	s.dialogTitle = base.Bold(true)
	s.keyHint = base.Bold(true).Foreground(accent)

	s.statusInfo = base.Foreground(subtle)
	s.statusOK = base.Foreground(green)
	s.statusWarn = base.Foreground(yellow)
	s.statusErr = base.Foreground(red)

	s.notice = base.Foreground(subtle)
	s.noticeTitle = base.Bold(true)

	s.spinner = base.Foreground(accent)
	s.help = help.DefaultStyles(isDark)
	s.list = list.DefaultStyles(isDark)
	s.list.Filter.Focused.Prompt = base.Foreground(accent)
	s.list.Filter.Blurred.Prompt = base.Foreground(accent)
	s.list.Filter.Cursor.Blink = false // a steady cursor; nothing to redraw while idle
	if pal.basic {
		s.basic(base)
	}
	return s
}

// basic replaces what 16 colours cannot show readably on both backgrounds: the help and the
// filter's placeholder, grey elsewhere, take the terminal's own foreground.
func (s *styles) basic(base lipgloss.Style) {
	s.faint = base.Faint(true)
	key, desc := base.Bold(true), base
	s.help.ShortKey, s.help.FullKey = key, key
	s.help.ShortDesc, s.help.FullDesc = desc, desc
	s.help.ShortSeparator, s.help.FullSeparator, s.help.Ellipsis = desc, desc, desc
	s.list.Filter.Focused.Placeholder = base.Faint(true)
	s.list.Filter.Blurred.Placeholder = base.Faint(true)
	s.list.Filter.Focused.Text, s.list.Filter.Blurred.Text = base, base
	s.list.Filter.Focused.Suggestion, s.list.Filter.Blurred.Suggestion = base.Faint(true), base.Faint(true)
}
