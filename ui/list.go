package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/draftsmail/drafts/graph"
)

// messageList is a list of messages (the drafts, Sent Items, the Inbox)
// with a selection and a filter. It pages like a bubbles list —
// as many two-line rows as fit, the selection moving from page to page —
// but is built for mailboxes of any size:
//
//   - a frame draws the rows of the page in view and nothing else, so it
//     costs the same with 100 drafts or 100,000;
//   - a page of drafts arriving is appended, not a new list of every item
//     (bubbles' SetItems takes all items again, and re-filters them all);
//   - the filter runs here and now, once per keystroke, over lower-cased
//     text kept in each row, and only over the previous matches when the
//     new words narrow the old ones; going back to an earlier filter
//     (backspace) takes its remembered result. bubbles/list filters every
//     item in a command whose result can be stale by the time it arrives,
//     and builds every item's text again each time.
//
// The messages are held as rows (row.go), by pointer into the pages they
// arrived in (or, after a refresh, those held before that it listed
// unchanged: see keep); nothing here changes them. The zero list is empty.
type messageList struct {
	all   []*row  // every message, in the server's order
	shown []int32 // with a filter: the positions in all of the matches, in order; else nil
	index int     // the selection, a position in the visible messages
	fill  *fill   // how far all is filled, shared by the copies of this list

	width, height int
	keys          keyMap
	state         filterState
	input         textinput.Model
	words         []string     // the filter words shown is the result of
	memo          []filterMemo // recent filters and their results, for backspace
}

// listPage is a page of messages as it arrived, made rows (with the text
// the filter searches) off the UI's goroutine, by the command that read
// the page.
type listPage struct {
	rows []row
}

// newListPage is msgs as rows.
func newListPage(msgs []graph.Message) listPage { return listPage{rows: rowsOf(msgs)} }

// filterState is what the filter is doing.
type filterState int

const (
	unfiltered    filterState = iota
	filterTyping              // the filter is being typed; keys go to it
	filterApplied             // a typed filter was accepted with enter
)

// fill is how many elements of the array behind all are in use.
// Copies of a list (older models) share the array; a copy may append in
// place only when it is the one that filled them last, so a page arriving
// costs the page, not every message again, and no copy ever sees another's
// elements change.
type fill struct{ n int }

// filterMemo is one earlier filter and its matches.
type filterMemo struct {
	term  string
	shown []int32
}

// memoSize is how many earlier filters are remembered.
const memoSize = 16

func newMessageList(keys keyMap) messageList {
	in := textinput.New()
	in.Prompt = "Filter: "
	in.CharLimit = 64
	in.Focus()
	return messageList{keys: keys, input: in}
}

// Row geometry: two lines a message and a blank line between messages.
const (
	rowLines   = 2
	rowSpacing = 1
)

// perPage is the number of rows that fit.
func (l messageList) perPage() int { return max(1, l.height/(rowLines+rowSpacing)) }

// visibleLen is the number of messages the filter keeps (all without one).
func (l messageList) visibleLen() int {
	if l.shown != nil {
		return len(l.shown)
	}
	return len(l.all)
}

// at returns visible message i.
func (l messageList) at(i int) *row {
	if l.shown != nil {
		return l.all[l.shown[i]]
	}
	return l.all[i]
}

// update handles a key (navigation, or the filter), or passes anything
// else to the filter being typed.
func (l messageList) update(msg tea.Msg) (messageList, tea.Cmd) {
	if l.state == filterTyping {
		cmd := l.updateTyping(msg)
		return l, cmd
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return l, nil
	}
	n := l.visibleLen()
	switch {
	case l.state == filterApplied && key.Matches(k, l.keys.ClearFilter):
		l.clearFilter()
	case n == 0:
	case key.Matches(k, l.keys.Up):
		l.moveBy(-1)
	case key.Matches(k, l.keys.Down):
		l.moveBy(1)
	case key.Matches(k, l.keys.PageUp):
		if l.index >= l.perPage() {
			l.index -= l.perPage()
		}
	case key.Matches(k, l.keys.PageDown):
		// To the same row of the next page, or the last message when the
		// next page is shorter; nothing on the last page.
		if page := l.index / l.perPage(); (page+1)*l.perPage() < n {
			l.index = min(l.index+l.perPage(), n-1)
		}
	case key.Matches(k, l.keys.Top):
		l.index = 0
	case key.Matches(k, l.keys.Bottom):
		l.index = n - 1
	case key.Matches(k, l.keys.Filter):
		if l.input.Value() == "" {
			l.shown, l.words = nil, nil
		}
		l.index = 0
		l.state = filterTyping
		l.input.CursorEnd()
		return l, l.input.Focus()
	}
	return l, nil
}

// updateTyping handles a message while the filter is typed: esc drops the
// filter, enter (or up/down) accepts it, anything else edits it.
func (l *messageList) updateTyping(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, l.keys.CancelFilter):
			l.clearFilter()
			return nil
		case key.Matches(k, l.keys.ApplyFilter):
			switch {
			case len(l.all) == 0:
			case strings.TrimSpace(l.input.Value()) == "":
				l.clearFilter()
			case l.visibleLen() == 0:
				// Nothing to apply: the list says nothing matches, and the typing goes on
				// (esc drops the filter).
			default:
				l.input.Blur()
				l.state = filterApplied
			}
			return nil
		}
	}
	before := l.input.Value()
	var cmd tea.Cmd
	l.input, cmd = l.input.Update(msg)
	if l.input.Value() != before {
		l.filterBy(l.input.Value())
		l.index = 0
	}
	return cmd
}

