package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/list"
	"charm.land/lipgloss/v2"
)

// styles holds every style the UI uses, for a light or a dark terminal.
// Colours are chosen to read on both; selection and state are also shown by
// markers and text attributes, so they survive NO_COLOR.
type styles struct {
	isDark bool

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

func newStyles(isDark bool) styles {
	ld := lipgloss.LightDark(isDark)
	var (
		accent = ld(lipgloss.Color("#5A4FCF"), lipgloss.Color("#9D97FF"))
		subtle = ld(lipgloss.Color("#5F5F5F"), lipgloss.Color("#A0A0A0"))
		faint  = ld(lipgloss.Color("#8A8A8A"), lipgloss.Color("#6C6C6C"))
		line   = ld(lipgloss.Color("#D0D0D0"), lipgloss.Color("#3A3A3A"))
		green  = ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#3FB950"))
		yellow = ld(lipgloss.Color("#9A6700"), lipgloss.Color("#D29922"))
		red    = ld(lipgloss.Color("#CF222E"), lipgloss.Color("#F85149"))
		onAcc  = ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#1A1A1A"))
	)
	base := lipgloss.NewStyle()
	s := styles{isDark: isDark}

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
	return s
}
