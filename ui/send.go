package ui

import (
	"maps"
	"time"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// sendPhase is where one send stands.
type sendPhase int

const (
	phaseSending  sendPhase = iota // the POST is in flight
	phaseChecking                  // the answer was unclear: looking in Sent Items and Drafts
	phaseWaiting                   // accepted: watching Sent Items for the copy
	phaseLate                      // accepted, past the deadline: still watching, slowly
	phaseSent                      // the copy is in Sent Items
	phaseFailed                    // not sent; the draft is unchanged
	phaseUnknown                   // not known whether it went out
)

// backgroundWatch is how long after the deadline Sent Items is still
// watched, every few seconds, for a send Outlook accepted.
const backgroundWatch = 15 * time.Minute

// sendJob is the state of the send of one draft. The draft is the one
// listed before the send, with the internetMessageId and conversationId the
// copy is found by.
type sendJob struct {
	draft   graph.Message
	phase   sendPhase
	start   time.Time
	err     error
	elapsed time.Duration
	// recovered marks a send an earlier run left unsettled in the journal, being settled now.
	recovered bool
}

// unsettled reports whether quitting now would leave the user not knowing
// what happened to this send.
func (j sendJob) unsettled() bool {
	return j.phase == phaseSending || j.phase == phaseChecking || j.phase == phaseWaiting
}

// locksDraft reports whether the send key is dead for the draft: it is
// being sent, or Outlook has taken it. Only a send that certainly failed,
// or whose outcome is unknown, may be sent again (after a new 'y').
func (j sendJob) locksDraft() bool {
	return j.phase != phaseFailed && j.phase != phaseUnknown
}

// anyUnsettled reports whether some send is still unsettled.
func (m model) anyUnsettled() bool {
	for _, j := range m.sends {
		if j.unsettled() {
			return true
		}
	}
	return false
}

// startSend posts the draft once. It is the only place a send begins, and
// it refuses a draft whose previous send is still going or went through.
func (m model) startSend(d graph.Message) (model, tea.Cmd) {
	if j, ok := m.sends[d.ID]; ok && j.locksDraft() {
		return m, nil
	}
	start := m.now()
	m.setJob(sendJob{draft: d, phase: phaseSending, start: start})
	m.status = info("Sending " + quoted(d) + "…").working()
	return m, tea.Batch(sendCmd(m.ctx, m.mb, m.opts.Journal, d, start), m.spinner.Tick)
}

// recoverSends settles the sends an earlier run left in the journal: each is looked for in Sent
// Items and Drafts, never sent, and its draft's send key stays dead until that is done.
func (m model) recoverSends(msg pendingSendsMsg) (model, tea.Cmd) {
	var cmds []tea.Cmd
	for _, p := range msg.sends {
		if _, ok := m.sends[p.Draft.ID]; ok || p.Draft.ID == "" {
			continue
		}
		m.setJob(sendJob{draft: p.Draft, phase: phaseChecking, start: p.Start, err: graph.ErrInterrupted, recovered: true})
		m.status = info("Checking an interrupted send (" + quoted(p.Draft) + ") in Sent Items…").working()
		cmds = append(cmds, reconcileCmd(m.ctx, m.mb, p.Draft, p.Start, graph.ErrInterrupted))
	}
	if msg.err != nil {
		m.status = warning("Could not read the record of earlier sends (" + graph.Describe(msg.err) + "); look in Sent Items before sending a draft again")
	}
	if len(cmds) > 0 {
		cmds = append(cmds, m.spinner.Tick)
	}
	return m, tea.Batch(cmds...)
}

// recovered ends the settling of a send an earlier run left unsettled. What is true comes
// first: a status line may show only the start.
func (m model) recovered(id string, r graph.Result) (model, tea.Cmd) {
	q := quoted(m.sends[id].draft)
	switch r.Outcome {
	case graph.OutcomeSent:
		if r.Copy != nil {
			return m.found(id, *r.Copy)
		}
		return m.settle(id, phaseSent, nil, success(recoveredSent+q+" is in Sent Items"))
	case graph.OutcomeNotSent:
		if r.InDrafts {
			return m.settle(id, phaseFailed, nil, warning("An interrupted send did not go out: "+q+" is still in Drafts"))
		}
		return m.settle(id, phaseFailed, nil, warning("An interrupted send did not go out: "+q+" is no longer in Drafts"))
	case graph.OutcomePending:
		return m.accepted(id, "An interrupted send went out: "+q+" has left Drafts; do not send it again")
	}
	why := graph.Describe(r.LookErr)
	return m.settle(id, phaseUnknown, r.Err, warning("Not known whether an interrupted send went out ("+q+
		"): look in Sent Items before sending it again (Sent Items could not be checked: "+why+")"))
}

// recoveredSent starts the status of a send interrupted earlier that went out.
const recoveredSent = "An interrupted send went out: "

// updateSend handles the results of a send and of the watch that follows.
func (m model) updateSend(msg tea.Msg) (model, tea.Cmd) {
	switch msg := msg.(type) {
	case sendAcceptedMsg:
		return m.accepted(msg.id, "Sent, waiting for Sent Items…")

	case sendRefusedMsg:
		return m.settle(msg.id, phaseFailed, msg.err, failure("Not sent: "+graph.Describe(msg.err)))

	case sendUnclearMsg:
		j, ok := m.sends[msg.id]
		if !ok {
			return m, nil
		}
		j.phase, j.err = phaseChecking, msg.err
		m.setJob(j)
		m.status = info("Looking in Sent Items and Drafts: the answer to the send was unclear (" + graph.Describe(msg.err) + ")").working()
		return m, reconcileCmd(m.ctx, m.mb, j.draft, j.start, msg.err)

	case reconciledMsg:
		r := msg.result
		if j, ok := m.sends[msg.id]; ok && j.recovered {
			return m.recovered(msg.id, r)
		}
		switch r.Outcome {
		case graph.OutcomeSent:
			if r.Copy != nil {
				return m.found(msg.id, *r.Copy)
			}
			return m.settle(msg.id, phaseSent, nil, success(sentence(r.Summary())))
		case graph.OutcomeNotSent:
			return m.settle(msg.id, phaseFailed, r.Err, failure(sentence(r.Summary())))
		case graph.OutcomePending:
			return m.accepted(msg.id, "Sent (the draft has left Drafts), waiting for Sent Items…")
		}
		return m.settle(msg.id, phaseUnknown, r.Err, warning(sentence(r.Summary())))

	case pollSentMsg:
		return m.poll(msg.id, msg.n)

	case sentFoundMsg:
		return m.found(msg.id, msg.copy)

	case journalFailedMsg:
		if j, ok := m.sends[msg.id]; ok && j.phase == phaseSent {
			m.status = warning(quoted(j.draft) + " is in Sent Items, but its record could not be cleared (" +
				graph.Describe(msg.err) + "); the next start checks it again")
		}
		return m, nil

	case pendingSendsMsg:
		return m.recoverSends(msg)

	case sentNotYetMsg:
		j, ok := m.sends[msg.id]
		if !ok || (j.phase != phaseWaiting && j.phase != phaseLate) {
			return m, nil
		}
		if graph.IsForbidden(msg.err) || graph.IsUnauthorized(msg.err) {
			// Looking again will not help; the send itself went through.
			return m.settle(msg.id, phaseLate, msg.err,
				warning("Accepted by Outlook; do not send it again (Sent Items could not be checked: "+graph.Describe(msg.err)+")"))
		}
		return m, pollTick(msg.id, msg.n+1, m.opts.PollDelay(msg.n+1))
	}
	return m, nil
}

// accepted starts the watch on Sent Items for a send Outlook took.
func (m model) accepted(id, say string) (model, tea.Cmd) {
	j, ok := m.sends[id]
	if !ok {
		return m, nil
	}
	j.phase = phaseWaiting
	m.setJob(j)
	m.status = info(say).working()
	return m, pollTick(id, 0, m.opts.PollDelay(0))
}

// poll is the tick before a look in Sent Items: it looks, or, past the
// deadline, says so once and goes on watching in the background.
func (m model) poll(id string, n int) (model, tea.Cmd) {
	j, ok := m.sends[id]
	if !ok || (j.phase != phaseWaiting && j.phase != phaseLate) {
		return m, nil
	}
	waited := m.now().Sub(j.start)
	if j.phase == phaseWaiting && waited >= m.opts.SendDeadline {
		j.phase, j.elapsed = phaseLate, waited
		m.setJob(j)
		m.status = warning(quoted(j.draft) + " was accepted by Outlook, not in Sent Items yet; do not send it again (waited " +
			seconds(waited) + "; still watching)")
		// The draft has left Drafts on the server: show that.
		m, cmd := m.reload()
		return m, tea.Batch(cmd, lookCmd(m.ctx, m.mb, j.draft, j.start, n))
	}
	if j.phase == phaseLate && waited >= m.opts.SendDeadline+backgroundWatch {
		return m, nil // stop watching: the tick is not re-armed
	}
	return m, lookCmd(m.ctx, m.mb, j.draft, j.start, n)
}

// found settles a send whose copy is in Sent Items, then refreshes both
// lists so the draft is gone and the copy shows, highlighted.
func (m model) found(id string, copy graph.Message) (model, tea.Cmd) {
	j, ok := m.sends[id]
	if !ok {
		return m, nil
	}
	j.phase, j.elapsed = phaseSent, m.now().Sub(j.start)
	m.setJob(j)
	switch {
	case j.recovered:
		m.status = success(recoveredSent + quoted(j.draft) + " is in Sent Items")
	case graph.IsNotFound(j.err):
		m.status = success("Already sent elsewhere: " + quoted(j.draft) + " is in Sent Items")
	default:
		m.status = success(quoted(j.draft) + " is in Sent Items after " + seconds(j.elapsed))
	}
	m.sent.highlight = copy.ID
	m.sent.justSent = copy
	m, reload := m.reload()
	sent := m.loadSent()
	return m, tea.Batch(reload, sent, settleCmd(m.ctx, m.opts.Journal, id))
}

// settle ends a send with the given phase and status.
func (m model) settle(id string, phase sendPhase, err error, s status) (model, tea.Cmd) {
	j, ok := m.sends[id]
	if !ok {
		return m, nil
	}
	j.phase, j.err, j.elapsed = phase, err, m.now().Sub(j.start)
	m.setJob(j)
	m.status = s
	if phase == phaseSent || phase == phaseFailed {
		return m, settleCmd(m.ctx, m.opts.Journal, id)
	}
	return m, nil
}

// setJob records the state of a send. The map is copied, never changed
// in place, so an older copy of the model keeps its own sends.
func (m *model) setJob(j sendJob) {
	m.sends = maps.Clone(m.sends)
	m.sends[j.draft.ID] = j
}

// forgetGone drops settled sends whose drafts are no longer listed.
func (m *model) forgetGone(msgs []graph.Message) {
	listed := make(map[string]bool, len(msgs))
	for _, d := range msgs {
		listed[d.ID] = true
	}
	m.sends = maps.Clone(m.sends)
	maps.DeleteFunc(m.sends, func(id string, j sendJob) bool {
		return !listed[id] && !j.unsettled() && j.phase != phaseLate
	})
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
