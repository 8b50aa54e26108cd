package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// View draws the screen. Terminal modes are declared here: the alternate
// screen, and mouse reporting so the wheel scrolls.
func (m model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "drafts"
	return v
}

// render draws the whole screen as exactly height lines, none wider than
// width.
func (m model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.tooSmall {
		return m.tooSmallView()
	}
	bw, bh := m.bodySize()
	lines := []string{
		fitLine(m.headerView(), m.width),
		fitLine(m.subheaderView(), m.width),
		fitBlock(m.bodyView(bw, bh), bw, bh),
	}
	for _, l := range m.statusArea() {
		lines = append(lines, fitLine(l, m.width))
	}
	lines = append(lines, fitLine(shortHelp(m.help, m.keys.ShortHelp(), m.width), m.width))
	return fitBlock(strings.Join(lines, "\n"), m.width, m.height)
}

// tooSmallView is the screen of a terminal too small to show the drafts: it says so, and still
// shows any countdown or send in flight, with the keys that work on it, and the quit question
// with its keys. Nothing can be confirmed here: no dialog is on screen to read.
func (m model) tooSmallView() string {
	w := max(m.width-2, 1)
	msg := fmt.Sprintf("The terminal is too small (%d×%d): drafts needs at least %d×%d.", m.width, m.height, minWidth, minHeight)
	switch {
	case m.state() == stateQuit && len(m.sends.held()) > 0:
		msg = "Quit before sending? " + strings.Join(m.heldSubjects(), ", ") + " not sent yet.\n" + quitHeldKeys(m.styles)
	case m.state() == stateQuit && len(m.sends.unsettled()) == 0:
		msg = fmt.Sprintf("Quit? %d drafts waiting their turn stay drafts.\n", len(m.sends.queued())) + quitKeys(m.styles)
	case m.state() == stateQuit:
		msg = "Quit while sending? A send is not settled yet.\n" + quitKeys(m.styles)
	default:
		msg += " " + tooSmallQuit.Help().Key + " quits."
	}
	var top []string
	if line := m.sendsLine(); line.text != "" {
		top = line.view(m.styles, m.width, m.spinFrame())
	}
	top = append(top, m.status.view(m.styles, m.width, m.spinFrame())...)
	h := max(m.height-len(top), 1)
	body := lipgloss.Place(m.width, h, lipgloss.Center, lipgloss.Center, ansi.Wrap(msg, w, " "))
	return fitBlock(strings.Join(append(top, body), "\n"), m.width, m.height)
}

// spinFrame is the spinner while something is in flight, else "".
func (m model) spinFrame() string {
	if !m.busy() {
		return ""
	}
	return m.spinner.View()
}

// headerView is the program's name, the two views as tabs with the
// current one marked, and the mailbox on the right.
func (m model) headerView() string {
	st := m.styles
	draftsTab, sentTab, inboxTab := st.tabActive, st.tab, st.tab
	view := m.view
	if view == stateRead {
		view = m.reader.from // the reader is in the tab of its list
	}
	switch view {
	case stateSent:
		draftsTab, sentTab = st.tab, st.tabActive
	case stateInbox:
		draftsTab, inboxTab = st.tab, st.tabActive
	}
	label := "Drafts"
	if n := m.draftTotal(); n > 0 || m.load.loaded {
		label += " · " + thousands(n)
	}
	left := st.appName.Render("drafts") + "  " + draftsTab.Render(label) + " " + sentTab.Render("Sent Items") + " " + inboxTab.Render("Inbox")
	room := m.width - width(left) - 2
	if m.opts.Account == "" || room < 8 {
		return left
	}
	acct := truncate(m.opts.Account, room)
	return left + strings.Repeat(" ", m.width-width(left)-width(acct)) + st.account.Render(acct)
}

// draftTotal is the number of drafts for the title: the folder's count
// while the pages load, the cached list's while its rest is read, then the
// number listed.
func (m model) draftTotal() int {
	n := m.drafts.len()
	switch {
	case m.load.loading && m.load.total > n:
		return m.load.total
	case m.live.rest != nil && m.live.cachedTotal > n:
		return m.live.cachedTotal
	}
	return n
}

