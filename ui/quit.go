package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// updateQuitHeld answers the quit question while sends count down: send them now, cancel them
// (and quit unless another send is unsettled), or stay.
func (m model) updateQuitHeld(k tea.KeyPressMsg) (model, tea.Cmd) {
	switch {
	case k.String() == "ctrl+c":
		return m, tea.Quit // nothing was posted: they are not sent
	case key.Matches(k, m.keys.Send):
		var cmd tea.Cmd
		m.sends, cmd = m.sends.releaseAll(m.now())
		return m, tea.Batch(cmd, m.spinner.Tick) // the question now asks about the sends in flight
	case key.Matches(k, m.keys.Undo):
		m.sends, _ = m.sends.undoAll(m.now())
		m.status = info("Not sent: the drafts are unchanged")
		if !m.mustAskToQuit() {
			return m, tea.Quit
		}
		return m, nil
	case key.Matches(k, m.keys.No):
		m.setState(m.back)
		return m.synced()
	}
	return m, nil
}

// quitHeldView is the quit question while sends count down.
func quitHeldView(st styles, w, h int, subjects []string) string {
	tw := max(min(w-dialogFrameW-dialogMargin, 56), 10)
	text := strings.Join(subjects, ", ") + " will be sent when the countdown ends. Nothing has been sent yet."
	return dialogBox(st, tw, h, "Quit before sending?", strings.Split(ansi.Wrap(text, tw, " "), "\n"), quitHeldKeys(st))
}

// quitHeldKeys are the keys of the quit question while sends count down.
func quitHeldKeys(st styles) string {
	return st.keyHint.Render("s") + " send now   " + st.keyHint.Render("u") + " cancel send   " +
		st.keyHint.Render("n") + "/" + st.keyHint.Render("esc") + " stay"
}

// quitKeys are the keys of the quit question while a send is in flight.
func quitKeys(st styles) string {
	return st.keyHint.Render("y") + " quit   " + st.keyHint.Render("n") + "/" + st.keyHint.Render("esc") + " stay"
}

// quitView is the question asked when quitting would leave a send unsettled, drawn to fit a
// body of w×h cells. posting is set while a POST is in flight or being checked.
func quitView(st styles, w, h int, subjects []string, posting bool) string {
	tw := max(min(w-dialogFrameW-dialogMargin, 56), 10)
	text := "Outlook has accepted " + strings.Join(subjects, ", ") +
		"; quitting now only stops the wait for the copy in Sent Items."
	if posting {
		text = "The send of " + strings.Join(subjects, ", ") + " is in flight. If you quit now you may not learn " +
			"whether it went out: look in Sent Items before sending it again."
	}
	return dialogBox(st, tw, h, "Quit while sending?", strings.Split(ansi.Wrap(text, tw, " "), "\n"), quitKeys(st))
}
