package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// quitQuestion asks before quitting would lose a countdown or leave a send's outcome unknown.
// While sends count down it offers s (send them now), u (take them back) and n/esc (stay);
// while a send is in flight, y (quit anyway) and n/esc. ctrl+c quits at once (handled by the
// root, in every state).
type quitQuestion struct {
	// leaving are the drafts whose countdowns "s send now" ended: the user chose to quit, so
	// the program quits by itself once they are out (and stays, to say so, if one is not).
	leaving []string
	// names are their subjects, quoted, for the line the screen leaves when it closes (their
	// sends are forgotten once their drafts leave Drafts).
	names map[string]string
}

func (quitQuestion) kind() state { return stateQuit }

func (q quitQuestion) update(k tea.KeyPressMsg, ctx dialogCtx) (overlay, tea.Cmd, outcome) {
	if len(ctx.held) > 0 {
		switch {
		case key.Matches(k, ctx.keys.SendNow):
			return q, nil, sendNowChosen{}
		case key.Matches(k, ctx.keys.CancelSends):
			return q, nil, sendsCancelled{}
		case key.Matches(k, ctx.keys.No):
			return q, nil, closed{}
		}
		return q, nil, nil
	}
	switch {
	case key.Matches(k, ctx.keys.Yes):
		return q, nil, quitChosen{}
	case key.Matches(k, ctx.keys.No):
		return q, nil, closed{}
	}
	return q, nil, nil
}

func (quitQuestion) bindings(k *keyMap, ctx dialogCtx) []*key.Binding {
	k.No.SetHelp("n/esc", "stay")
	if len(ctx.held) > 0 {
		return []*key.Binding{&k.SendNow, &k.CancelSends, &k.No}
	}
	k.Yes.SetHelp("y", "quit")
	return []*key.Binding{&k.Yes, &k.No}
}

func (q quitQuestion) view(ctx dialogCtx) string {
	if len(ctx.held) > 0 {
		return quitHeldView(ctx.st, ctx.w, ctx.h, ctx.held, ctx.takeBack, len(ctx.unsettled) > 0 || ctx.queued > ctx.takeBack)
	}
	return quitView(ctx.st, ctx.w, ctx.h, ctx.unsettled, ctx.queued, ctx.posting, len(q.leaving) > 0)
}

// quitHeldView is the quit question while sends count down; queued sends of a batch wait their
// turn besides (u takes them back too), and inFlight is set when a send is on its way.
func quitHeldView(st styles, w, h int, subjects []string, queued int, inFlight bool) string {
	tw := max(min(w-dialogFrameW-dialogMargin, 56), 10)
	if len(subjects) > 3 { // a batch: name a few, count the rest
		subjects = append(subjects[:2:2], fmt.Sprintf("%d more", len(subjects)-2))
	}
	text := strings.Join(subjects, ", ") + " will be sent when the countdown ends."
	switch {
	case queued == 1:
		text += " 1 more of a batch waits its turn; u takes it back too."
	case queued > 1:
		text += fmt.Sprintf(" %d more of a batch wait their turn; u takes them back too.", queued)
	case !inFlight:
		text += " Nothing has been sent yet."
	}
	return dialogBox(st, tw, h, "Quit before sending?", strings.Split(ansi.Wrap(text, tw, " "), "\n"), quitHeldKeys(st))
}

// quitHeldKeys are the keys of the quit question while sends count down.
func quitHeldKeys(st styles) string {
	return st.keyHint.Render("s") + " send now   " + st.keyHint.Render("u") + " cancel & quit   " +
		st.keyHint.Render("n") + "/" + st.keyHint.Render("esc") + " stay"
}

// quitKeys are the keys of the quit question while a send is in flight.
func quitKeys(st styles) string {
	return st.keyHint.Render("y") + " quit   " + st.keyHint.Render("n") + "/" + st.keyHint.Render("esc") + " stay"
}

// quitView is the question asked when quitting would leave a send unsettled, or sends of a
// batch (queued) unsent, drawn to fit a body of w×h cells. posting is set while a POST is in
// flight or being checked; leaving, when the program quits by itself once the sends are out.
func quitView(st styles, w, h int, subjects []string, queued int, posting, leaving bool) string {
	tw := max(min(w-dialogFrameW-dialogMargin, 56), 10)
	var text string
	switch {
	case posting:
		text = "The send of " + strings.Join(subjects, ", ") + " is in flight. If you quit now you may not learn " +
			"whether it went out: look in Sent Items before sending it again."
	case len(subjects) > 0:
		text = strings.Join(subjects, ", ") + " is on its way; quitting now only stops the wait for the copy in Sent Items."
	}
	switch {
	case queued == 1:
		text += " 1 more draft waits its turn: if you quit now, it stays a draft."
	case queued > 1:
		text += fmt.Sprintf(" %d more drafts wait their turn (one every %s): if you quit now, they stay drafts.", queued, paceText)
	}
	if leaving && text != "" {
		if len(subjects)+queued == 1 {
			text += " drafts quits by itself once Outlook has it."
		} else {
			text += " drafts quits by itself once Outlook has them."
		}
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return dialogBox(st, tw, h, "Quit?", strings.Split(ansi.Wrap("Nothing is on its way any more: the status line says how the sends ended.", tw, " "), "\n"), quitKeys(st))
	}
	return dialogBox(st, tw, h, "Quit while sending?", strings.Split(ansi.Wrap(text, tw, " "), "\n"), quitKeys(st))
}
