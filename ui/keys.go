package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
)

// keyMap is the one declaration of every key the program answers to. The
// list and the viewport get their bindings from it, and the help is
// generated from it; syncKeys enables only the keys that do something in
// the current state, so the help never shows a dead key.
type keyMap struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	ScrollUp         key.Binding // half a page of the preview, beside the list or full
	ScrollDown       key.Binding

	Open      key.Binding
	Back      key.Binding
	NextDraft key.Binding // the full view: the next draft of the list, full screen
	PrevDraft key.Binding
	CopyID    key.Binding // the selected message's id to the clipboard (OSC 52)
	OpenWeb   key.Binding // the selected message in Outlook on the web (its webLink)
	Send      key.Binding
	SendLater key.Binding
	Edit      key.Binding
	New       key.Binding
	Discard   key.Binding
	// CancelScheduled (Sent Items) takes a send later waiting in the Outbox back to Drafts.
	CancelScheduled key.Binding
	Mark            key.Binding // marks the selected draft to send with others
	MarkAll         key.Binding // marks every draft the filter shows
	Thread          key.Binding // unfolds (folds) the quoted thread of a reply in the preview
	SaveFiles       key.Binding // saves the files of the draft shown
	Reply           key.Binding // Sent Items: a reply draft of the selected message
	ReplyAll        key.Binding
	Forward         key.Binding
	Undo            key.Binding // takes back the latest send still counting down
	UndoAll         key.Binding // takes back every send counting down
	Yes, No         key.Binding
	Refresh         key.Binding
	SwitchView      key.Binding
	Help            key.Binding
	CloseHelp       key.Binding // in the help: ? or esc
	HelpMore        key.Binding // in the help: the next page of keys
	HelpBack        key.Binding // in the help: the page before
	Quit            key.Binding
	Interrupt       key.Binding // ctrl+c: quit (asking first while a send is unsettled), in every state

	SendNow     key.Binding // the quit question while sends count down
	CancelSends key.Binding

	Filter       key.Binding
	ClearFilter  key.Binding
	ApplyFilter  key.Binding
	CancelFilter key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:     key.NewBinding(key.WithKeys("pgup", "b", "ctrl+b"), key.WithHelp("pgup/b", "page up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", "space", "ctrl+f"), key.WithHelp("pgdn/space", "page down")),
		Top:        key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "first")),
		Bottom:     key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "last")),
		ScrollUp:   key.NewBinding(key.WithKeys("K", "ctrl+u"), key.WithHelp("K/ctrl+u", "scroll preview up")),
		ScrollDown: key.NewBinding(key.WithKeys("J", "ctrl+d"), key.WithHelp("J/ctrl+d", "scroll preview down")),

		Open:            key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:            key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		NextDraft:       key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "next draft")),
		PrevDraft:       key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "previous draft")),
		CopyID:          key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy id")),
		OpenWeb:         key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in Outlook")),
		Send:            key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "send")),
		SendLater:       key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "send later")),
		Edit:            key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		New:             key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new draft")),
		Discard:         key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "discard")),
		Mark:            key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark")),
		CancelScheduled: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "cancel send")),
		MarkAll:         key.NewBinding(key.WithKeys("*"), key.WithHelp("*", "mark all shown")),
		Thread:          key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "unfold thread")),
		SaveFiles:       key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "save files")),
		Reply:           key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reply")),
		ReplyAll:        key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reply all")),
		Forward:         key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "forward")),
		Undo:            key.NewBinding(key.WithKeys("u", "ctrl+z"), key.WithHelp("u", "undo send")),
		UndoAll:         key.NewBinding(key.WithKeys("U"), key.WithHelp("U", "undo all")),
		Yes:             key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:              key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
		Refresh:         key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		SwitchView:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "sent")),
		Help:            key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		CloseHelp:       key.NewBinding(key.WithKeys("?", "esc"), key.WithHelp("?/esc", "close help")),
		HelpMore:        key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("j", "more keys")),
		HelpBack:        key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("k", "keys before")),
		Quit:            key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Interrupt:       key.NewBinding(key.WithKeys("ctrl+c")), // no help: it works everywhere

		SendNow:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "send now")),
		CancelSends: key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "cancel & quit")),

		Filter:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		ApplyFilter:  key.NewBinding(key.WithKeys("enter", "up", "down"), key.WithHelp("enter", "apply filter")),
		CancelFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel filter")),
	}
}