// subheaderView is the line under the header: the filter, the loading
// progress, or where the user is.
func (m model) subheaderView() string {
	st := m.styles
	s := m.view
	if m.state() == stateHelp {
		return st.dialogTitle.Render("Keys")
	}
	switch {
	case s == stateRead:
		return m.readSubheader()
	case s == stateSent && m.sent.list.filtering(), s == stateInbox && m.inbox.list.filtering():
		return m.mailList(s).filterView()
	case s == stateSent && m.sent.list.filtered(), s == stateInbox && m.inbox.list.filtered():
		l := m.mailList(s)
		f := truncate(strings.TrimSpace(l.filterText()), 30)
		return st.faint.Render(fmt.Sprintf("Filter “%s” · %s of %s · esc clears", f, thousands(l.visibleLen()), thousands(l.len())))
	}
	switch s {
	case stateFull:
		where := ""
		if m.preview.vp.TotalLineCount() > m.preview.vp.Height() {
			where = fmt.Sprintf(" · %d%%", int(m.preview.vp.ScrollPercent()*100))
		}
		return st.faint.Render(subjectOf(m.preview.msg) + where)
	case stateSent:
		if m.sent.loading {
			return st.faint.Render(m.spinner.View() + " Loading Sent Items…")
		}
		if m.sent.err != nil && len(m.sent.sentMsgs) == 0 {
			return "" // not read: the body says why, and nothing is known to be empty
		}
		line := latestLine(len(m.sent.sentMsgs), sentPageSize, "Sent Items")
		if n := len(m.sent.scheduled); n > 0 { // listed first, from the Outbox
			line = fmt.Sprintf("%d scheduled (in the Outbox) · %s", n, line)
		}
		return st.faint.Render(line)
	case stateInbox:
		if m.inbox.loading {
			return st.faint.Render(m.spinner.View() + " Loading the Inbox…")
		}
		if m.inbox.err != nil && m.inbox.list.len() == 0 {
			return ""
		}
		return st.faint.Render(latestLine(m.inbox.list.len(), inboxPageSize, "the Inbox"))
	}
	marks := m.cachedNote()
	if n := len(m.marked); n > 0 {
		marks += " · " + thousands(n) + " marked"
	}
	switch {
	case m.drafts.filtering():
		return m.drafts.filterView()
	case m.drafts.filtered():
		f := truncate(strings.TrimSpace(m.drafts.filterText()), 30)
		return st.faint.Render(fmt.Sprintf("Filter “%s” · %s of %s · esc clears", f, thousands(m.drafts.visibleLen()), thousands(m.drafts.len())) + marks)
	case m.load.loading && m.drafts.len() > 0 && !m.load.loaded: // a refresh shows the list it has
		progress := thousands(m.load.received)
		if m.load.total > 0 {
			progress += " of " + thousands(m.load.total)
		}
		return st.faint.Render(m.spinner.View() + " Loading… " + progress + m.cachedNote())
	case m.drafts.len() > 0:
		return st.faint.Render(thousands(m.drafts.index+1) + " of " + thousands(m.draftTotal()) + " · newest first" + marks)
	}
	return ""
}

// bodyView draws the area between the header lines and the status line: the view, and the
// dialog on top over it (the help in its place).
func (m model) bodyView(w, h int) string {
	o := m.top()
	if o == nil {
		return m.viewBody(w, h)
	}
	box := o.view(m.dialogCtx())
	if o.kind() == stateHelp {
		return box
	}
	return overlayBox(m.viewBody(w, h), box, w, h)
}

// viewBody draws the view under any dialog.
func (m model) viewBody(w, h int) string {
	switch m.view {
	case stateFull:
		return m.preview.view()
	case stateRead:
		return m.reader.pane.view()
	case stateSent:
		return m.sentBody(w, h)
	case stateInbox:
		return m.inboxBody(w, h)
	}
	return m.listBody(w, h)
}

// shortHelp is the one-line help: the enabled bindings that fit in w
// cells, then an ellipsis if some did not.
func shortHelp(h help.Model, bindings []key.Binding, w int) string {
	sep := h.Styles.ShortSeparator.Render(h.ShortSeparator)
	var b strings.Builder
	used := 0
	for _, kb := range bindings {
		if !kb.Enabled() {
			continue
		}
		item := h.Styles.ShortKey.Render(kb.Help().Key) + " " + h.Styles.ShortDesc.Render(kb.Help().Desc)
		if used > 0 {
			item = sep + item
		}
		iw := ansi.StringWidth(item)
		if used+iw > w {
			if used+2 <= w {
				b.WriteString(" " + h.Styles.Ellipsis.Render(h.Ellipsis))
			}
			break
		}
		b.WriteString(item)
		used += iw
	}
	return b.String()
}

// latestLine says what a folder view lists: the latest page of it, or all of it when it holds
// fewer.
func latestLine(n, page int, folder string) string {
	switch {
	case n >= page:
		return fmt.Sprintf("The latest %d messages in %s, newest first", page, folder)
	case n == 0:
		return "No messages in " + folder
	case n == 1:
		return "1 message in " + folder
	}
	return fmt.Sprintf("All %d messages in %s, newest first", n, folder)
}

