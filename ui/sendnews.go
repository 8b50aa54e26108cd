package ui

import (
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

// updateSend takes the results of the send engine's actions, the sends an earlier run left in
// the journal, and the new version of a draft that changed after it was confirmed.
func (m model) updateSend(msg tea.Msg) (model, tea.Cmd) {
	switch msg := msg.(type) {
	case sendStepMsg:
		var cmd tea.Cmd
		var ev *sendEvent
		m.sends, cmd, ev = m.sends.step(msg, m.now())
		if ev == nil {
			return m, nil
		}
		m, news := m.sendNews(*ev)
		if b, ok := m.sends.batches[ev.batch]; ok && ev.batch != 0 && b.done() && settledPhase(ev.after.Phase) && ev.before.Phase != ev.after.Phase {
			m.status = b.summary() // the last of a batch: one line for all of it
		}
		if cmd == nil && news == nil {
			return m, nil
		}
		return m, tea.Batch(cmd, news, m.spinner.Tick)

	case pendingSendsMsg:
		var cmd tea.Cmd
		m.sends, cmd = m.sends.takeJournal(msg.entries, m.now())
		if msg.err != nil {
			m.status = warning("Could not read the record of earlier sends (" + graph.Describe(msg.err) + "); look in Sent Items before sending a draft again")
		}
		return m, tea.Batch(cmd, m.spinner.Tick)

	case reconfirmMsg:
		s, ok := m.sends.job(msg.msg.ID)
		if !ok || s.Phase != sending.Changed || m.top() != nil {
			return m, nil
		}
		m, cmd := m.askSend(msg.msg)
		if c, ok := m.confirmOpen(); ok {
			c.note = "This draft was changed in Outlook after you confirmed it; this is the new version. Nothing was sent."
			c.at, c.loc = s.At, m.loc
			m.setTop(c)
		}
		return m, cmd
	}
	return m, nil
}

// sendNews says what a step of a send changed, and refreshes what it changed on the server.
// What is true comes first: a narrow status line may show only the start.
func (m model) sendNews(ev sendEvent) (model, tea.Cmd) {
	s := ev.after
	q := quoted(s.Draft)
	if ev.before.Phase == s.Phase {
		if s.ForgetErr != nil && ev.before.ForgetErr == nil {
			m.status = warning(q + " is settled, but its record could not be cleared (" +
				graph.Describe(s.ForgetErr) + "); the next start checks it again")
		}
		return m, nil
	}
	switch s.Phase {
	case sending.Sent:
		m.status = success(sentNews(s))
		if s.Copy != nil {
			m.sent = m.sent.withJustSent(*s.Copy, ev.batch)
		}
		m, reload := m.reload()
		return m, tea.Batch(reload, m.loadSent())
	case sending.Scheduled:
		m.status = success(q + " is scheduled for " + s.At.In(m.loc).Format(whenFormat) + ": Exchange holds it until then (it is listed first in Sent Items)")
		if s.Reconciled {
			m.status = success(sentence(s.Summary()))
		}
		m, reload := m.reload()
		return m, tea.Batch(reload, m.loadSent())
	case sending.Late:
		taken := " was accepted by Outlook"
		if s.Reconciled {
			taken = " has left Drafts (the answer to the send was unclear)"
		}
		m.status = warning(q + taken + ", not in Sent Items yet; do not send it again (waited " +
			seconds(s.Elapsed(m.now())) + "; still watching)")
		return m.reload() // the draft has left Drafts on the server: show that
	case sending.Pending, sending.Unknown:
		m.status = warning(sentence(s.Summary()))
		return m.reload()
	case sending.NotSent:
		m.status = failure(notSentNews(s))
		if s.Err == sending.ErrGone || s.Reconciled && !s.InDrafts || s.Posted() || !s.At.IsZero() {
			// Gone, or changed by the send's own requests (a deferred time set and reset):
			// a send again starts from the draft as it is now.
			return m.reload()
		}
	case sending.Changed:
		m.status = warning(q + " was changed in Outlook after you confirmed it; nothing was sent. Look at the new version")
		m, reload := m.reload()
		return m, tea.Batch(reconfirmCmd(m.ctx, m.mb, s.Draft.ID), reload)
	}
	return m, nil
}

// sentNews is the status of a send whose copy is in Sent Items.
func sentNews(s sending.Send) string {
	q := quoted(s.Draft)
	switch {
	case s.Recovered:
		return "An interrupted send went out: " + q + " is in Sent Items"
	case graph.IsNotFound(s.Err):
		return "Already sent elsewhere: " + q + " is in Sent Items"
	}
	return q + " is in Sent Items after " + seconds(s.Elapsed(s.Ended))
}

// notSentNews is the status of a send that did not go out.
func notSentNews(s sending.Send) string {
	switch {
	case s.Recovered && s.InDrafts:
		return "An interrupted send did not go out: " + quoted(s.Draft) + " is still in Drafts"
	case s.Recovered:
		return "An interrupted send did not go out: " + quoted(s.Draft) + " is no longer in Drafts"
	case s.Reconciled:
		return sentence(s.Summary())
	case !s.At.IsZero():
		return "Not scheduled: " + graph.Describe(s.Err) + s.ResetNote()
	}
	return "Not sent: " + graph.Describe(s.Err)
}

// wentOut reports whether the sends of the drafts ids all went out (or were taken by
// Outlook): none of them ended not sent, changed or unknown.
func (m model) wentOut(ids []string) bool {
	for _, id := range ids {
		s, ok := m.sends.job(id)
		if !ok {
			continue // forgotten: its draft left Drafts
		}
		switch s.Phase {
		case sending.NotSent, sending.Changed, sending.Undone, sending.Unknown:
			return false
		}
	}
	return true
}

// mustAskToQuit reports whether quitting now would lose a countdown, leave sends of a batch
// unsent, or leave a send's outcome unknown.
func (m model) mustAskToQuit() bool {
	return len(m.sends.held()) > 0 || len(m.sends.queued()) > 0 || len(m.sends.unsettled()) > 0
}

// statusSubject is how many cells of a subject a status line quotes, so that what it says about
// the draft fits an 80-column terminal.
const statusSubject = 24

// quoted is the draft's subject in quotes, cut to statusSubject cells.
func quoted(d graph.Message) string { return "“" + truncate(subjectOf(d), statusSubject) + "”" }

// sentence starts s with a capital letter, as every status line does.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