// ShortHelp is the one-line help at the bottom of the screen.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		k.Yes, k.No, k.ApplyFilter, k.CancelFilter,
		k.Undo, k.UndoAll, k.SendNow, k.CancelSends, k.CloseHelp, k.HelpMore, k.HelpBack,
		// The keys that matter most come first: on a narrow screen the rest is cut.
		k.Filter, k.Help, k.Quit,
		k.Open, k.Send, k.CancelScheduled, k.Reply, k.ClearFilter, k.Back, k.NextDraft, k.PrevDraft,
		k.SwitchView, k.Refresh, k.Mark, k.SendLater, k.Edit,
	}
}

// helpOrder is every key in the order the help shown by '?' lists them: how to leave the help,
// then the actions, then moving about; a small screen cuts from the end.
func (k keyMap) helpOrder() []key.Binding {
	return []key.Binding{
		k.CloseHelp, k.Quit, k.Filter, k.ClearFilter, k.ApplyFilter, k.CancelFilter,
		k.Send, k.Mark, k.MarkAll, k.SendLater, k.CancelScheduled, k.Edit, k.New, k.Discard, k.Reply, k.ReplyAll, k.Forward,
		k.Undo, k.UndoAll, k.Yes, k.No, k.Refresh, k.Open, k.Back, k.NextDraft, k.PrevDraft,
		k.Thread, k.SaveFiles, k.CopyID, k.OpenWeb, k.SwitchView, k.ScrollUp, k.ScrollDown, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom,
	}
}

// FullHelp is the help shown by '?', in columns.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Back, k.NextDraft, k.PrevDraft, k.ScrollUp, k.ScrollDown, k.Thread, k.SaveFiles, k.CopyID, k.OpenWeb, k.SwitchView},
		{k.Send, k.Mark, k.MarkAll, k.SendLater, k.CancelScheduled, k.Edit, k.New, k.Discard, k.Reply, k.ReplyAll, k.Forward, k.Undo, k.UndoAll, k.Yes, k.No, k.Refresh},
		{k.Filter, k.ClearFilter, k.ApplyFilter, k.CancelFilter},
		{k.Help, k.CloseHelp, k.Quit},
	}
}

// all returns pointers to every binding, to switch them on or off at once.
func (k *keyMap) all() []*key.Binding {
	return []*key.Binding{
		&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.ScrollUp, &k.ScrollDown,
		&k.Open, &k.Back, &k.NextDraft, &k.PrevDraft, &k.CopyID, &k.OpenWeb, &k.Send, &k.Mark, &k.MarkAll, &k.SendLater, &k.CancelScheduled, &k.Edit, &k.New, &k.Discard, &k.Thread, &k.SaveFiles, &k.Reply, &k.ReplyAll, &k.Forward, &k.Undo, &k.UndoAll, &k.Yes, &k.No, &k.Refresh, &k.SwitchView, &k.Help, &k.CloseHelp, &k.HelpMore, &k.HelpBack, &k.Quit, &k.Interrupt,
		&k.SendNow, &k.CancelSends,
		&k.Filter, &k.ClearFilter, &k.ApplyFilter, &k.CancelFilter,
	}
}

// enable switches on exactly the given bindings.
func (k *keyMap) enable(on ...*key.Binding) {
	for _, b := range k.all() {
		b.SetEnabled(false)
	}
	for _, b := range on {
		b.SetEnabled(true)
	}
	k.Interrupt.SetEnabled(true) // ctrl+c works in every state
}

// viewportKeys gives the preview's viewport the scrolling keys of this map.
func (k keyMap) viewportKeys() viewport.KeyMap {
	return viewport.KeyMap{
		Up:           k.Up,
		Down:         k.Down,
		PageUp:       k.PageUp,
		PageDown:     k.PageDown,
		HalfPageUp:   k.ScrollUp,
		HalfPageDown: k.ScrollDown,
	}
}