// listBody is the drafts list, with the preview beside it when there is
// room, or the designed screen for loading, errors and an empty mailbox.
func (m model) listBody(w, h int) string {
	st := m.styles
	if m.drafts.len() == 0 {
		switch {
		case m.load.loading:
			return notice(st, w, h, m.spinner.View()+" Loading your drafts…")
		case m.load.err != nil:
			return errorNotice(st, w, h, m.load.err, m.keys.Refresh.Help().Key)
		}
		return notice(st, w, h, "No drafts — write one in Outlook and press r")
	}
	var list string
	if m.drafts.visibleLen() == 0 {
		list = notice(st, m.drafts.width, h, "Nothing matches the filter")
	} else {
		list = m.drafts.view(m.rowDelegate(false))
	}
	if !m.wide {
		return list
	}
	pane := st.pane.Height(h).Render(m.preview.view())
	return lipgloss.JoinHorizontal(lipgloss.Top, padBlock(list, m.drafts.width+listGap, h), pane)
}

// sentBody is the Sent Items list or its designed screens.
func (m model) sentBody(w, h int) string {
	st := m.styles
	if m.sent.list.len() == 0 {
		switch {
		case m.sent.loading || !m.sent.loaded && m.sent.err == nil:
			return notice(st, w, h, m.spinner.View()+" Loading Sent Items…")
		case m.sent.err != nil:
			return errorNotice(st, w, h, m.sent.err, m.keys.Refresh.Help().Key)
		}
		return notice(st, w, h, "Sent Items is empty")
	}
	if m.sent.list.visibleLen() == 0 {
		return notice(st, w, h, "Nothing matches the filter")
	}
	return m.sent.list.view(m.rowDelegate(true))
}

// rowDelegate is the row drawer for this frame.
func (m model) rowDelegate(sent bool) rowDelegate {
	return rowDelegate{
		st:       m.styles,
		now:      m.now(),
		loc:      m.loc,
		sends:    m.sends,
		fresh:    m.live.fresh,
		marked:   m.marked,
		spin:     m.spinner.View(),
		sent:     sent,
		justSent: m.sent.justSentIDs(),
	}
}

// unsettledSubjects names the drafts whose sends are not settled, and
// reports whether a POST among them has no clear answer yet.
func (m model) unsettledSubjects() (subjects []string, posting bool) {
	for _, s := range m.sends.unsettled() {
		subjects = append(subjects, "“"+subjectOf(s.Draft)+"”")
		posting = posting || s.Phase != sending.Looking
	}
	return subjects, posting
}

// heldSubjects names the drafts counting down, in the order they were confirmed.
func (m model) heldSubjects() []string {
	var out []string
	for _, s := range m.sends.held() {
		out = append(out, "“"+subjectOf(s.Draft)+"”")
	}
	return out
}

// notice centres a short message in the body.
func notice(st styles, w, h int, lines ...string) string {
	tw := max(min(w-4, 64), 10)
	text := st.notice.Render(ansi.Wrap(strings.Join(lines, "\n"), tw, " "))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, text)
}

// errorNotice is the screen shown in place of a list that could not be
// loaded at all: what happened, in words, and what to do.
func errorNotice(st styles, w, h int, err error, retry string) string {
	tw := max(min(w-4, 64), 10)
	title, body := "Could not load this mailbox", graph.Describe(err)+"\n\nPress "+retry+" to try again."
	switch {
	case graph.IsUnauthorized(err):
		title = "Not signed in to Microsoft Graph"
		// A variable set now cannot reach this process: a fresh token means starting again.
		body = "Sign in again with 'drafts login' in another terminal, then press " + retry + " here. " +
			"(A token from DRAFTS_ACCESS_TOKEN: quit, set a fresh one, start drafts again.)" +
			"\n\nTo look around without an account:\n  drafts --demo"
	case graph.IsForbidden(err):
		title = "Not allowed to read this mailbox"
	}
	text := st.noticeTitle.Foreground(st.bad.GetForeground()).Render(title) + "\n\n" + st.notice.Render(ansi.Wrap(body, tw, " "))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, text)
}

// overlayBox draws box centred over base, both w×h.
func overlayBox(base, box string, w, h int) string {
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	x, y := max((w-bw)/2, 0), max((h-bh)/2, 0)
	comp := lipgloss.NewCompositor(
		lipgloss.NewLayer(fitBlock(base, w, h)),
		lipgloss.NewLayer(box).X(x).Y(y).Z(1),
	)
	return lipgloss.NewCanvas(w, h).Compose(comp).Render()
}

// fitLine cuts s to its first line and w cells.
func fitLine(s string, w int) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return ansi.Truncate(s, w, "")
}

// fitBlock makes s exactly h lines, none wider than w.
func fitBlock(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "")
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// padBlock is fitBlock with every line padded to exactly w cells, for
// blocks placed side by side.
func padBlock(s string, w, h int) string {
	lines := strings.Split(fitBlock(s, w, h), "\n")
	for i, l := range lines {
		if d := w - ansi.StringWidth(l); d > 0 {
			lines[i] = l + strings.Repeat(" ", d)
		}
	}
	return strings.Join(lines, "\n")
}

// thousands writes n with thin separators: 4,200.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
