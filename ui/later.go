package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/draftsmail/drafts/graph"
)

// whenFormat is how a scheduled time is shown in full; whenShort in a row.
const (
	whenFormat = "Mon 2 Jan 15:04"
	whenShort  = "Mon 15:04"
)

// whenPrompt asks when to send a draft later, and says at once what the
// typed text means (or why it means nothing).
type whenPrompt struct {
	draft graph.Message
	input textinput.Model
	at    time.Time // what the text means, or zero
	err   error     // why it means nothing; nil while empty
	// left, if set, is what esc leaves: said instead of "the draft is unchanged" (a reschedule:
	// the send was already taken out of the Outbox).
	left string
}

func newWhenPrompt(d graph.Message, st styles, now time.Time, loc *time.Location) whenPrompt {
	in := textinput.New()
	in.Prompt = "When: "
	in.Placeholder = "in 2h, tomorrow 9:00, " + now.In(loc).AddDate(0, 0, 2).Format("2006-01-02") + " 09:00" // a date to come
	in.CharLimit = 48
	in.SetStyles(st.list.Filter)
	in.Focus()
	return whenPrompt{draft: d, input: in}
}

// parse reads the text as a time, relative to now in loc.
func (p whenPrompt) parse(now time.Time, loc *time.Location) whenPrompt {
	p.at, p.err = time.Time{}, nil
	if strings.TrimSpace(p.input.Value()) == "" {
		return p
	}
	p.at, p.err = graph.ParseWhen(p.input.Value(), now, loc)
	return p
}

func (p whenPrompt) kind() state { return stateWhen }

// update handles the prompt's keys: enter with a valid time confirms the draft for it, esc
// cancels, the rest is typing (read back as it is typed).
func (p whenPrompt) update(k tea.KeyPressMsg, ctx dialogCtx) (overlay, tea.Cmd, outcome) {
	switch {
	case key.Matches(k, ctx.keys.Back):
		if p.left != "" {
			return p, nil, closed{info(p.left)}
		}
		return p, nil, closed{info("Not scheduled; the draft is unchanged")}
	case key.Matches(k, ctx.keys.Open):
		p = p.parse(ctx.now, ctx.loc)
		if p.at.IsZero() {
			return p, nil, nil // the prompt says why
		}
		return p, nil, timeChosen{draft: p.draft, at: p.at}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(k)
	return p.parse(ctx.now, ctx.loc), cmd, nil
}

// bindings are esc, and enter once the text is a time it takes; the other keys are text.
func (p whenPrompt) bindings(k *keyMap, _ dialogCtx) []*key.Binding {
	k.Open.SetHelp("enter", "next")
	k.Back.SetHelp("esc", "cancel")
	if p.at.IsZero() {
		return []*key.Binding{&k.Back} // enter would do nothing: not named
	}
	return []*key.Binding{&k.Open, &k.Back}
}

func (p whenPrompt) view(ctx dialogCtx) string { return p.draw(ctx.st, ctx.loc, ctx.w, ctx.h) }

// draw draws the prompt to fit a body of w×h cells.
func (p whenPrompt) draw(st styles, loc *time.Location, w, h int) string {
	tw := max(min(w-dialogFrameW-dialogMargin, dialogMaxW), 10)
	p.input.SetWidth(max(tw-width(p.input.Prompt)-1, 1))
	lines := []string{truncate(st.label.Render("Subject ")+st.dialogTitle.Render(subjectOf(p.draft)), tw), "", p.input.View()}
	switch {
	case p.err != nil:
		for _, l := range strings.Split(ansi.Wrap(p.err.Error(), tw, " "), "\n") {
			lines = append(lines, st.warn.Render(l))
		}
	case !p.at.IsZero():
		lines = append(lines, st.ok.Render("→ "+p.at.In(loc).Format(whenFormat)))
	default:
		lines = append(lines, st.faint.Render("Exchange holds it in the Outbox until then"))
	}
	keys := st.keyHint.Render("esc") + " cancel"
	if !p.at.IsZero() {
		keys = st.keyHint.Render("enter") + " next   " + keys
	}
	return dialogBox(st, tw, h, "Send later", lines, keys)
}

// askWhen opens the prompt for a send later of d, unless the send key is
// dead for it.
func (m model) askWhen(d graph.Message) (model, tea.Cmd) {
	if d.ID == "" || m.sendLocked(d.ID) {
		return m, nil
	}
	m.status = status{} // the prompt is the news now
	m.push(newWhenPrompt(d, m.styles, m.now(), m.loc))
	return m, nil
}

// scheduledListedMsg carries the messages waiting in the Outbox, for the
// Sent view of generation gen. A failed listing shows none.
type scheduledListedMsg struct {
	gen  int
	msgs []graph.Message
}

// scheduledListCmd lists the Outbox.
func scheduledListCmd(ctx context.Context, mb Mailbox, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, pageTimeout)
		defer cancel()
		msgs, _ := mb.Scheduled(ctx) // the Sent view says nothing of a failed Outbox listing
		return scheduledListedMsg{gen: gen, msgs: msgs}
	}
}
