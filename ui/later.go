package ui

import (
	"context"
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
}

func newWhenPrompt(d graph.Message, st styles) whenPrompt {
	in := textinput.New()
	in.Prompt = "When: "
	in.Placeholder = "in 2h, tomorrow 9:00, 2026-12-01 09:00"
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

// view draws the prompt to fit a body of w×h cells.
func (p whenPrompt) view(st styles, loc *time.Location, w, h int) string {
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
	keys := st.keyHint.Render("enter") + " next   " + st.keyHint.Render("esc") + " cancel"
	return dialogBox(st, tw, h, "Send later", lines, keys)
}

// askWhen opens the prompt for a send later of d, unless the send key is
// dead for it.
func (m model) askWhen(d graph.Message) (model, tea.Cmd) {
	if d.ID == "" || m.sendLocked(d.ID) {
		return m, nil
	}
	m.when = newWhenPrompt(d, m.styles)
	m.status = status{} // the prompt is the news now
	m.back = m.state
	m.setState(stateWhen)
	return m, nil
}

// updateWhen handles keys in the prompt: enter with a valid time opens the
// confirm dialog for it; esc goes back; the rest is typing.
func (m model) updateWhen(k tea.KeyPressMsg) (model, tea.Cmd) {
	switch {
	case k.String() == "ctrl+c":
		m.setState(m.back)
		return m.askQuit()
	case k.Code == tea.KeyEscape:
		m.setState(m.back)
		m.status = info("Not scheduled; the draft is unchanged")
		return m.synced()
	case k.Code == tea.KeyEnter:
		m.when = m.when.parse(m.now(), m.loc)
		if m.when.at.IsZero() {
			return m, nil // the prompt says why
		}
		d := m.when.draft
		m.setState(m.back)
		m, cmd := m.askSend(d)
		if m.state == stateConfirm {
			m.confirm.at, m.confirm.loc = m.when.at, m.loc
		}
		return m, cmd
	}
	var cmd tea.Cmd
	m.when.input, cmd = m.when.input.Update(k)
	m.when = m.when.parse(m.now(), m.loc)
	return m, cmd
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
