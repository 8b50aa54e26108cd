package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// helpScreen shows every key of the view under it, in columns, in place of the body. When they
// do not all fit, it shows them a page at a time: j or ↓ the next page, k or ↑ the one before.
type helpScreen struct {
	starts []int // where each page before this one started, in the order of the keys
	start  int   // where this page starts
}

func (helpScreen) kind() state { return stateHelp }

// update closes the help on ? or esc; q does what it does in the view under the help: asks to
// quit, or (in the full view of a draft, where q goes back) closes the help. j and k page.
func (h helpScreen) update(k tea.KeyPressMsg, ctx dialogCtx) (overlay, tea.Cmd, outcome) {
	switch {
	case key.Matches(k, ctx.keys.Quit):
		return h, nil, quitAsked{}
	case key.Matches(k, ctx.keys.CloseHelp):
		return h, nil, closed{}
	case !ctx.under.Quit.Enabled() && key.Matches(k, ctx.under.Back):
		return h, nil, closed{}
	case key.Matches(k, ctx.keys.HelpMore):
		if _, shown, total := h.page(ctx); h.start+shown < total {
			h.starts = append(h.starts[:len(h.starts):len(h.starts)], h.start)
			h.start += shown
		}
	case key.Matches(k, ctx.keys.HelpBack) && len(h.starts) > 0:
		h.start, h.starts = h.starts[len(h.starts)-1], h.starts[:len(h.starts)-1]
	}
	return h, nil, nil
}

func (h helpScreen) bindings(k *keyMap, ctx dialogCtx) []*key.Binding {
	on := []*key.Binding{&k.CloseHelp}
	if ctx.under.Quit.Enabled() {
		on = append(on, &k.Quit) // (elsewhere q goes back: it closes the help)
	}
	if _, shown, total := h.page(ctx); h.start+shown < total {
		on = append(on, &k.HelpMore)
	}
	if len(h.starts) > 0 {
		on = append(on, &k.HelpBack)
	}
	return on
}

// page lays out this page of the help: its text, how many keys it shows, and how many there are.
func (h helpScreen) page(ctx dialogCtx) (body string, shown, total int) {
	under := ctx.under
	under.CloseHelp.SetEnabled(true)
	under.Help.SetEnabled(false)
	const padX, padY = 2, 1
	return helpColumns(under.helpOrder(), h.start, ctx.help.Styles, ctx.w-2*padX, ctx.h-2*padY)
}

// view is this page of the help of the keys under it, laid out to fit the body.
func (h helpScreen) view(ctx dialogCtx) string {
	body, _, _ := h.page(ctx)
	return lipgloss.NewStyle().Padding(1, 2).Render(body)
}

// helpColumns lays out the keys that are on, in order from the start-th, down columns of h rows,
// in as many columns as fit w cells. Whatever does not fit is left for the next page (the order
// puts the keys that matter most first) and a "…" says so; a key is never cut in half. It
// returns the text, how many keys it shows, and how many keys are on.
func helpColumns(bindings []key.Binding, start int, st help.Styles, w, h int) (string, int, int) {
	type entry struct{ key, desc string }
	var on []entry
	for _, b := range bindings {
		if b.Enabled() && b.Help().Key != "" {
			on = append(on, entry{b.Help().Key, b.Help().Desc})
		}
	}
	all := on[min(start, len(on)):]
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
		return strings.Join(lines, "\n"), n, len(on)
	}
	return "", 0, len(on)
}

// padRight pads s with spaces to w cells.
func padRight(s string, w int) string {
	return s + strings.Repeat(" ", max(w-lipgloss.Width(s), 0))
}
