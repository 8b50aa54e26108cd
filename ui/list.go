package ui

import (
	"strings"

	"charm.land/bubbles/v2/list"
	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// msgItem is one message in a list (a draft, or a copy in Sent Items).
type msgItem struct{ msg graph.Message }

// FilterValue is what '/' searches: the subject and every recipient's name
// and address.
func (i msgItem) FilterValue() string {
	var b strings.Builder
	b.WriteString(i.msg.Subject)
	for _, r := range i.msg.Recipients() {
		b.WriteString(" ")
		b.WriteString(r.Name)
		b.WriteString(" ")
		b.WriteString(r.Address)
	}
	return b.String()
}

// wordFilter keeps the items that contain every word of the filter, in any
// case, in their original order (newest first), which reads better for mail
// than a fuzzy ranking.
func wordFilter(term string, targets []string) []list.Rank {
	words := strings.Fields(strings.ToLower(term))
	ranks := []list.Rank{}
	for i, t := range targets {
		lt := strings.ToLower(t)
		all := true
		for _, w := range words {
			if !strings.Contains(lt, w) {
				all = false
				break
			}
		}
		if all {
			ranks = append(ranks, list.Rank{Index: i})
		}
	}
	return ranks
}

// messageList is a bubbles list of messages with the program's keys and
// without the list's own title, status bar, pagination and help, which the
// root draws itself.
type messageList struct {
	list list.Model
}

func newMessageList(keys keyMap, filtering bool) messageList {
	l := list.New(nil, rowDelegate{}, 0, 0)
	l.SetShowTitle(false)
	l.SetShowFilter(false)
	l.SetShowStatusBar(false)
	l.SetShowPagination(false)
	l.SetShowHelp(false)
	l.DisableQuitKeybindings()
	l.KeyMap = keys.listKeys()
	l.Filter = wordFilter
	l.SetFilteringEnabled(filtering)
	l.FilterInput.Prompt = "Filter: "
	return messageList{list: l}
}

// update passes a message to the list.
func (l messageList) update(msg tea.Msg) (messageList, tea.Cmd) {
	var cmd tea.Cmd
	l.list, cmd = l.list.Update(msg)
	return l, cmd
}

// view draws the rows with the given delegate, which carries the clock,
// the styles and the state of sends.
func (l messageList) view(d rowDelegate) string {
	v := l.list
	v.SetDelegate(d)
	return v.View()
}

func (l *messageList) setSize(w, h int) { l.list.SetSize(w, h) }

func (l *messageList) setStyles(st styles) {
	l.list.Styles = st.list
	l.list.FilterInput.SetStyles(st.list.Filter)
}

// setMessages replaces the messages, keeping the selected one selected if
// it is still there, or the same position if it is gone. A filter is
// applied to the new messages at once, so the rows and the selection are
// right in this very frame.
func (l *messageList) setMessages(msgs []graph.Message) {
	selID := l.selectedID()
	pos := l.list.Index()
	items := make([]list.Item, len(msgs))
	for i, m := range msgs {
		items[i] = msgItem{msg: m}
	}
	l.applyFilter(l.list.SetItems(items))
	l.selectID(selID, pos)
}

// refilter applies the filter to the current messages now. The bubbles
// list filters in a command whose result can be stale when it arrives
// (computed before a page came in, or before a later keystroke), so its
// results are taken only as the cue to call this.
func (l *messageList) refilter() {
	l.applyFilter(l.list.SetItems(l.list.Items()))
}

// applyFilter runs the list's filter command (from SetItems, nil when no
// filter is set) here and now: the filter is a cheap, pure function.
func (l *messageList) applyFilter(cmd tea.Cmd) {
	if cmd != nil {
		l.list, _ = l.list.Update(cmd())
	}
}

// selectID selects the message with the given id, or else position pos.
func (l *messageList) selectID(id string, pos int) {
	visible := l.list.VisibleItems()
	if id != "" {
		for i, it := range visible {
			if it.(msgItem).msg.ID == id {
				l.list.Select(i)
				return
			}
		}
	}
	if n := len(visible); n > 0 {
		l.list.Select(min(max(pos, 0), n-1))
	}
}

// selected returns the selected message.
func (l messageList) selected() (graph.Message, bool) {
	it, ok := l.list.SelectedItem().(msgItem)
	if !ok {
		return graph.Message{}, false
	}
	return it.msg, true
}

func (l messageList) selectedID() string {
	m, _ := l.selected()
	return m.ID
}

func (l messageList) len() int { return len(l.list.Items()) }

// filtering reports whether the filter is being typed.
func (l messageList) filtering() bool { return l.list.SettingFilter() }

// filtered reports whether a filter is applied.
func (l messageList) filtered() bool { return l.list.IsFiltered() }

// moveBy moves the selection by n rows (mouse wheel).
func (l *messageList) moveBy(n int) {
	for ; n > 0; n-- {
		l.list.CursorDown()
	}
	for ; n < 0; n++ {
		l.list.CursorUp()
	}
}
