package ui

import (
	"context"
	"errors"
	"net/url"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// Navigation people expect from a mail program (aerc, neomutt, lazygit): J and K step to the
// next and previous draft in the full view, q goes back from it, c puts the selected message's
// id on the clipboard, o opens it in Outlook on the web.

// webOpenedMsg is the end of an o: the message's link given to the browser, or why not.
type webOpenedMsg struct {
	msg graph.Message
	err error
}

// updateNav handles the keys that act on the selected message in every list and the full
// view: c and o. ok is false when k is neither (or the key is off in this state).
func (m model) updateNav(k tea.KeyPressMsg, d graph.Message, has bool) (model, tea.Cmd, bool) {
	switch {
	case !has || d.ID == "":
		return m, nil, false
	case key.Matches(k, m.keys.CopyID):
		m.status = info("The id of " + quoted(d) + " is on the clipboard, if the terminal allows it (OSC 52): " + graph.CleanLine(d.ID))
		return m, tea.SetClipboard(d.ID), true
	case key.Matches(k, m.keys.OpenWeb):
		if b, ok := m.bodies[d.ID]; ok && b.WebLink != "" {
			d = b
		}
		m.status = info("Opening " + quoted(d) + " in Outlook on the web…")
		return m, openWebCmd(m.ctx, m.mb, d, m.opts.OpenURL), true
	}
	return m, nil, false
}

// updateNavList is updateNav on the message selected in l.
func (m model) updateNavList(k tea.KeyPressMsg, l messageList) (model, tea.Cmd, bool) {
	d, has := l.selected()
	return m.updateNav(k, d, has)
}

// openWebCmd gives the message's webLink to the browser, reading the message first when the
// link is not known yet (listings do not select it).
func openWebCmd(ctx context.Context, mb Mailbox, d graph.Message, open func(context.Context, string) error) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, openTimeout)
		defer cancel()
		link := d.WebLink
		if link == "" {
			full, err := mb.Message(ctx, d.ID)
			if err != nil {
				return webOpenedMsg{msg: d, err: err}
			}
			link = full.WebLink
		}
		if err := checkWebLink(link); err != nil {
			return webOpenedMsg{msg: d, err: err}
		}
		return webOpenedMsg{msg: d, err: open(ctx, link)}
	}
}

// checkWebLink refuses to hand the browser anything but an https address: the link comes from
// the server, and an opener also opens files and programs.
func checkWebLink(link string) error {
	if link == "" {
		return errors.New("Graph gave no link to Outlook on the web for it")
	}
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return errors.New("the link Graph gave is not an https address: " + graph.CleanLine(link))
	}
	return nil
}

// webOpened says how an o ended.
func (m model) webOpened(msg webOpenedMsg) (model, tea.Cmd) {
	if msg.err != nil {
		m.status = failure("Could not open " + quoted(msg.msg) + " in Outlook on the web: " + graph.Describe(msg.err))
		return m, nil
	}
	m.status = success("Opened " + quoted(msg.msg) + " in Outlook on the web, in your browser")
	return m, nil
}

// stepDraft shows the next (n = 1) or previous (n = -1) draft of the list in the full view,
// and selects it in the list, as aerc's J and K do.
func (m model) stepDraft(n int) (model, tea.Cmd) {
	m.drafts.selectID(m.preview.msg.ID, m.drafts.index)
	m.drafts.moveBy(n)
	if d, ok := m.drafts.selected(); ok {
		m.showDraft(d)
	}
	return m.synced()
}

// showDraft puts d in the preview: its opened copy when there is one.
func (m *model) showDraft(d graph.Message) {
	if full, ok := m.bodies[d.ID]; ok {
		m.preview.show(full, true, nil)
	} else {
		m.preview.show(d, false, nil)
	}
	m.preview.render(m.styles, m.now(), m.loc)
}

// fullKeys are the keys of the full view of a draft: q goes back like esc (ctrl+c quits), J
// and K step to the next and previous draft where there is one, and only ctrl+d and ctrl+u
// scroll by half a page.
func (m *model) fullKeys() []*key.Binding {
	k := &m.keys
	k.Back.SetKeys("esc", "q")
	k.Back.SetHelp("q/esc", "back")
	k.ScrollUp.SetKeys("ctrl+u")
	k.ScrollUp.SetHelp("ctrl+u", "scroll up")
	k.ScrollDown.SetKeys("ctrl+d")
	k.ScrollDown.SetHelp("ctrl+d", "scroll down")
	on := []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.ScrollUp, &k.ScrollDown, &k.Back, &k.Help}
	pos := m.drafts.index
	if d, ok := m.drafts.selected(); !ok || d.ID != m.preview.msg.ID {
		pos = -1 // the draft shown is not the selected one (no longer listed): no neighbours
	}
	if pos > 0 {
		on = append(on, &k.PrevDraft)
	}
	if pos >= 0 && pos < m.drafts.visibleLen()-1 {
		on = append(on, &k.NextDraft)
	}
	return m.navKeys(on, m.preview.has)
}

// navKeys adds c and o to the keys on, where a message is selected (o: where there is a
// browser to open).
func (m *model) navKeys(on []*key.Binding, selected bool) []*key.Binding {
	if !selected {
		return on
	}
	on = append(on, &m.keys.CopyID)
	if m.opts.OpenURL != nil {
		on = append(on, &m.keys.OpenWeb)
	}
	return on
}

// resetNavKeys gives the bindings fullKeys changes their keys elsewhere.
func (k *keyMap) resetNavKeys() {
	k.Back.SetKeys("esc")
	k.ScrollUp.SetKeys("K", "ctrl+u")
	k.ScrollUp.SetHelp("K/ctrl+u", "scroll preview up")
	k.ScrollDown.SetKeys("J", "ctrl+d")
	k.ScrollDown.SetHelp("J/ctrl+d", "scroll preview down")
	k.NextDraft.SetHelp("J", "next draft")
	k.PrevDraft.SetHelp("K", "previous draft")
}
