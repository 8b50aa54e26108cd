package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// helpScreen shows every key of the view under it, in columns, in place of the body.
type helpScreen struct{}

func (helpScreen) kind() state { return stateHelp }

// update closes the help on ? or esc; q does what it does in the view under the help: asks to
// quit, or (in the full view of a draft, where q goes back) closes the help.
func (h helpScreen) update(k tea.KeyPressMsg, ctx dialogCtx) (overlay, tea.Cmd, outcome) {
	switch {
	case key.Matches(k, ctx.keys.Quit):
		return h, nil, quitAsked{}
	case key.Matches(k, ctx.keys.CloseHelp):
		return h, nil, closed{}
	case !ctx.under.Quit.Enabled() && key.Matches(k, ctx.under.Back):
		return h, nil, closed{}
	}
	return h, nil, nil
}

func (helpScreen) bindings(k *keyMap, ctx dialogCtx) []*key.Binding {
	if !ctx.under.Quit.Enabled() {
		return []*key.Binding{&k.CloseHelp} // q goes back there: it closes the help
	}
	return []*key.Binding{&k.CloseHelp, &k.Quit}
}

// view is the full help of the keys under it, and how to close it, laid out to fit the body.
func (helpScreen) view(ctx dialogCtx) string {
	under := ctx.under
	under.CloseHelp.SetEnabled(true)
	under.Help.SetEnabled(false)
	const padX, padY = 2, 1
	body := helpColumns(under.helpOrder(), ctx.help.Styles, ctx.w-2*padX, ctx.h-2*padY)
	return lipgloss.NewStyle().Padding(padY, padX).Render(body)
}

// helpColumns lays out the keys that are on, in order, down columns of h rows, in as many
// columns as fit w cells. Whatever does not fit is cut from the end (the order puts the keys
// that matter most first) and a "…" says so; a key is never cut in half.
func helpColumns(bindings []key.Binding, st help.Styles, w, h int) string {
	type entry struct{ key, desc string }
	var all []entry
	for _, b := range bindings {
		if b.Enabled() && b.Help().Key != "" {
			all = append(all, entry{b.Help().Key, b.Help().Desc})
		}
	}
	h = max(h, 1)
	const gap = 3
	for n := len(all); n > 0; n-- {
		items := all[:n]
		if n < len(all) {
			items = append(items[:n:n], entry{key: "…"})
		}
		cols := (len(items) + h - 1) / h
		keyW, descW := make([]int, cols), make([]int, cols)
		for i, it := range items {
			c := i / h
			keyW[c] = max(keyW[c], lipgloss.Width(it.key))
			descW[c] = max(descW[c], lipgloss.Width(it.desc))
		}
		total := gap * (cols - 1)
		for c := range cols {
			total += keyW[c] + 1 + descW[c]
		}
		if total > w && n > 1 {
			continue
		}
		rows := min(h, len(items))
		lines := make([]string, rows)
		for i, it := range items {
			c, r := i/h, i%h
			cell := st.FullKey.Render(padRight(it.key, keyW[c])) + " " + st.FullDesc.Render(padRight(it.desc, descW[c]))
			if c > 0 {
				cell = strings.Repeat(" ", gap) + cell
			}
			lines[r] += cell
		}
		return strings.Join(lines, "\n")
	}
	return ""
}

// padRight pads s with spaces to w cells.
func padRight(s string, w int) string {
	return s + strings.Repeat(" ", max(w-lipgloss.Width(s), 0))
}