// clearFilter drops the filter, keeping the selected message selected.
func (l *messageList) clearFilter() {
	sel := l.selectedPos()
	l.state = unfiltered
	l.input.Reset()
	l.shown, l.words, l.memo = nil, nil, nil
	l.index = max(sel, 0)
}

// selectedPos is the position in all of the selected message, or -1.
func (l messageList) selectedPos() int {
	n := l.visibleLen()
	if n == 0 || l.index < 0 || l.index >= n {
		return -1
	}
	if l.shown != nil {
		return int(l.shown[l.index])
	}
	return l.index
}

// view draws the page of rows around the selection with the given
// delegate, which carries the clock, the styles and the state of sends:
// exactly the rows in view, whatever the number of messages.
func (l messageList) view(d rowDelegate) string {
	n := l.visibleLen()
	per := l.perPage()
	start := l.pageStart()
	end := min(start+per, n)
	var b strings.Builder
	for i := start; i < end; i++ {
		d.render(&b, l.at(i).message(), i == l.index, l.width)
		if i != end-1 {
			b.WriteString(strings.Repeat("\n", rowSpacing+1))
		}
	}
	if on := end - start; on < per {
		lines := (per - on) * (rowLines + rowSpacing)
		if n == 0 {
			lines -= rowLines - 1
		}
		b.WriteString(strings.Repeat("\n", lines))
	}
	return lipgloss.NewStyle().Height(l.height).Render(b.String())
}

func (l *messageList) setSize(w, h int) { l.width, l.height = w, h }

// setFilterWidth sets the width of the filter's text field.
func (l *messageList) setFilterWidth(w int) { l.input.SetWidth(w) }

func (l *messageList) setStyles(st styles) { l.input.SetStyles(st.list.Filter) }

// setPages replaces the messages with those of pages, in order, keeping the
// selected message selected if it is still there, or the same position if
// it is gone. A filter is applied to the new messages at once, so the rows
// and the selection are right in this very frame.
func (l *messageList) setPages(pages ...listPage) {
	kept := make([]keptPage, len(pages))
	for i, p := range pages {
		kept[i] = p.kept()
	}
	l.setKept(kept...)
}

// appendPage adds the messages of a page after the others, as pages of one
// listing arrive. The selection stays where it is; with a filter, only the
// new messages are searched.
func (l *messageList) appendPage(p listPage) {
	from := len(l.all)
	if l.fill == nil || l.fill.n != from || cap(l.all)-from < len(p.rows) {
		// A new array, with room to grow by doubling.
		room := max(2*from, from+len(p.rows))
		l.all = append(make([]*row, 0, room), l.all...)
		l.fill = &fill{}
	}
	for i := range p.rows {
		l.all = append(l.all, &p.rows[i])
	}
	l.fill.n = len(l.all)
	if l.words == nil {
		return
	}
	l.memo = nil // the remembered results do not cover the new messages
	shown := l.shown[:len(l.shown):len(l.shown)]
	for i := from; i < len(l.all); i++ {
		if containsAll(l.all[i].hay(), l.words) {
			shown = append(shown, int32(i))
		}
	}
	l.shown = shown
}

// selectID selects the message with the given id, or else position pos.
func (l *messageList) selectID(id string, pos int) {
	n := l.visibleLen()
	if id != "" {
		for i := range n {
			if l.at(i).id() == id {
				l.index = i
				return
			}
		}
	}
	l.index = min(max(pos, 0), max(n-1, 0))
}

// selectIndex selects visible message i.
func (l *messageList) selectIndex(i int) { l.index = min(max(i, 0), max(l.visibleLen()-1, 0)) }

// selected returns the selected message.
func (l messageList) selected() (graph.Message, bool) {
	if l.index < 0 || l.index >= l.visibleLen() {
		return graph.Message{}, false
	}
	return l.at(l.index).message(), true
}

func (l messageList) selectedID() string {
	if l.index < 0 || l.index >= l.visibleLen() {
		return ""
	}
	return l.at(l.index).id()
}

// len is the number of messages, filtered or not.
func (l messageList) len() int { return len(l.all) }

// contains reports whether the message with the given id is listed.
func (l messageList) contains(id string) bool {
	for _, r := range l.all {
		if r.id() == id {
			return true
		}
	}
	return false
}

// filtering reports whether the filter is being typed.
func (l messageList) filtering() bool { return l.state == filterTyping }

// filtered reports whether a filter is applied.
func (l messageList) filtered() bool { return l.state == filterApplied }

// filterText is the filter as typed.
func (l messageList) filterText() string { return l.input.Value() }

// filterView draws the filter's text field.
func (l messageList) filterView() string { return l.input.View() }

// moveBy moves the selection by n rows (mouse wheel, up and down).
func (l *messageList) moveBy(n int) {
	if v := l.visibleLen(); v > 0 {
		l.index = min(max(l.index+n, 0), v-1)
	}
}
