package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// helpScreen shows every key of the view under it, in columns, in place of the body.
type helpScreen struct{}

func (helpScreen) kind() state { return stateHelp }

// update closes the help on ? or esc; q asks to quit.
func (h helpScreen) update(k tea.KeyPressMsg, ctx dialogCtx) (overlay, tea.Cmd, outcome) {
	switch {
	case key.Matches(k, ctx.keys.Quit):
		return h, nil, quitAsked{}
	case key.Matches(k, ctx.keys.CloseHelp):
		return h, nil, closed{}
	}
	return h, nil, nil
}

func (helpScreen) bindings(k *keyMap, _ dialogCtx) []*key.Binding {
	return []*key.Binding{&k.CloseHelp, &k.Quit}
}

// view is the full help of the keys under it, and how to close it.
func (helpScreen) view(ctx dialogCtx) string {
	under := ctx.under
	under.CloseHelp.SetEnabled(true)
	under.Help.SetEnabled(false)
	return lipgloss.NewStyle().Padding(1, 2).Render(ctx.help.FullHelpView(under.FullHelp()))
}
